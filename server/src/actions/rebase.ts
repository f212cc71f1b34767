/**
 * Moves edits computed against the text a model saw onto the text the user has now: when none of
 * the user's changes touch an edited span the edits shift past them; otherwise it is a conflict and
 * the action declines rather than overwrite what the user typed.
 */
import { diffText, type TextChange } from './diff.ts';

export type RebaseOutcome = { kind: 'ok'; changes: TextChange[] } | { kind: 'conflict'; at: number };

/** True when a user change and an edit claim the same characters (or the same insertion point). */
function overlaps(user: TextChange, edit: TextChange): boolean {
  if (user.start < edit.end && edit.start < user.end) return true;
  // Two insertions at one point have no defined order.
  if (user.start === user.end && edit.start === edit.end && user.start === edit.start) return true;
  // An insertion strictly inside a replaced span is a change to that span.
  if (user.start === user.end && edit.start < user.start && user.start < edit.end) return true;
  return edit.start === edit.end && user.start < edit.start && edit.start < user.end;
}

export function rebase(changes: readonly TextChange[], before: string, after: string): RebaseOutcome {
  if (before === after) return { kind: 'ok', changes: [...changes] };
  const user = diffText(before, after);
  const moved: TextChange[] = [];
  for (const edit of changes) {
    let shift = 0;
    for (const change of user) {
      if (overlaps(change, edit)) return { kind: 'conflict', at: change.start };
      // A user change wholly before this edit (an insertion at the edit's start counts as before).
      if (change.end <= edit.start) shift += change.text.length - (change.end - change.start);
    }
    moved.push({ start: edit.start + shift, end: edit.end + shift, text: edit.text });
  }
  return { kind: 'ok', changes: moved };
}
