/**
 * In-process single-flight: concurrent calls with the same key share one execution. A caller
 * that cancels stops waiting; the shared work is aborted only when every caller has gone and
 * nobody joined during a short grace period — the next keystroke's request often wants the very
 * answer still streaming (typed-ahead), and editors cancel the old request just before sending it.
 */

interface Flight<T> {
  promise: Promise<T>;
  controller: AbortController;
  waiters: number;
  /** Pending abort while nobody waits, cancelled when someone joins. */
  grace?: NodeJS.Timeout;
  /** This flight's grace, when it is not the default (`run`'s `graceMs`). */
  graceMs?: number;
}

export class SingleFlight<T> {
  private readonly flights = new Map<string, Flight<T>>();
  private readonly graceMs: () => number;

  /** `graceMs`: how long abandoned work keeps running for a late joiner (0: abort at once). */
  constructor(graceMs: () => number = () => 0) {
    this.graceMs = graceMs;
  }

  get inFlight(): number {
    return this.flights.size;
  }

  /**
   * Runs `work` once per key at a time; `work` receives a signal that aborts when all callers left.
   * `graceMs`, when it starts the work, replaces the default grace for this flight (a call started
   * before anyone asks for it, whose whole point is a later joiner).
   */
  run(
    key: string,
    signal: AbortSignal,
    work: (signal: AbortSignal) => Promise<T>,
    graceMs?: number,
  ): { promise: Promise<T>; shared: boolean } {
    let flight = this.flights.get(key);
    const shared = flight !== undefined;
    if (!flight) {
      const controller = new AbortController();
      const created: Flight<T> = { controller, waiters: 0, promise: undefined as unknown as Promise<T>, graceMs };
      created.promise = work(controller.signal).finally(() => {
        if (this.flights.get(key) === created) this.flights.delete(key);
      });
      this.flights.set(key, created);
      flight = created;
    }
    const current = flight;
    this.enter(current);
    return { promise: this.wait(key, current, signal), shared };
  }

  /**
   * Lets the next `run` for `key` start afresh (the flight under way went silent): its current
   * waiters keep waiting for it, and it is aborted once they have all left.
   */
  detach(key: string): void {
    this.flights.delete(key);
  }

  /**
   * Joins a flight already under way for `key`; undefined when there is none. With `timeoutMs`, the
   * wait gives up after that long (a TimeoutError, as if its signal had timed out); the timer goes
   * when the wait ends.
   */
  join(key: string, signal: AbortSignal, timeoutMs?: number): Promise<T> | undefined {
    const flight = this.flights.get(key);
    if (!flight) return undefined;
    this.enter(flight);
    return this.wait(key, flight, signal, timeoutMs);
  }

  private enter(flight: Flight<T>): void {
    flight.waiters++;
    clearTimeout(flight.grace);
    flight.grace = undefined;
  }

  /** The last waiter left: abort now, or after the grace period unless someone joins. */
  private abandon(key: string, flight: Flight<T>, reason: unknown): void {
    const abort = () => {
      flight.grace = undefined;
      if (flight.waiters > 0) return;
      flight.controller.abort(reason);
      if (this.flights.get(key) === flight) this.flights.delete(key);
    };
    const grace = flight.graceMs ?? this.graceMs();
    if (grace <= 0) {
      abort();
      return;
    }
    flight.grace = setTimeout(abort, grace);
    flight.grace.unref?.();
  }

  private wait(key: string, flight: Flight<T>, signal: AbortSignal, timeoutMs?: number): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      const leave = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        flight.waiters--;
      };
      const stop = (reason: unknown) => {
        if (settled) return;
        settled = true;
        leave();
        if (flight.waiters === 0) this.abandon(key, flight, reason);
        reject(reason ?? new Error('aborted'));
      };
      const onAbort = () => stop(signal.reason);
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => stop(new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError')), timeoutMs);
        timer.unref?.();
      }
      flight.promise.then(
        (value) => {
          if (settled) return;
          settled = true;
          leave();
          resolve(value);
        },
        (error: unknown) => {
          if (settled) return;
          settled = true;
          leave();
          reject(error);
        },
      );
    });
  }
}
