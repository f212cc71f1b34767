/**
 * DocumentStore's typing rhythm: the median gap between a document's recent changes, pauses of a
 * second or more left out, told only after a few changes; a document with too few changes of its
 * own borrows the rhythm of all documents.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DocumentStore } from '../../../server/src/lsp/documents.ts';

const URI = 'file:///a.ts';

function typeWithGaps(store: DocumentStore, gaps: number[], uri = URI): void {
  let character = 0;
  for (const gap of gaps) {
    vi.advanceTimersByTime(gap);
    const at = { line: 0, character };
    store.change(uri, character + 2, [{ range: { start: at, end: at }, text: 'x' }]);
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

  it('is unknown until enough changes were seen, and the document forgets its own when it closes', () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const store = new DocumentStore();
    const other = 'file:///b.ts';
    store.open(URI, 'typescript', 1, '');
    typeWithGaps(store, [100, 100, 100]);
    expect(store.typingGap(URI)).toBeUndefined();
    typeWithGaps(store, [100, 100, 100]);
    expect(store.typingGap(URI)).toBe(100);
    store.open(other, 'typescript', 1, '');
    typeWithGaps(store, [300, 300, 300, 300, 300, 300], other);
    // Its own gaps still tell, though the server-wide median (of 100s and 300s) is 300.
    expect(store.typingGap(URI)).toBe(100);
    store.close(URI);
    expect(store.lastChange(URI)).toBeUndefined();
    store.open(URI, 'typescript', 1, '');
    expect(store.typingGap(URI)).toBe(300);
  });

  it('borrows the server-wide rhythm until a document has enough gaps of its own', () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const store = new DocumentStore();
    const other = 'file:///b.ts';
    store.open(URI, 'typescript', 1, '');
    typeWithGaps(store, [140, 140, 140, 140, 140, 140]);
    store.close(URI);
    // The typist opens another file: no gap of its own yet, the rhythm is still theirs.
    store.open(other, 'typescript', 1, '');
    expect(store.typingGap(other)).toBe(140);
    // Until it has six gaps of its own, the last 16 gaps of all documents tell (six 140s, three 300s).
    typeWithGaps(store, [300, 300, 300], other);
    expect(store.typingGap(other)).toBe(140);
    typeWithGaps(store, [300, 300, 300], other);
    expect(store.typingGap(other)).toBe(300);
  });

  it('keeps only the last gaps server-wide, across many documents', () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const store = new DocumentStore();
    for (let i = 0; i < 40; i++) {
      const uri = `file:///f${i}.ts`;
      store.open(uri, 'typescript', 1, '');
      // Older documents were typed slowly, the last three quickly; the median follows the last 16 gaps.
      typeWithGaps(store, i < 37 ? [400, 400] : [100, 100, 100, 100, 100, 100], uri);
    }
    const fresh = 'file:///new.ts';
    store.open(fresh, 'typescript', 1, '');
    expect(store.typingGap(fresh)).toBe(100);
  });
});

describe('DocumentStore burst start', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('is the first change since the document opened, or the first after a pause of a second', () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const store = new DocumentStore();
    store.open(URI, 'typescript', 1, '');
    expect(store.startsBurst(URI)).toBe(false);
    typeWithGaps(store, [200]);
    expect(store.startsBurst(URI)).toBe(true);
    typeWithGaps(store, [140]);
    expect(store.startsBurst(URI)).toBe(false);
    typeWithGaps(store, [1500]);
    expect(store.startsBurst(URI)).toBe(true);
    typeWithGaps(store, [900]);
    expect(store.startsBurst(URI)).toBe(false);
    store.close(URI);
    expect(store.startsBurst(URI)).toBe(false);
  });
});

describe('DocumentStore cursor after a change', () => {
  it('is just past the text the last change inserted, in UTF-16, and unknown after a whole-text change', () => {
    const store = new DocumentStore();
    store.open(URI, 'typescript', 1, 'const a = 1;\n\n');
    store.change(URI, 2, [
      { range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: '    ' },
    ]);
    expect(store.cursorAfterChange(URI)).toBe('const a = 1;\n    '.length);
    // Several changes in one notification: the last one counts; a deletion leaves it at its start.
    store.change(URI, 3, [
      { range: { start: { line: 1, character: 4 }, end: { line: 1, character: 4 } }, text: '"😀' },
      { range: { start: { line: 1, character: 4 }, end: { line: 1, character: 5 } }, text: '' },
    ]);
    expect(store.get(URI)?.text).toBe('const a = 1;\n    😀\n');
    expect(store.cursorAfterChange(URI)).toBe('const a = 1;\n    '.length);
    store.change(URI, 4, [{ text: 'whole' }]);
    expect(store.cursorAfterChange(URI)).toBeUndefined();
  });
});
