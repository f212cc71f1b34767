/**
 * Converts an LSP CancellationToken into an AbortSignal, once, at the protocol edge. Everything
 * below (engine, router, provider) only sees the signal, which reaches the HTTP request.
 */
import type { CancellationToken } from 'vscode-languageserver';

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
