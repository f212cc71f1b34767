import { describe, expect, it } from 'vitest';
import { negotiateEncoding, utf16ToUtf8Column, utf8ToUtf16Column } from '../../../server/src/lsp/encoding.ts';
import { DocumentStore } from '../../../server/src/lsp/documents.ts';

describe('position encodings', () => {
  it('prefers utf-8 when offered, else utf-16', () => {
    expect(negotiateEncoding(['utf-32', 'utf-8'])).toBe('utf-8');
    expect(negotiateEncoding(undefined)).toBe('utf-16');
    expect(negotiateEncoding(['utf-32'])).toBe('utf-16');
  });

  const line = 'a😀漢é|';
  it.each([
    [0, 0],
    [1, 1],
    [5, 3],
    [8, 4],
    [10, 5],
    [11, 6],
  ])('utf-8 column %i is utf-16 column %i', (bytes, units) => {
    expect(utf8ToUtf16Column(line, bytes)).toBe(units);
    expect(utf16ToUtf8Column(line, units)).toBe(bytes);
  });

  it('clamps columns past the end of the line', () => {
    expect(utf8ToUtf16Column('abc', 99)).toBe(3);
    expect(utf16ToUtf8Column('abc', 99)).toBe(3);
  });
});

describe('DocumentStore', () => {
  it('applies incremental utf-8 changes one after another', () => {
    const store = new DocumentStore();
    store.encoding = 'utf-8';
    store.open('u', 'ts', 1, '😀x\n');
    store.change('u', 2, [
      { range: { start: { line: 0, character: 4 }, end: { line: 0, character: 4 } }, text: '漢' },
      { range: { start: { line: 0, character: 7 }, end: { line: 0, character: 8 } }, text: 'y' },
    ]);
    expect(store.get('u')?.text).toBe('😀漢y\n');
    expect(store.offsetAt('u', { line: 0, character: 7 })).toBe(3);
    expect(store.positionAt('u', 3)).toEqual({ line: 0, character: 7 });
  });

  it('rejects lines that do not exist and flags binary text', () => {
    const store = new DocumentStore();
    store.open('u', 'ts', 1, 'one\ntwo');
    expect(store.offsetAt('u', { line: 2, character: 0 })).toBeUndefined();
    expect(store.offsetAt('u', { line: 1, character: 99 })).toBe(7);
    store.open('b', 'bin', 1, 'a\0b');
    expect(store.get('b')?.binary).toBe(true);
  });
});
