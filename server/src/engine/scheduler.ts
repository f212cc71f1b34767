/**
 * Debounce and "latest request wins" per document. A newer request for the same document
 * supersedes the older one: the older one's signal aborts with reason 'superseded' and it is still
 * answered (empty) by its caller. A change to the document aborts a pending request made for an
 * older version with reason 'stale': its answer could never be returned, so it is answered (empty)
 * at once instead of when its model call ends. Invoked (manual) requests skip the debounce.
 */

export const SUPERSEDED = 'superseded';
export const STALE = 'stale';

export interface Ticket {
  /** Aborts when the request is superseded or its caller cancels it. */
  signal: AbortSignal;
  /** Resolves true when the debounce elapsed and the request is still the latest. */
  ready: Promise<boolean>;
  /**
   * Calls `listener` with the abort reason if the ticket aborts before `done()` (at once if it has
   * already). The link goes at `done()`: a listener left on the ticket's signal would keep the
   * signal, the listener and all it holds alive for as long as the caller's signal lives.
   */
  onAbort(listener: (reason: unknown) => void): void;
  /** Frees the slot when the request finishes, and drops the ticket's listeners and debounce timer. */
  done(): void;
}

export class Scheduler {
  private readonly latest = new Map<string, { controller: AbortController; version: number }>();
  private readonly lastEnter = new Map<string, { at: number; version: number }>();

  /**
   * True when the previous request for this document came less than `windowMs` ago and the
   * document changed since: the user is typing. Editors that send "invoked" completion on their
   * own as you type (Neovim plugins, Helix) are then debounced too, while a manual invocation —
   * after a pause, or again on unchanged text — runs at once.
   */
  typing(documentKey: string, version: number, windowMs: number, now = performance.now()): boolean {
    const last = this.lastEnter.get(documentKey);
    return last !== undefined && last.version !== version && now - last.at < windowMs;
  }

  /** Starts a request for a document; `callerSignal` is the LSP cancellation turned into a signal. */
  enter(documentKey: string, callerSignal: AbortSignal, debounceMs: number, version = 0): Ticket {
    this.latest.get(documentKey)?.controller.abort(SUPERSEDED);
    const controller = new AbortController();
    this.latest.set(documentKey, { controller, version });
    this.lastEnter.set(documentKey, { at: performance.now(), version });
    // Aborted when the caller cancels (its reason) or a newer request supersedes this one (SUPERSEDED).
    const signal = AbortSignal.any([callerSignal, controller.signal]);

    // What done() removes: the debounce's timer and listener, and the onAbort links.
    const unlinks: Array<() => void> = [];
    const ready = new Promise<boolean>((resolve) => {
      if (signal.aborted) return resolve(false);
      if (debounceMs <= 0) return resolve(true);
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve(!signal.aborted);
      }, debounceMs);
      const onAbort = () => {
        clearTimeout(timer);
        resolve(false);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      unlinks.push(() => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        resolve(false);
      });
    });

    return {
      signal,
      ready,
      onAbort: (listener) => {
        if (signal.aborted) return listener(signal.reason);
        const handler = () => listener(signal.reason);
        signal.addEventListener('abort', handler, { once: true });
        unlinks.push(() => signal.removeEventListener('abort', handler));
      },
      done: () => {
        for (const unlink of unlinks.splice(0)) unlink();
        if (this.latest.get(documentKey)?.controller === controller) this.latest.delete(documentKey);
      },
    };
  }

  /**
   * The document is now at `version`: the pending request, if it was made for an older version,
   * aborts with STALE (a client that never cancels, such as Helix, gets its empty answer now and
   * may ask again, instead of waiting for a model call whose answer would be dropped).
   */
  movedOn(documentKey: string, version: number): void {
    const pending = this.latest.get(documentKey);
    if (pending === undefined || pending.version >= version) return;
    pending.controller.abort(STALE);
    this.latest.delete(documentKey);
  }

  /** Supersedes whatever is pending for a document (e.g. when it closes). */
  cancel(documentKey: string): void {
    this.latest.get(documentKey)?.controller.abort(SUPERSEDED);
    this.latest.delete(documentKey);
    this.lastEnter.delete(documentKey);
  }
}
