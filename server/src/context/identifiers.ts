/**
 * Identifiers of code as sets and as ordered uses near a cursor: the common currency of the
 * repository-context sources (similar windows compare identifier sets; definitions look up the
 * names used near the cursor). Keywords of the usual languages are left out: they say nothing
 * about which code is related.
 */

const KEYWORDS = new Set(
  (
    'abstract and as assert async await break case catch class const continue def default del delete do elif else enum export extends ' +
    'false final finally fn for from func function global go if impl implements import in instanceof interface is lambda let match ' +
    'mod move mut new nil none not null of or package pass private protected pub public raise readonly return self Self static struct ' +
    'super switch this throw true try type typeof undefined use var void while with yield True False None string number boolean any ' +
    'int str bool float dict list tuple set map chan defer select range where crate unsafe ref dyn trait loop'
  ).split(' '),
);

const IDENTIFIER = /[A-Za-z_$][\w$]*/g;

/** Whether a word is worth comparing (not a keyword, at least two characters). */
export function isMeaningful(word: string): boolean {
  return word.length >= 2 && !KEYWORDS.has(word);
}

/** The distinct meaningful identifiers of `text`. */
export function identifierSet(text: string): Set<string> {
  const out = new Set<string>();
  for (const word of text.match(IDENTIFIER) ?? []) if (isMeaningful(word)) out.add(word);
  return out;
}

/**
 * A copy of a string cut from a larger one that no longer points into it. V8 represents a cut of
 * 13 characters or more as a view of its parent, so an identifier or a snippet kept in an index
 * would keep the whole text it came from alive (a file read from disk, an old document version).
 */
export function detach(value: string): string {
  return value.length < 13 ? value : (JSON.parse(JSON.stringify(value)) as string);
}

/** Jaccard similarity of two sets: |A ∩ B| / |A ∪ B| (0 when both are empty). */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const word of small) if (large.has(word)) shared++;
  return shared / (a.size + b.size - shared);
}

/** A name used in the code: `name`, or `qualifier.name` for a member of a namespace or module. */
export interface NameUse {
  name: string;
  qualifier?: string;
}

const USE = /([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)/g;

/**
 * The names used in `text`, nearest the end first (the cursor is at the end of a prefix), each
 * once. A dotted chain `a.b.c` yields `c` qualified by `a.b`, then `b` qualified by `a`, then `a`.
 */
export function usesNearEnd(text: string, limit = 64): NameUse[] {
  const found: NameUse[] = [];
  const seen = new Set<string>();
  // Line by line from the end (no chain spans a line break): a long text is read only as far back
  // as the limit needs, and match() lists the chains without a match object each.
  for (let end = text.length; end > 0 && found.length < limit; ) {
    const start = text.lastIndexOf('\n', end - 1) + 1;
    const chains = start === end ? null : text.slice(start, end).match(USE);
    end = start - 1;
    if (chains === null) continue;
    for (let i = chains.length - 1; i >= 0 && found.length < limit; i--) {
      const parts = chains[i]!.split('.');
      for (let j = parts.length - 1; j >= 0; j--) {
        const name = parts[j]!;
        if (!isMeaningful(name)) continue;
        const qualifier = j > 0 ? parts.slice(0, j).join('.') : undefined;
        const key = `${qualifier ?? ''}.${name}`;
        if (seen.has(key)) continue;
        seen.add(key);
        found.push(qualifier === undefined ? { name } : { name, qualifier });
      }
    }
  }
  return found;
}
