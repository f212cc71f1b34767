import { describe, expect, it } from 'vitest';
import { LruCache } from '../../../server/src/cache/lru.ts';
import { cacheKey } from '../../../server/src/cache/key.ts';

describe('LruCache', () => {
  it('evicts the least recently used entry beyond its size', () => {
    const lru = new LruCache<number>(2);
    lru.set('a', 1, 1000);
    lru.set('b', 2, 1000);
    lru.get('a');
    lru.set('c', 3, 1000);
    expect([lru.get('a'), lru.get('b'), lru.get('c')]).toEqual([1, undefined, 3]);
  });

  it('expires entries after their TTL', () => {
    let now = 0;
    const lru = new LruCache<number>(10, () => now);
    lru.set('a', 1, 100);
    now = 99;
    expect(lru.get('a')).toBe(1);
    now = 200;
    expect(lru.get('a')).toBeUndefined();
    expect(lru.size).toBe(0);
  });

  it('stores nothing with size 0', () => {
    const lru = new LruCache<number>(0);
    lru.set('a', 1, 1000);
    expect(lru.get('a')).toBeUndefined();
  });
});

describe('cacheKey', () => {
  const parts = {
    templateVersion: 'c1',
    model: 'm',
    temperature: 0.1,
    maxOutputTokens: 10,
    instructions: 'i',
    input: 'x',
  };
  it('changes with everything that shapes an answer', () => {
    const base = cacheKey(parts);
    for (const change of [
      { model: 'n' },
      { temperature: 0.2 },
      { maxOutputTokens: 11 },
      { instructions: 'j' },
      { input: 'y' },
      { templateVersion: 'c2' },
    ]) {
      expect(cacheKey({ ...parts, ...change })).not.toBe(base);
    }
    expect(cacheKey({ ...parts })).toBe(base);
  });

  it('does not confuse a boundary shift between instructions and input', () => {
    expect(cacheKey({ ...parts, instructions: 'ab', input: 'c' })).not.toBe(
      cacheKey({ ...parts, instructions: 'a', input: 'bc' }),
    );
  });
});
