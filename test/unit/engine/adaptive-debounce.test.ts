/**
 * adaptiveDebounce: the debounce follows the typist's median gap between keys, within bounds, and
 * is none for the first key of a burst.
 */
import { describe, expect, it } from 'vitest';
import { adaptiveDebounce } from '../../../server/src/engine/engine.ts';

describe('adaptiveDebounce', () => {
  it.each([
    [250, undefined, 250],
    [250, 140, 175],
    [250, 60, 100],
    [250, 400, 250],
    [75, 140, 75],
  ])('configured %i ms, median gap %s ms → %i ms', (configured, gap, expected) => {
    expect(adaptiveDebounce(configured, gap)).toBe(expected);
  });

  it.each([
    [250, undefined],
    [250, 140],
    [2000, 400],
  ])('the first key of a burst waits nothing (configured %i ms, median gap %s ms)', (configured, gap) => {
    expect(adaptiveDebounce(configured, gap, true)).toBe(0);
    expect(adaptiveDebounce(configured, gap, false)).toBeGreaterThanOrEqual(100);
  });
});
