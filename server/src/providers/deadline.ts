/**
 * Deadlines for one model call, enforced with AbortControllers because the SDK's timeout does not
 * bound a stream: a total deadline over the whole call (retries and their waits included), and per
 * attempt a first-token deadline followed by an idle deadline between chunks. Each is linked to the
 * caller's signal, so a cancel from the editor reaches the HTTP request too.
 */

export type DeadlineReason = 'first_token' | 'idle' | 'total';

export interface Deadline {
  /** Aborts on the caller's cancel or on any deadline of this scope or its parent. */
  readonly signal: AbortSignal;
  /** Which deadline fired, if one did (the parent's counts too). */
  timedOut(): DeadlineReason | undefined;
  dispose(): void;
}

export interface AttemptDeadline extends Deadline {
  /** Any chunk arrived: restarts the idle clock once the first token is in. */
  onEvent(): void;
  /** A text delta arrived: ends the first-token wait and restarts the idle clock. */
  onText(): void;
}

/** The deadline of a whole call: aborts after totalMs or when the caller aborts. */
export function startCallDeadline(caller: AbortSignal, totalMs: number): Deadline {
  const controller = new AbortController();
  const signal = AbortSignal.any([caller, controller.signal]);
  let fired: DeadlineReason | undefined;
  const timer = setTimeout(() => {
    fired = 'total';
    controller.abort(new Error(`no answer within the total deadline of ${totalMs} ms`));
  }, totalMs);
  return {
    signal,
    timedOut: () => fired,
    dispose() {
      clearTimeout(timer);
    },
  };
}

/** The deadlines of one attempt inside a call: first token, then idle between chunks. */
export function startAttemptDeadline(
  call: Deadline,
  timeouts: { firstTokenMs: number; idleMs: number },
): AttemptDeadline {
  const controller = new AbortController();
  const signal = AbortSignal.any([call.signal, controller.signal]);
  let fired: DeadlineReason | undefined;
  let sawText = false;
  let timer: NodeJS.Timeout | undefined;
  const arm = (reason: DeadlineReason, ms: number) => {
    clearTimeout(timer);
    if (signal.aborted) return;
    timer = setTimeout(() => {
      fired = reason;
      controller.abort(
        new Error(reason === 'first_token' ? `no first token within ${ms} ms` : `stream idle for ${ms} ms`),
      );
    }, ms);
  };
  arm('first_token', timeouts.firstTokenMs);
  return {
    signal,
    timedOut: () => fired ?? call.timedOut(),
    onEvent() {
      if (sawText) arm('idle', timeouts.idleMs);
    },
    onText() {
      sawText = true;
      arm('idle', timeouts.idleMs);
    },
    dispose() {
      clearTimeout(timer);
    },
  };
}
