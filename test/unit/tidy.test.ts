/**
 * Architecture invariants from docs/ARCHITECTURE.md, checked on the source text (rust-analyzer's
 * "tidy" tests): which layer may import what, no stdout in server code, file headers.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = new URL('../../server/src/', import.meta.url).pathname;

function sources(dir = SRC): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const files = sources().map((path) => ({ rel: relative(SRC, path), text: readFileSync(path, 'utf8') }));

/** Runtime imports (type-only imports erase at build time and do not count). */
function runtimeImports(text: string): string[] {
  return [...text.matchAll(/^import\s+(?!type\b)[^;]*?from\s+'([^']+)'/gms)].map((m) => m[1]!);
}

function importersOf(pattern: RegExp): string[] {
  return files.filter((f) => runtimeImports(f.text).some((spec) => pattern.test(spec))).map((f) => f.rel);
}

describe('architecture invariants', () => {
  it('only providers/ imports the openai SDK', () => {
    expect(importersOf(/^openai(\/|$)/).filter((f) => !f.startsWith('providers/'))).toEqual([]);
  });

  it('only cache/ imports ioredis', () => {
    expect(importersOf(/^ioredis$/).filter((f) => !f.startsWith('cache/'))).toEqual([]);
  });

  it('only lsp/ and features/ import vscode-languageserver at runtime', () => {
    expect(importersOf(/^vscode-languageserver(\/|$)/).filter((f) => !/^(lsp|features)\//.test(f))).toEqual([]);
  });

  it('context/ and engine/postprocess are pure (no I/O modules)', () => {
    const impure = files.filter((f) => /^(context\/|engine\/postprocess)/.test(f.rel) && runtimeImports(f.text).some((s) => /^node:(fs|net|http|child_process)/.test(s)));
    expect(impure.map((f) => f.rel)).toEqual([]);
  });

  it('features do not import each other (shared shapes live in suggestion-shape.ts and types.ts)', () => {
    const shared = new Set(['suggestion-shape.ts', 'types.ts']);
    const offenders = files
      .filter((f) => f.rel.startsWith('features/'))
      .flatMap((f) => runtimeImports(f.text).filter((s) => s.startsWith('./') && !shared.has(s.slice(2))).map((s) => `${f.rel} → ${s}`));
    expect(offenders).toEqual([]);
  });

  it('server code never writes to stdout (only cli/print.ts, for shell commands)', () => {
    const offenders = files.filter((f) => f.rel !== 'cli/print.ts' && /console\.(log|info|debug|table|dir)\(|process\.stdout\.write|writeSync\(1,/.test(f.text));
    expect(offenders.map((f) => f.rel)).toEqual([]);
  });

  it('only cli/ and main.ts import cli/print.ts', () => {
    const offenders = files.filter((f) => /print\.ts'/.test(f.text) && !/^(cli\/|main\.ts)/.test(f.rel));
    expect(offenders.map((f) => f.rel)).toEqual([]);
  });

  it('every source file opens with a header comment saying its role', () => {
    expect(files.filter((f) => !f.text.trimStart().startsWith('/**')).map((f) => f.rel)).toEqual([]);
  });

  it('every folder of server/src is named in docs/ARCHITECTURE.md', () => {
    const architecture = readFileSync(new URL('../../docs/ARCHITECTURE.md', import.meta.url), 'utf8');
    const folders = new Set(files.map((f) => f.rel.split('/')).filter((p) => p.length > 1).map((p) => p[0]!));
    expect([...folders].filter((folder) => !architecture.includes(`server/src/${folder}/`))).toEqual([]);
  });
});

describe('tests', () => {
  it('leave nothing skipped or focused', () => {
    const TEST = new URL('../', import.meta.url).pathname;
    const walk = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        return statSync(path).isDirectory() ? walk(path) : path.endsWith('.test.ts') ? [path] : [];
      });
    const marker = ['only', 'skip', 'todo'].map((m) => `\\.${m}\\(`).join('|');
    const pattern = new RegExp(`\\b(it|test|describe)(${marker})`);
    expect(walk(TEST).filter((path) => pattern.test(readFileSync(path, 'utf8'))).map((p) => relative(TEST, p))).toEqual([]);
  });
});
