/** Line comments at the cursor, by the language's markers and outside string literals. */
import { describe, expect, it } from 'vitest';
import { endsInLineComment } from '../../../server/src/engine/postprocess/comments.ts';

describe('endsInLineComment', () => {
  it.each([
    ['python', '    # -- Private methods ----', true],
    ['python', 'x = 1  # the width,', true],
    ['python', 'label = "# " +', false],
    ['python', "pattern = '\\'#' +", false],
    ['typescript', '  // width, height,', true],
    ['typescript', 'const url = "http://host" +', false],
    ['typescript', 'const s = `a // b` + // why:', true],
    ['typescript', 'this.#count -', false],
    ['lua', 'local n = 1 -- count -', true],
    ['c', 'i = j -', false],
    ['c', 'i = j; /* block */ -', false],
  ])('%s: %j → %s', (languageId, linePrefix, expected) => {
    expect(endsInLineComment(linePrefix, languageId)).toBe(expected);
  });

  it('applies no rule to a language it has no markers for', () => {
    expect(endsInLineComment('# heading -', 'markdown')).toBe(false);
    expect(endsInLineComment('// x -', 'plaintext')).toBe(false);
  });
});
