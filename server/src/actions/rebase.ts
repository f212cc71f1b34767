/**
 * Moves edits computed against the text a model saw onto the text the user has now: when none of
 * the user's changes touch a line an edit touches, the edits shift past them; otherwise it is a
 * conflict and the action declines rather than overwrite what the user typed.
 */
import { diffText, type TextChange } from './diff.ts';
import { lineOf } from './target.ts';

export type RebaseOutcome = { kind: 'ok'; changes: TextChange[] } | { kind: 'conflict'; at: number };

/** The first and last line a change touches in `text`; a span ending at a line start stops at the line before. */
function lineSpan(text: string, change: TextChange): [number, number] {
  const first = lineOf(text, change.start);
  const endsAtLineStart = change.end > change.start && text[change.end - 1] === '\n';
  return [first, Math.max(first, lineOf(text, change.end) - (endsAtLineStart ? 1 : 0))];
}

/**
 * True when a user change and an edit touch a common line. Lines, not characters: two edits on one
 * line of code are rarely independent, so the user is asked to run the action again instead.
 */
function overlaps(text: string, user: TextChange, edit: TextChange): boolean {
  const [userFirst, userLast] = lineSpan(text, user);
  const [editFirst, editLast] = lineSpan(text, edit);
  return userFirst <= editLast && editFirst <= userLast;
}

export function rebase(changes: readonly TextChange[], before: string, after: string): RebaseOutcome {
  if (before === after) return { kind: 'ok', changes: [...changes] };
  const user = diffText(before, after);
  const moved: TextChange[] = [];
  for (const edit of changes) {
    let shift = 0;
    for (const change of user) {
      if (overlaps(before, change, edit)) return { kind: 'conflict', at: change.start };
      // A user change wholly before this edit (an insertion at the edit's start counts as before).
      if (change.end <= edit.start) shift += change.text.length - (change.end - change.start);
    }
    moved.push({ start: edit.start + shift, end: edit.end + shift, text: edit.text });
  }
  return { kind: 'ok', changes: moved };
}
