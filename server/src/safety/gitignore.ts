/**
 * Gitignore-syntax rules over relative paths, matched by the `ignore` package (the matcher ESLint,
 * Prettier and many others use, tested against git's own behaviour): comments, `!` negation, `/`
 * anchoring, directory-only patterns, `*`, `?`, `[...]` and `**`, and no re-inclusion inside an
 * excluded directory. This file only keeps the deciding rule's label for reports, and leaves out
 * anchored rules for paths outside the workspace.
 */
import ignore, { type Ignore } from 'ignore';

export interface IgnoreRule {
  /** The label reported when this rule decides (`rule` in exclusion results). */
  source: string;
  /** The pattern as written (trailing spaces trimmed). */
  pattern: string;
  negated: boolean;
  /** Has a `/` before its end: relative to the root instead of matching at any depth. */
  anchored: boolean;
}

/** Parses one gitignore line; undefined for blank lines and comments. */
export function compileIgnoreLine(line: string, source = line): IgnoreRule | undefined {
  const pattern = line.replace(/(?<!\\)\s+$/, '');
  if (pattern === '' || pattern.startsWith('#')) return undefined;
  const negated = pattern.startsWith('!');
  const body = (negated ? pattern.slice(1) : pattern).replace(/\/+$/, '');
  if (body === '' || body === '/') return undefined;
  return { source, pattern, negated, anchored: body.includes('/') };
}

/** One matcher per rule list (and per "anchored rules apply" choice), built on first use. */
const matchers = new WeakMap<readonly IgnoreRule[], { all?: Ignore; unanchored?: Ignore }>();

function matcherOf(rules: readonly IgnoreRule[], anchoredRulesApply: boolean): Ignore {
  let built = matchers.get(rules);
  if (!built) matchers.set(rules, (built = {}));
  const slot = anchoredRulesApply ? 'all' : 'unanchored';
  let matcher = built[slot];
  if (!matcher) {
    matcher = ignore();
    rules.forEach((rule, index) => {
      if (anchoredRulesApply || !rule.anchored) matcher!.add({ pattern: rule.pattern, mark: String(index) });
    });
    built[slot] = matcher;
  }
  return matcher;
}

/**
 * Git's decision for `relativePath` (slash-separated): a file inside an excluded directory stays
 * excluded whatever later rules say; otherwise the last matching rule wins. Returns the deciding
 * rule when the path is excluded.
 */
export function matchIgnoreRules(
  rules: readonly IgnoreRule[],
  relativePath: string,
  anchoredRulesApply = true,
): IgnoreRule | undefined {
  // The matcher takes relative paths only: drop a drive, leading slashes and `./` segments.
  const path = relativePath
    .replace(/^[A-Za-z]:/, '')
    .split('/')
    .filter((segment) => segment !== '' && segment !== '.')
    .join('/');
  if (path === '' || path.startsWith('..')) return undefined;
  const result = matcherOf(rules, anchoredRulesApply).test(path);
  if (!result.ignored || result.rule?.mark === undefined) return undefined;
  return rules[Number(result.rule.mark)];
}
