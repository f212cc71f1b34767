/**
 * Keeps credentials a model produces out of the editor: a key the model recalls from training
 * data or invents must not be inserted into the user's file.
 *
 * Choice: each detected credential is replaced by '' (the rest of the suggestion stays), so
 * `apiKey = "sk-..."` becomes `apiKey = ""`, a useful completion the user fills in; cutting the
 * whole suggestion would throw away the surrounding code for one value.
 *
 * Order matters: call `scrubOutput` on the raw model text and only then the redaction's
 * `restore()`. Placeholders are not credentials, so they survive scrubbing, and the user's own
 * secrets that `restore()` puts back are never removed.
 */
import { detectSecrets } from './detect.ts';

export interface ScrubResult {
  text: string;
  /** How many credentials were removed. */
  removed: number;
}

export function scrubOutput(text: string): ScrubResult {
  const matches = detectSecrets(text);
  if (matches.length === 0) return { text, removed: 0 };
  const parts: string[] = [];
  let cursor = 0;
  for (const match of matches) {
    parts.push(text.slice(cursor, match.start));
    cursor = match.end;
  }
  parts.push(text.slice(cursor));
  return { text: parts.join(''), removed: matches.length };
}
