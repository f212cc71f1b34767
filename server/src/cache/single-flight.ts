/**
 * In-process single-flight: concurrent calls with the same key share one execution. A caller
 * that cancels stops waiting; the shared work is aborted only when every caller has gone.
 */

interface Flight<T> {
  promise: Promise<T>;
  controller: AbortController;
  waiters: number;
}

export class SingleFlight<T> {
  private readonly flights = new Map<string, Flight<T>>();

  get inFlight(): number {
    return this.flights.size;
  }

  /** Runs `work` once per key at a time; `work` receives a signal that aborts when all callers left. */
  run(key: string, signal: AbortSignal, work: (signal: AbortSignal) => Promise<T>): { promise: Promise<T>; shared: boolean } {
    let flight = this.flights.get(key);
    const shared = flight !== undefined;
    if (!flight) {
      const controller = new AbortController();
      const created: Flight<T> = { controller, waiters: 0, promise: undefined as unknown as Promise<T> };
      created.promise = work(controller.signal).finally(() => {
        if (this.flights.get(key) === created) this.flights.delete(key);
      });
      this.flights.set(key, created);
      flight = created;
    }
    const current = flight;
    current.waiters++;
    return { promise: this.wait(key, current, signal), shared };
  }

  /** Joins a flight already under way for `key`; undefined when there is none. */
  join(key: string, signal: AbortSignal): Promise<T> | undefined {
    const flight = this.flights.get(key);
    if (!flight) return undefined;
    flight.waiters++;
    return this.wait(key, flight, signal);
  }

  private wait(key: string, flight: Flight<T>, signal: AbortSignal): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const leave = () => {
        signal.removeEventListener('abort', onAbort);
        flight.waiters--;
      };
      const onAbort = () => {
        if (settled) return;
        settled = true;
        leave();
        if (flight.waiters === 0) {
          flight.controller.abort(signal.reason);
          if (this.flights.get(key) === flight) this.flights.delete(key);
        }
        reject(signal.reason ?? new Error('aborted'));
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
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
