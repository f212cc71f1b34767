/**
 * Rebasing edits past what the user typed while the model worked: edits shift past changes on other
 * lines, and any change to a line an edit touches is a conflict.
 */
import { describe, expect, it } from 'vitest';
import { applyChanges } from '../../../server/src/actions/diff.ts';
import { rebase } from '../../../server/src/actions/rebase.ts';

const BEFORE = 'alpha\nbeta\ngamma\n';
// The model's edit: "beta" → "BETA".
const EDIT = [{ start: 6, end: 10, text: 'BETA' }];

describe('rebase', () => {
  const ok: [string, string, string][] = [
    ['nothing changed', BEFORE, 'alpha\nBETA\ngamma\n'],
    ['a line added above', 'zero\nalpha\nbeta\ngamma\n', 'zero\nalpha\nBETA\ngamma\n'],
    ['a line removed below', 'alpha\nbeta\n', 'alpha\nBETA\n'],
    ['typing at the end of the line above', 'alpha!\nbeta\ngamma\n', 'alpha!\nBETA\ngamma\n'],
    ['a line inserted right below', 'alpha\nbeta\nnew\ngamma\n', 'alpha\nBETA\nnew\ngamma\n'],
    ['edits above and below at once', 'ALPHA\nbeta\ngamma!\n', 'ALPHA\nBETA\ngamma!\n'],
  ];
  it.each(ok)("keeps the user's edit: %s", (_name, after, expected) => {
    const result = rebase(EDIT, BEFORE, after);
    expect(result.kind).toBe('ok');
    if (result.kind === 'ok') expect(applyChanges(after, result.changes)).toBe(expected);
  });

  const conflicts: [string, string][] = [
    ['the edited word changed', 'alpha\nbeat\ngamma\n'],
    ['a character typed inside the edited word', 'alpha\nbe-ta\ngamma\n'],
    ['the edited line deleted', 'alpha\ngamma\n'],
    ['typing right before the edited word, on its line', 'alpha\nxbeta\ngamma\n'],
    ['typing at the end of the edited line', 'alpha\nbeta;\ngamma\n'],
  ];
  it.each(conflicts)('declines: %s', (_name, after) => {
    expect(rebase(EDIT, BEFORE, after).kind).toBe('conflict');
  });

  it('declines two insertions at the same point', () => {
    expect(rebase([{ start: 6, end: 6, text: '// doc\n' }], BEFORE, 'alpha\n// mine\nbeta\ngamma\n').kind).toBe(
      'conflict',
    );
  });
});
