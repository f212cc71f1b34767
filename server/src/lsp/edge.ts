/**
 * The one place where LSP requests become plain calls and plain answers become LSP: params are
 * checked against their schema (InvalidParams naming the field), the cancellation token becomes an
 * AbortSignal (the only conversion), a cancelled answer becomes RequestCancelled, a failure becomes
 * one logged InternalError, and requests after `shutdown` are refused with InvalidRequest.
 */
import { ErrorCodes, LSPErrorCodes, ResponseError, type CancellationToken } from 'vscode-languageserver';
import type * as z from '../config/zod.ts';
import type { Logger } from '../telemetry/logger.ts';
import { check } from './params.ts';

/** A handler's answer when the request was cancelled (by the client, or from its progress bar). */
export const CANCELLED: unique symbol = Symbol('cancelled');

export type Answer<R> = R | typeof CANCELLED;

export interface EdgeState {
  /** Set by `shutdown`: every later request is refused. */
  shuttingDown: boolean;
  /** False until `initialize` composed the services: requests before it are refused. */
  ready(): boolean;
  logger(): Logger;
}

/** Converts an LSP CancellationToken into an AbortSignal; everything below only sees the signal. */
export function toAbortSignal(token: CancellationToken | undefined): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  if (!token) return { signal: controller.signal, dispose: () => undefined };
  if (token.isCancellationRequested) {
    controller.abort('cancelled');
    return { signal: controller.signal, dispose: () => undefined };
  }
  const subscription = token.onCancellationRequested(() => controller.abort('cancelled'));
  return { signal: controller.signal, dispose: () => subscription.dispose() };
}

export function invalidParams(method: string, problem: string): ResponseError<void> {
  return new ResponseError(ErrorCodes.InvalidParams, `${method}: invalid params: ${problem}`);
}

/** Wraps a request handler: validation, cancellation, outcome mapping, failure isolation. */
export function request<S extends z.ZodMiniType, R>(
  state: EdgeState,
  method: string,
  schema: S,
  run: (
    params: z.infer<S>,
    signal: AbortSignal,
  ) => Promise<Answer<R> | ResponseError<void>> | Answer<R> | ResponseError<void>,
): (params: unknown, token: CancellationToken) => Promise<R | ResponseError<void>> {
  return async (params, token) => {
    if (state.shuttingDown)
      return new ResponseError(ErrorCodes.InvalidRequest, `${method}: the server is shutting down`);
    if (!state.ready())
      return new ResponseError(ErrorCodes.ServerNotInitialized, `${method}: the server is not initialized yet`);
    const checked = check(schema, params);
    if (!checked.ok) return invalidParams(method, checked.problem);
    const cancellation = toAbortSignal(token);
    try {
      const answer = await run(checked.value, cancellation.signal);
      if (answer === CANCELLED) return new ResponseError(LSPErrorCodes.RequestCancelled, 'request cancelled');
      return answer;
    } catch (error) {
      state.logger().error({ err: error, method }, 'request failed');
      return new ResponseError(
        ErrorCodes.InternalError,
        `${method} failed with an internal error; see the ghostline log`,
      );
    } finally {
      cancellation.dispose();
    }
  };
}

/** Wraps a notification handler: a malformed one is logged with the field named and dropped. */
export function notification<S extends z.ZodMiniType>(
  state: EdgeState,
  method: string,
  schema: S,
  run: (params: z.infer<S>) => void,
): (params: unknown) => void {
  return (params) => {
    if (state.shuttingDown || !state.ready()) return;
    const checked = check(schema, params);
    if (!checked.ok) {
      state
        .logger()
        .warn({ method, problem: checked.problem }, `${method} ignored: invalid params: ${checked.problem}`);
      return;
    }
    try {
      run(checked.value);
    } catch (error) {
      state.logger().error({ err: error, method }, 'notification failed');
    }
  };
}
