/**
 * The shape every secret detector returns, apart from the detectors so they can share it without
 * importing each other.
 */

/** A detected secret: `text.slice(start, end)` is the secret, `kind` names its format. */
export interface SecretMatch {
  start: number;
  end: number;
  kind: string;
}
