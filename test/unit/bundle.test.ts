/**
 * The build's layout (scripts/build.ts): the packages that load on demand (openai, ioredis,
 * web-tree-sitter) are chunks beside the start-up bundle, not inside it, and the npm package ships
 * every chunk. The vitest global setup builds dist/ before any test runs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHUNKS } from '../../scripts/build.ts';
import { applyEdits } from '../../scripts/lazy-requires.ts';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
/** The packages a built file holds, from its source map. */
function packagesIn(file: string): Set<string> {
  const { sources } = JSON.parse(read(`dist/${file}.map`)) as { sources: string[] };
  return new Set(sources.flatMap((s) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(s)?.[1] ?? []));
}

describe('the start-up bundle and its chunks', () => {
  const chunkPackages = ['openai', 'ioredis', '@ioredis/commands', 'redis-parser', 'web-tree-sitter'];

  it('keeps the packages that load on demand out of dist/ghostline.cjs', () => {
    const main = packagesIn('ghostline.cjs');
    expect(main.size).toBeGreaterThan(0);
    expect(chunkPackages.filter((p) => main.has(p))).toEqual([]);
  });

  it('builds each chunk with the packages it answers for', () => {
    const inChunks = new Set(Object.keys(CHUNKS).flatMap((file) => [...packagesIn(file)]));
    expect(chunkPackages.filter((p) => !inChunks.has(p))).toEqual([]);
  });

  it('ships every chunk in the npm package', () => {
    const pkg = JSON.parse(read('package.json')) as { files: string[] };
    for (const file of Object.keys(CHUNKS)) {
      expect(existsSync(new URL(`../../dist/${file}`, import.meta.url))).toBe(true);
      expect(pkg.files).toContain(`dist/${file}`);
    }
  });

  it('lists the chunks’ packages in the third-party licenses', () => {
    const licenses = read('dist/THIRD_PARTY_LICENSES.txt');
    for (const name of chunkPackages) expect(licenses).toMatch(new RegExp(`^${name.replace('/', '\\/')} \\d`, 'm'));
  });
});

describe('the built-ins a dependency requires on first use (scripts/lazy-requires.ts)', () => {
  const rule = { file: /x\.js$/, edits: [["const a = require('assert')", 'const a = lazy'] as [string, string]] };

  it('rewrites the exact statement once', () => {
    expect(applyEdits("'use strict'\nconst a = require('assert')\na(1)\n", rule, 'x.js')).toBe(
      "'use strict'\nconst a = lazy\na(1)\n",
    );
  });

  it('fails the build when a dependency update changed or repeated the statement', () => {
    expect(() => applyEdits("const a = require('node:assert')\n", rule, 'x.js')).toThrow(/occurs 0 times in x\.js/);
    expect(() => applyEdits("const a = require('assert')\nconst a = require('assert')\n", rule, 'x.js')).toThrow(
      /occurs 2 times/,
    );
  });
});
