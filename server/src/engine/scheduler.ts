/**
 * Debounce and "latest request wins" per document. A newer request for the same document
 * supersedes the older one: the older one's signal aborts with reason 'superseded' and it is still
 * answered (empty) by its caller. Invoked (manual) requests skip the debounce.
 */

export const SUPERSEDED = 'superseded';

export interface Ticket {
  /** Aborts when the request is superseded or its caller cancels it. */
  signal: AbortSignal;
  /** Resolves true when the debounce elapsed and the request is still the latest. */
  ready: Promise<boolean>;
  /** Frees the slot when the request finishes. */
  done(): void;
}

export class Scheduler {
  private readonly latest = new Map<string, AbortController>();
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
    this.latest.get(documentKey)?.abort(SUPERSEDED);
    const controller = new AbortController();
    this.latest.set(documentKey, controller);
    this.lastEnter.set(documentKey, { at: performance.now(), version });
    // Aborted when the caller cancels (its reason) or a newer request supersedes this one (SUPERSEDED).
    const signal = AbortSignal.any([callerSignal, controller.signal]);

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
    });

    return {
      signal,
      ready,
      done: () => {
        if (this.latest.get(documentKey) === controller) this.latest.delete(documentKey);
      },
    };
  }

  /** Supersedes whatever is pending for a document (e.g. when it closes). */
  cancel(documentKey: string): void {
    this.latest.get(documentKey)?.abort(SUPERSEDED);
    this.latest.delete(documentKey);
    this.lastEnter.delete(documentKey);
  }
}
