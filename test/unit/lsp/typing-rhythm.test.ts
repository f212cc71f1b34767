/**
 * DocumentStore's typing rhythm: the median gap between a document's recent changes, pauses of a
 * second or more left out, told only after a few changes.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DocumentStore } from '../../../server/src/lsp/documents.ts';

const URI = 'file:///a.ts';

function typeWithGaps(store: DocumentStore, gaps: number[]): void {
  let character = 0;
  for (const gap of gaps) {
    vi.advanceTimersByTime(gap);
    const at = { line: 0, character };
    store.change(URI, character + 2, [{ range: { start: at, end: at }, text: 'x' }]);
    character++;
  }
}

describe('DocumentStore typing rhythm', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('is the median of the recent gaps, pauses left out', () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const store = new DocumentStore();
    store.open(URI, 'typescript', 1, '');
    typeWithGaps(store, [5000, 120, 140, 3000, 160, 130, 150, 900]);
    // Gaps under a second: 120 140 160 130 150 900 → median (upper) 150.
    expect(store.typingGap(URI)).toBe(150);
    expect(store.lastChange(URI)).toBe(performance.now());
  });

  it('is unknown until enough changes were seen, and forgotten when the document closes', () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const store = new DocumentStore();
    store.open(URI, 'typescript', 1, '');
    typeWithGaps(store, [100, 100, 100]);
    expect(store.typingGap(URI)).toBeUndefined();
    typeWithGaps(store, [100, 100, 100]);
    expect(store.typingGap(URI)).toBe(100);
    store.close(URI);
    expect(store.typingGap(URI)).toBeUndefined();
    expect(store.lastChange(URI)).toBeUndefined();
  });
});
