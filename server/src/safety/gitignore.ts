/**
 * Compiles gitignore-syntax patterns (comments, `!` negation, trailing `/` for directories,
 * leading or inner `/` anchoring, `*`, `?`, `[...]`, `**`) into matchers over relative paths.
 *
 * Why not `path.matchesGlob` (Node 22+): its `*` and `**` skip dotfiles and dot-directories, so
 * `*.pem` would miss `.ssh/deploy.pem` and `*` would miss `.env` — the files this module exists
 * to keep out of prompts. Gitignore semantics also need anchoring rules globs do not have.
 */

export interface IgnoreRule {
  /** The line as written, for reports (`rule` in exclusion results). */
  source: string;
  negated: boolean;
  /** Matches only directories (the pattern ended with `/`). */
  directoryOnly: boolean;
  /** Has a `/` before its end: relative to the root instead of matching at any depth. */
  anchored: boolean;
  regex: RegExp;
}

function escapeRegExp(ch: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(ch) ? `\\${ch}` : ch;
}

/** Translates a `[...]` class starting at `start`; returns the regex text and the index after `]`. */
function translateClass(pattern: string, start: number): [string, number] {
  let i = start + 1;
  let out = '[';
  if (pattern[i] === '!' || pattern[i] === '^') {
    out += '^';
    i++;
  }
  const bodyStart = i;
  while (i < pattern.length && (pattern[i] !== ']' || i === bodyStart)) {
    const ch = pattern[i] as string;
    out += ch === '\\' || ch === ']' || ch === '[' ? `\\${ch}` : ch;
    i++;
  }
  // An unterminated `[` is a literal bracket, as in git.
  if (i >= pattern.length) return ['\\[', start + 1];
  return [`${out}]`, i + 1];
}

function globToRegExpSource(glob: string): string {
  let out = '';
  let i = 0;
  while (i < glob.length) {
    const ch = glob[i] as string;
    if (glob.startsWith('**/', i) && (i === 0 || glob[i - 1] === '/')) {
      out += '(?:.*/)?';
      i += 3;
    } else if (glob.startsWith('/**', i) && i + 3 === glob.length) {
      out += '/.*';
      i += 3;
    } else if (ch === '*') {
      while (glob[i] === '*') i++;
      out += '[^/]*';
    } else if (ch === '?') {
      out += '[^/]';
      i++;
    } else if (ch === '[') {
      const [text, next] = translateClass(glob, i);
      out += text;
      i = next;
    } else if (ch === '\\' && i + 1 < glob.length) {
      out += escapeRegExp(glob[i + 1] as string);
      i += 2;
    } else {
      out += escapeRegExp(ch);
      i++;
    }
  }
  return out;
}

/** Parses one gitignore line; undefined for blank lines and comments. */
export function compileIgnoreLine(line: string, source = line): IgnoreRule | undefined {
  // Trailing spaces are ignored unless escaped with a backslash.
  let pattern = line.replace(/(?<!\\)\s+$/, '');
  if (pattern === '' || pattern.startsWith('#')) return undefined;
  const negated = pattern.startsWith('!');
  if (negated) pattern = pattern.slice(1);
  if (pattern.startsWith('\\!') || pattern.startsWith('\\#')) pattern = pattern.slice(1);
  const directoryOnly = pattern.endsWith('/');
  if (directoryOnly) pattern = pattern.replace(/\/+$/, '');
  const anchored = pattern.includes('/');
  pattern = pattern.replace(/^\/+/, '');
  if (pattern === '') return undefined;
  const body = globToRegExpSource(pattern);
  const regex = new RegExp(anchored ? `^${body}$` : `(?:^|/)${body}$`);
  return { source, negated, directoryOnly, anchored, regex };
}

/**
 * Git's decision for `relativePath` (slash-separated, no leading slash): a file inside an
 * excluded directory stays excluded whatever later rules say; otherwise the last matching rule
 * wins. Returns the deciding rule when the path is excluded.
 */
export function matchIgnoreRules(rules: readonly IgnoreRule[], relativePath: string, anchoredRulesApply = true): IgnoreRule | undefined {
  const segments = relativePath.split('/').filter((segment) => segment !== '' && segment !== '.');
  const decide = (path: string, isDirectory: boolean): IgnoreRule | undefined => {
    let decision: IgnoreRule | undefined;
    for (const rule of rules) {
      if (rule.directoryOnly && !isDirectory) continue;
      if (rule.anchored && !anchoredRulesApply) continue;
      if (rule.regex.test(path)) decision = rule;
    }
    return decision !== undefined && !decision.negated ? decision : undefined;
  };
  for (let depth = 1; depth < segments.length; depth++) {
    const excludedDirectory = decide(segments.slice(0, depth).join('/'), true);
    if (excludedDirectory !== undefined) return excludedDirectory;
  }
  return decide(segments.join('/'), false);
}
