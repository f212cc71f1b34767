/**
 * firstLineComplete: when a one-line suggestion can be served from a call that is still streaming.
 */
import { describe, expect, it } from 'vitest';
import { firstLineComplete } from '../../../server/src/engine/engine.ts';

describe('firstLineComplete', () => {
  it.each([
    ['reduce((a, b) => a + b, 0);', false, false],
    ['reduce((a, b) => a + b, 0);\n', false, true],
    ['reduce((a, b) => a + b, 0);\n  return', false, true],
    ['', false, false],
    ['\n', false, false],
    ['   \n  x', false, false],
    // Look-ahead at the end of a line: the line after the leading break is the suggestion.
    ['\n  return total;', true, false],
    ['\n  return total;\n', true, true],
    ['return total;\n', true, true],
  ])('%j (look-ahead %s) → %s', (code, lookahead, expected) => {
    expect(firstLineComplete(code, lookahead)).toBe(expected);
  });
});
