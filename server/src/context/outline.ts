/**
 * The outline of a source file as repository context uses it: its top-level definitions with
 * their signatures as written and the text a prompt shows for each, what it imports and what it
 * re-exports. workspace/outline-parser.ts builds outlines with tree-sitter off the keystroke path;
 * everything here is plain data and pure lookups.
 */

export type SymbolKind = 'function' | 'class' | 'method' | 'type' | 'variable';

export interface OutlineSymbol {
  name: string;
  kind: SymbolKind;
  /** The class (or impl, struct) a method belongs to. */
  container?: string;
  /** The declaration's head as written: name, parameters with their types and defaults, return type. */
  signature: string;
  /** What a prompt shows: a small definition whole; else its signature (a class: header, constructor, methods). */
  snippet: string;
  /** o200k tokens of `snippet`, counted once when the outline is built. */
  tokens: number;
  /** 0-based line of the declaration. */
  line: number;
}

/**
 * One name an import brings into scope. `imported` is the exported name, `default`, or `*` when
 * `local` names the whole module (a namespace import, a Python module, a Go package, a Rust mod).
 */
export interface ImportBinding {
  local: string;
  /** The module as written (`./util.js`, `..pkg.mod`, `example.com/x/y`, `crate::a::b`, `mod:name`). */
  spec: string;
  imported: string;
}

/** `export * from` (names: '*') and `export { a, b as c } from` in a barrel file. */
export interface Reexport {
  spec: string;
  /** exported name → name in the module the spec names; undefined for `export *`. */
  names?: Map<string, string>;
}

export interface Outline {
  path: string;
  languageId: string;
  symbols: OutlineSymbol[];
  imports: ImportBinding[];
  reexports: Reexport[];
}

// Outlines are immutable once built, so each one's name index is built once, on first lookup.
const byName = new WeakMap<Outline, Map<string, OutlineSymbol>>();

/** The top-level symbol named `name` (a method only when no top-level symbol has the name). */
export function findSymbol(outline: Outline, name: string): OutlineSymbol | undefined {
  let index = byName.get(outline);
  if (!index) {
    index = new Map();
    for (const symbol of outline.symbols) {
      const known = index.get(symbol.name);
      if (!known || (known.container !== undefined && symbol.container === undefined)) index.set(symbol.name, symbol);
    }
    byName.set(outline, index);
  }
  return index.get(name);
}
