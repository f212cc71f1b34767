/**
 * Data files the build ships beside the bundle (the o200k vocabulary, tree-sitter's runtime and
 * grammars) and embeds in the self-contained executable as assets. Running from the TypeScript
 * sources there are none; callers then read the same data from their npm packages.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface SeaModule {
  isSea(): boolean;
  getRawAsset(key: string): ArrayBuffer;
}

function seaModule(): SeaModule | undefined {
  // getBuiltinModule (Node 22.3+) rather than an import: older Node has no node:sea at all.
  const sea = (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule?.('node:sea') as
    | SeaModule
    | undefined;
  return sea?.isSea() ? sea : undefined;
}

/** True inside the self-contained executable (Node's single executable application). */
export function isExecutable(): boolean {
  return seaModule() !== undefined;
}

/** The shipped file `name` (a path relative to the bundle), or undefined when it is not shipped. */
export function readAsset(name: string): Uint8Array | undefined {
  const sea = seaModule();
  if (sea) {
    try {
      // The asset lives in the executable's read-only memory: copy it before anyone writes to it.
      return new Uint8Array(sea.getRawAsset(name)).slice();
    } catch {
      return undefined;
    }
  }
  const path = join(dirname(fileURLToPath(import.meta.url)), name);
  return existsSync(path) ? readFileSync(path) : undefined;
}
