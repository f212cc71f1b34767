/**
 * The line-end prefetch (server/src/features/line-end-prefetch.ts): the model call for a typist
 * who stopped at a line's end starts before the editor asks, only for a client that asks there.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { atLineEnd, LINE_END_PAUSE_MS, LineEndPrefetch } from '../../../server/src/features/line-end-prefetch.ts';

describe('atLineEnd', () => {
  const at = (fixture: string) => atLineEnd(fixture.replace('|', ''), fixture.indexOf('|'));
  it.each([
    ['a statement is over', '  x = 1;|\n  y();'],
    ['a block header', '  if (ok) {|\n}'],
    ['a Python header', 'def f(a):|\n'],
    ['a call is closed', '    cur_len = sum(map(len, cur_line))|'],
    ['a fresh line after Enter', 'a();\n    |\nb();'],
  ])('true where %s', (_, fixture) => {
    expect(at(fixture)).toBe(true);
  });
  it.each([
    ['mid-word', '  const total|'],
    ['text after the cursor on the line', '  f(|);'],
    ['after an operator', '  x = |'],
    ['the start of an empty document', '|'],
  ])('false %s', (_, fixture) => {
    expect(at(fixture)).toBe(false);
  });
});

describe('LineEndPrefetch', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });
  const URI = 'file:///a.ts';
  const TEXT = 'a();\nb();\n';

  /** A long pause at the end of `a();`, and whether the client asked in it. */
  function pause(prefetch: LineEndPrefetch, asked: boolean): void {
    prefetch.changed(URI, TEXT, 4);
    vi.advanceTimersByTime(LINE_END_PAUSE_MS);
    if (asked) prefetch.asked(URI);
  }

  /** A prefetch after `pauses` long pauses at a line end, `asks(i)` saying whether the client asked in the i-th. */
  function primed(pauses: number, asks: (i: number) => boolean = () => true) {
    const started: number[] = [];
    const prefetch = new LineEndPrefetch((_, offset) => started.push(offset));
    for (let i = 0; i < pauses; i++) pause(prefetch, asks(i));
    return { prefetch, started };
  }

  it('starts the call once the client asked in most recent long pauses at a line end', () => {
    const { prefetch, started } = primed(4);
    // Four pauses known: the fourth's own timer fired before it was counted.
    expect(started).toEqual([]);
    prefetch.changed(URI, TEXT, 4);
    vi.advanceTimersByTime(LINE_END_PAUSE_MS - 1);
    expect(started).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(started).toEqual([4]);
  });

  it('a request on the key itself (a trigger character) is no sign the client asks at pauses', () => {
    const { prefetch, started } = primed(0);
    for (let i = 0; i < 8; i++) {
      prefetch.changed(URI, TEXT, 4);
      prefetch.asked(URI);
      vi.advanceTimersByTime(LINE_END_PAUSE_MS);
    }
    expect(started).toEqual([]);
    expect(prefetch.asksAtLineEnds()).toBe(false);
  });

  it('starts no call for a client that seldom asks at a line end', () => {
    const { prefetch, started } = primed(8, (i) => i % 3 === 0);
    started.length = 0;
    // The last eight: asked in the 1st, 4th and 7th.
    prefetch.changed(URI, TEXT, 4);
    vi.advanceTimersByTime(LINE_END_PAUSE_MS);
    expect(started).toEqual([]);
    expect(prefetch.asksAtLineEnds()).toBe(false);
  });

  it('a key before the pause is long cancels the call, and a short pause does not count', () => {
    const { prefetch, started } = primed(4);
    prefetch.changed(URI, TEXT, 4);
    vi.advanceTimersByTime(LINE_END_PAUSE_MS / 2);
    prefetch.changed(URI, `${TEXT}x`, 11);
    vi.advanceTimersByTime(LINE_END_PAUSE_MS * 2);
    expect(started).toEqual([]);
  });

  it('starts nothing mid-line or once the document closed', () => {
    const { prefetch, started } = primed(4);
    prefetch.changed(URI, 'const total', 11);
    vi.advanceTimersByTime(LINE_END_PAUSE_MS);
    prefetch.changed(URI, TEXT, 4);
    prefetch.forget(URI);
    vi.advanceTimersByTime(LINE_END_PAUSE_MS);
    expect(started).toEqual([]);
  });
});

describe('atLineEnd on a long line', () => {
  it('looks at a bounded window around the cursor', () => {
    const minified = `${'a=1;'.repeat(250_000)}`;
    expect(atLineEnd(minified, minified.length)).toBe(true);
    expect(atLineEnd(minified, 40)).toBe(false);
    expect(atLineEnd(`${minified}${' '.repeat(300)}`, minified.length)).toBe(false);
  });
});
