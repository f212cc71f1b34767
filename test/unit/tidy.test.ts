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

/** Every import of a file: runtime and type-only, `export … from` and dynamic `import()`. */
function imports(text: string): string[] {
  const statements = [...text.matchAll(/^(?:import|export)\s[^;]*?from\s+'([^']+)'/gms)].map((m) => m[1]!);
  const dynamic = [...text.matchAll(/import\(\s*'([^']+)'\s*\)/g)].map((m) => m[1]!);
  return [...statements, ...dynamic];
}

/** Runtime imports only (type-only imports erase at build time). */
function runtimeImports(text: string): string[] {
  return [...text.matchAll(/^import\s+(?!type\b)[^;]*?from\s+'([^']+)'/gms)].map((m) => m[1]!);
}

function importersOf(pattern: RegExp): string[] {
  return files.filter((f) => imports(f.text).some((spec) => pattern.test(spec))).map((f) => f.rel);
}

/** The file a relative import names, relative to server/src. */
function target(from: string, spec: string): string {
  return relative(SRC, join(SRC, from, '..', spec));
}

/** A file's layer: its top folder, or its own name for a file at the root (main.ts, compose.ts). */
function layerOf(rel: string): string {
  return rel.includes('/') ? rel.split('/')[0]! : rel;
}

/**
 * The allowed directions between layers (docs/ARCHITECTURE.md draws them): a layer imports only
 * those it lists, plus the leaves. Type imports count: a layer that needs another's types depends on it.
 */
const LEAVES = ['config', 'telemetry', 'version.ts', 'assets.ts', 'tokenizer-data.ts', 'builtins.ts'];
const ALLOWED: Record<string, readonly string[]> = {
  'main.ts': ['cli', 'lsp'],
  cli: ['compose.ts', 'budget', 'cache', 'context', 'providers', 'router', 'dashboard', 'usage'],
  lsp: ['features', 'compose.ts'],
  features: ['actions', 'engine', 'compose.ts'],
  'compose.ts': [
    'budget',
    'cache',
    'calls',
    'context',
    'engine',
    'providers',
    'router',
    'safety',
    'usage',
    'workspace',
  ],
  dashboard: ['usage', 'cache', 'router', 'safety'],
  engine: ['calls', 'cache', 'context', 'providers', 'router', 'usage'],
  actions: ['calls', 'context', 'providers'],
  calls: ['router', 'providers'],
  // Repository context with I/O; actions/syntax.ts holds the tree-sitter grammars it parses outlines with.
  workspace: ['context', 'safety', 'actions'],
  safety: ['calls', 'router', 'providers'],
  budget: ['cache', 'router', 'providers', 'usage'],
  router: ['providers'],
  cache: ['usage'],
  usage: [],
  context: [],
  providers: [],
  config: [],
  telemetry: [],
  'version.ts': [],
  'assets.ts': [],
  'tokenizer-data.ts': ['assets.ts'],
  'builtins.ts': [],
};

const edges = files.map((f) => ({
  rel: f.rel,
  to: imports(f.text)
    .filter((spec) => spec.startsWith('.'))
    .map((spec) => target(f.rel, spec)),
}));

/** Import cycles between files (Tarjan's strongly connected components of two or more files). */
function cycles(): string[][] {
  const graph = new Map(edges.map((e) => [e.rel, e.to]));
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1) found.push(group.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe('layering', () => {
  it('every layer is in the table', () => {
    expect([...new Set(files.map((f) => layerOf(f.rel)))].filter((layer) => !(layer in ALLOWED))).toEqual([]);
  });

  it('imports point only in the allowed directions (type imports included)', () => {
    const offenders = edges.flatMap((e) =>
      e.to
        .filter((to) => layerOf(to) !== layerOf(e.rel))
        .filter((to) => !LEAVES.includes(layerOf(to)) || LEAVES.includes(layerOf(e.rel)))
        .filter((to) => !ALLOWED[layerOf(e.rel)]?.includes(layerOf(to)))
        .map((to) => `${e.rel} → ${to}`),
    );
    expect(offenders).toEqual([]);
  });

  it('the leaves (config/, telemetry/) import nothing from other layers', () => {
    const offenders = edges
      .filter((e) => ['config', 'telemetry'].includes(layerOf(e.rel)))
      .flatMap((e) => e.to.filter((to) => layerOf(to) !== layerOf(e.rel)).map((to) => `${e.rel} → ${to}`));
    expect(offenders).toEqual([]);
  });

  it('the table itself has no cycle between layers', () => {
    const reaches = (from: string, to: string, seen = new Set<string>()): boolean =>
      (ALLOWED[from] ?? []).some(
        (next) => next === to || (!seen.has(next) && (seen.add(next), reaches(next, to, seen))),
      );
    expect(Object.keys(ALLOWED).filter((layer) => reaches(layer, layer))).toEqual([]);
  });

  it('no import cycle between files', () => {
    expect(cycles()).toEqual([]);
  });
});

describe('architecture invariants', () => {
  it('only providers/ imports the openai SDK', () => {
    expect(importersOf(/^openai(\/|$)/).filter((f) => !f.startsWith('providers/'))).toEqual([]);
  });

  it('the openai SDK loads on first use: no file imports it at start-up (providers/sdk.ts loads it)', () => {
    const eager = files.filter((f) => runtimeImports(f.text).some((spec) => /^openai(\/|$)/.test(spec)));
    expect(eager.map((f) => f.rel)).toEqual([]);
  });

  it('only cache/ imports ioredis', () => {
    expect(importersOf(/^ioredis$/).filter((f) => !f.startsWith('cache/'))).toEqual([]);
  });

  it('ioredis loads only when a Redis URL is configured: no file imports it at start-up (loadRedisDriver does)', () => {
    const eager = files.filter((f) => runtimeImports(f.text).some((spec) => /^ioredis(\/|$)/.test(spec)));
    expect(eager.map((f) => f.rel)).toEqual([]);
  });

  it('only lsp/ imports vscode-languageserver (type imports included)', () => {
    expect(importersOf(/^vscode-languageserver(\/|$)/).filter((f) => !f.startsWith('lsp/'))).toEqual([]);
  });

  it('only lsp/ uses the connection', () => {
    const offenders = files.filter(
      (f) =>
        !f.rel.startsWith('lsp/') &&
        /\b(sendNotification|sendRequest|createConnection|onRequest|onNotification)\(|\bconnection\.(window|workspace|client|languages|listen)\b/.test(
          f.text,
        ),
    );
    expect(offenders.map((f) => f.rel)).toEqual([]);
  });

  it('only calls/ calls runRouted (every model call goes through the model-call service)', () => {
    const offenders = files.filter((f) => !/^(calls|router)\//.test(f.rel) && /\brunRouted\b/.test(f.text));
    expect(offenders.map((f) => f.rel)).toEqual([]);
  });

  it('only calls/model-calls.ts makes a GuardedPrompt (no prompt reaches the model unguarded)', () => {
    const offenders = files.filter((f) => f.rel !== 'calls/model-calls.ts' && /as GuardedPrompt\b/.test(f.text));
    expect(offenders.map((f) => f.rel)).toEqual([]);
  });

  it('only calls/ accounts tokens and cost into the metrics (one accounting path)', () => {
    const offenders = files.filter(
      (f) =>
        !f.rel.startsWith('calls/') && /metrics\.(costUsd|inputTokens|outputTokens|cachedTokens)\s*\+=/.test(f.text),
    );
    expect(offenders.map((f) => f.rel)).toEqual([]);
  });

  it("the SDK's own retries stay off (ours cap retry-after)", () => {
    const provider = files.find((f) => f.rel === 'providers/openai-provider.ts')!;
    expect(provider.text).toMatch(/maxRetries: 0/);
  });

  it('context/ and engine/postprocess are pure (no I/O modules)', () => {
    const impure = files.filter(
      (f) =>
        /^(context\/|engine\/postprocess)/.test(f.rel) &&
        runtimeImports(f.text).some((s) => /^node:(fs|net|http|child_process)/.test(s)),
    );
    expect(impure.map((f) => f.rel)).toEqual([]);
  });

  it('features do not import each other (shared shapes and helpers: suggestion-shape.ts, action-run.ts, types.ts)', () => {
    const shared = new Set(['suggestion-shape.ts', 'action-run.ts', 'types.ts']);
    const offenders = files
      .filter((f) => f.rel.startsWith('features/'))
      .flatMap((f) =>
        imports(f.text)
          .filter((s) => s.startsWith('./') && !shared.has(s.slice(2)))
          .map((s) => `${f.rel} → ${s}`),
      );
    expect(offenders).toEqual([]);
  });

  it('server code never writes to stdout (only cli/print.ts, for shell commands)', () => {
    const offenders = files.filter(
      (f) =>
        f.rel !== 'cli/print.ts' &&
        /console\.(log|info|debug|table|dir)\(|process\.stdout\.write|writeSync\(1,/.test(f.text),
    );
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
    const folders = new Set(
      files
        .map((f) => f.rel.split('/'))
        .filter((p) => p.length > 1)
        .map((p) => p[0]!),
    );
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
    expect(
      walk(TEST)
        .filter((path) => pattern.test(readFileSync(path, 'utf8')))
        .map((p) => relative(TEST, p)),
    ).toEqual([]);
  });
});
