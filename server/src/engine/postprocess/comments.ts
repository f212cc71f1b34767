/**
 * Whether the cursor's line ends inside a line comment, by the language's own comment markers and
 * outside string literals. A comment can end at any character, so rules that read the line's last
 * character as code (an operator that needs a continuation) must not apply there.
 */

const SLASHES = ['//'];
const HASH = ['#'];
const DASHES = ['--'];

/** Line comment markers by LSP language id; a language not listed has no rule applied. */
const LINE_COMMENT_MARKERS: Readonly<Record<string, readonly string[]>> = {
  c: SLASHES,
  cpp: SLASHES,
  csharp: SLASHES,
  cuda: SLASHES,
  dart: SLASHES,
  go: SLASHES,
  java: SLASHES,
  javascript: SLASHES,
  javascriptreact: SLASHES,
  kotlin: SLASHES,
  'objective-c': SLASHES,
  php: [...SLASHES, ...HASH],
  rust: SLASHES,
  scala: SLASHES,
  swift: SLASHES,
  typescript: SLASHES,
  typescriptreact: SLASHES,
  zig: SLASHES,
  python: HASH,
  ruby: HASH,
  shellscript: HASH,
  bash: HASH,
  perl: HASH,
  r: HASH,
  elixir: HASH,
  powershell: HASH,
  yaml: HASH,
  toml: HASH,
  makefile: HASH,
  dockerfile: HASH,
  nix: HASH,
  julia: HASH,
  lua: DASHES,
  sql: DASHES,
  haskell: DASHES,
  elm: DASHES,
  clojure: [';'],
  lisp: [';'],
  scheme: [';'],
  erlang: ['%'],
  latex: ['%'],
  matlab: ['%'],
};

/**
 * True when `linePrefix` (the current line up to the cursor) has a line comment open: one of the
 * language's markers outside any '…', "…" or `…` literal on the line.
 */
export function endsInLineComment(linePrefix: string, languageId: string): boolean {
  const markers = LINE_COMMENT_MARKERS[languageId];
  if (!markers) return false;
  let quote: string | undefined;
  for (let i = 0; i < linePrefix.length; i++) {
    const char = linePrefix[i]!;
    if (quote !== undefined) {
      if (char === '\\') i++;
      else if (char === quote) quote = undefined;
      continue;
    }
    if (char === '"' || char === "'" || char === '`') {
      quote = char;
      continue;
    }
    if (markers.some((marker) => linePrefix.startsWith(marker, i))) return true;
  }
  return false;
}
