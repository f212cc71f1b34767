/** The fake server's seeded jitter: repeatable for a seed, bounded, and never negative. */
import { describe, expect, it } from 'vitest';
import { jittered, latencyDelays, mulberry32 } from '../../fake-openai/rng.ts';
import { chunkText } from '../../fake-openai/play.ts';

describe('mulberry32', () => {
  it('repeats for the same seed and differs for another', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const c = mulberry32(43);
    const first = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(first);
    expect([c(), c(), c()]).not.toEqual(first);
    expect(first.every((value) => value >= 0 && value < 1)).toBe(true);
  });
});

describe('jittered', () => {
  it.each([
    [0, 100, 50, 50],
    [0.5, 100, 50, 100],
    [0.999999, 100, 50, 150],
    [0, 10, 50, 0],
  ])('random %f around %i ±%i gives %i', (value, base, jitter, expected) => {
    expect(jittered(base, jitter, () => value)).toBe(expected);
  });
});

describe('latencyDelays', () => {
  it('derives the per-delta delay from tokens per second', () => {
    const delays = latencyDelays({ ttftMs: 300, tokensPerSec: 50, jitterMs: 0 }, 8, Math.random);
    expect(delays.firstTokenDelayMs()).toBe(300);
    expect(delays.chunkDelayMs()).toBe(40);
  });
});

describe('chunkText', () => {
  it('splits by code points so surrogate pairs survive', () => {
    expect(chunkText('ab😀cd', 3)).toEqual(['ab😀', 'cd']);
    expect(chunkText('', 4)).toEqual([]);
  });
});
