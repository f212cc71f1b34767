/**
 * Keeps streamed deltas consistent across retries. Text already handed to the listener cannot be
 * taken back, so a retried attempt forwards only what extends it: while the new attempt repeats
 * the delivered prefix nothing is sent, and if it diverges the rest of that attempt stays quiet
 * (ModelResult.text is the authority).
 */
import type { DeltaListener } from './types.ts';

export interface DeltaGate {
  /** Starts a new attempt; the listener has already seen `delivered`. */
  restart(): void;
  /** Offers one delta of the current attempt. */
  push(delta: string): void;
}

export function createDeltaGate(listener: DeltaListener | undefined): DeltaGate {
  let delivered = '';
  let attemptText = '';
  let diverged = false;
  return {
    restart() {
      attemptText = '';
      diverged = false;
    },
    push(delta) {
      if (!listener || diverged || delta.length === 0) return;
      attemptText += delta;
      if (attemptText.length <= delivered.length) {
        if (!delivered.startsWith(attemptText)) diverged = true;
        return;
      }
      if (!attemptText.startsWith(delivered)) {
        diverged = true;
        return;
      }
      const fresh = attemptText.slice(delivered.length);
      delivered = attemptText;
      listener(fresh);
    },
  };
}
