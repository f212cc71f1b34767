/**
 * adaptiveDebounce: the debounce follows the typist's median gap between keys, within bounds.
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
});
