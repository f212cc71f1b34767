/**
 * Definitions of what the code near the cursor uses: each name (or `module.name`) is looked up
 * through the current file's imports in the outlines of the files they resolve to, following
 * barrel re-exports, then among names in scope without an import (a Go package's other files)
 * and last in the outlines of the other open documents. Pure: the indexer supplies the outlines.
 */
import type { NameUse } from './identifiers.ts';
import { findSymbol, type Outline, type OutlineSymbol } from './outline.ts';

/** Where a local name of the current file comes from, resolved to a workspace file. */
export interface ResolvedBinding {
  /** The module's files (one, or a Go package's files). */
  paths: readonly string[];
  /** Exported name, `default`, or `*` when the local name is the module itself. */
  imported: string;
}

export interface DefinitionScope {
  /** Local names of the current file → where they come from. */
  bindings: ReadonlyMap<string, ResolvedBinding>;
  /** Outline of a resolved file, undefined when not indexed (yet) or excluded. */
  outline(path: string): Outline | undefined;
  /** A barrel's re-export target, resolved from the barrel's path (undefined: not in the workspace). */
  resolveReexport(fromPath: string, spec: string): string | undefined;
  /** Files whose top-level names are in scope without an import (Go's package files). */
  unqualified: readonly string[];
  /** Other open documents' files, most recently used first: the last resort for an unbound name. */
  openFiles: readonly string[];
  /** The current file: its own definitions are already in the prompt's window. */
  currentPath: string;
  /** Lookups already made (`path\0name` → result), valid while the outlines do not change. */
  memo?: Map<string, { path: string; symbol: OutlineSymbol } | null>;
}

export interface DefinitionHit {
  path: string;
  symbol: OutlineSymbol;
  /** Position of the use in the cursor-nearest-first order (lower is nearer). */
  rank: number;
}

/** Re-export hops followed through barrels (`index.ts` that `export * from` other files). */
const MAX_HOPS = 4;

/** The symbol `name` exported by the file at `path`, following re-exports. */
export function exportedSymbol(
  scope: DefinitionScope,
  path: string,
  name: string,
  hops = 0,
): { path: string; symbol: OutlineSymbol } | undefined {
  if (hops === 0 && scope.memo) {
    const key = `${path}\0${name}`;
    const known = scope.memo.get(key);
    if (known !== undefined) return known ?? undefined;
    const found = exportedSymbol({ ...scope, memo: undefined }, path, name, 0);
    scope.memo.set(key, found ?? null);
    return found;
  }
  const outline = scope.outline(path);
  if (!outline) return undefined;
  const own = findSymbol(outline, name);
  if (own && own.container === undefined) return { path, symbol: own };
  if (hops >= MAX_HOPS) return own ? { path, symbol: own } : undefined;
  for (const reexport of outline.reexports) {
    const inner = reexport.names ? reexport.names.get(name) : name;
    if (inner === undefined) continue;
    const target = scope.resolveReexport(path, reexport.spec);
    if (target === undefined || target === path) continue;
    const found = exportedSymbol(scope, target, inner, hops + 1);
    if (found) return found;
  }
  return own ? { path, symbol: own } : undefined;
}

/** Definitions for the uses, nearest use first, each definition once. */
export function findDefinitions(uses: readonly NameUse[], scope: DefinitionScope): DefinitionHit[] {
  const hits: DefinitionHit[] = [];
  const seen = new Set<string>();
  const add = (found: { path: string; symbol: OutlineSymbol } | undefined, rank: number) => {
    if (!found || found.path === scope.currentPath) return;
    const key = `${found.path}#${found.symbol.line}:${found.symbol.name}`;
    if (seen.has(key)) return;
    seen.add(key);
    hits.push({ ...found, rank });
  };
  uses.forEach((use, rank) => {
    if (use.qualifier !== undefined) {
      const binding = scope.bindings.get(use.qualifier);
      if (binding?.imported === '*') add(inModule(scope, binding.paths, use.name), rank);
      else if (binding) {
        // `Foo.create(…)` with Foo an imported class: the class outline lists its methods.
        add(inModule(scope, binding.paths, binding.imported === 'default' ? use.qualifier : binding.imported), rank);
      }
      return;
    }
    const binding = scope.bindings.get(use.name);
    if (binding) {
      if (binding.imported === '*') return;
      const found = inModule(scope, binding.paths, binding.imported === 'default' ? use.name : binding.imported);
      if (found) {
        add(found, rank);
        return;
      }
      if (binding.imported === 'default') for (const path of binding.paths) add(defaultExport(scope, path), rank);
      return;
    }
    for (const path of scope.unqualified) {
      const outline = scope.outline(path);
      const symbol = outline ? findSymbol(outline, use.name) : undefined;
      if (symbol && symbol.container === undefined) {
        add({ path, symbol }, rank);
        return;
      }
    }
    for (const path of scope.openFiles) {
      const outline = scope.outline(path);
      const symbol = outline ? findSymbol(outline, use.name) : undefined;
      if (symbol && symbol.container === undefined) {
        add({ path, symbol }, rank);
        return;
      }
    }
  });
  return hits;
}

function inModule(
  scope: DefinitionScope,
  paths: readonly string[],
  name: string,
): { path: string; symbol: OutlineSymbol } | undefined {
  for (const path of paths) {
    const found = exportedSymbol(scope, path, name);
    if (found) return found;
  }
  return undefined;
}

/** A default export: the file's only class or function, when it has exactly one. */
function defaultExport(scope: DefinitionScope, path: string): { path: string; symbol: OutlineSymbol } | undefined {
  const top = scope
    .outline(path)
    ?.symbols.filter((s) => s.container === undefined && (s.kind === 'class' || s.kind === 'function'));
  return top?.length === 1 ? { path, symbol: top[0]! } : undefined;
}
