/**
 * The indexer and the workspace context over real files: imports resolved per language (tsconfig
 * aliases, Python packages, go.mod, Cargo), outlines parsed with tree-sitter, snippets gathered for
 * a cursor, and excluded or git-ignored files never read.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../server/src/config/schema.ts';
import { ContextExclusion } from '../../../server/src/workspace/exclusion.ts';
import { NEIGHBOUR_OUTLINES, WorkspaceIndexer } from '../../../server/src/workspace/indexer.ts';
import { WorkspaceContext } from '../../../server/src/workspace/repo-context.ts';

const root = mkdtempSync(path.join(tmpdir(), 'ghostline-ws-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function write(files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
}

/**
 * An indexer and the context built on it, over the texts put in `docs` (the open documents);
 * `idleMs`: the pause after which idle work runs (the indexer's own when not given).
 */
function workspace(overrides: { enabled?: boolean } = {}, idleMs?: number) {
  const docs = new Map<string, { text: string; version: number }>();
  const config = { ...defaultConfig().context, ...overrides };
  const indexer = new WorkspaceIndexer({
    root: () => root,
    config: () => config,
    exclusion: new ContextExclusion({ root: () => root, globs: () => [] }),
    documentText: (uri) => docs.get(uri),
    idleMs,
  });
  const context = new WorkspaceContext({
    indexer,
    config: () => config,
    root: () => root,
    documentText: (uri) => docs.get(uri),
  });
  return { docs, indexer, context, config };
}

/** Opens `rel` with `|` marking the cursor, indexes it and gathers the context at the cursor. */
async function gatherAt(rel: string, marked: string, languageId: string, open: Record<string, string> = {}) {
  const cursor = marked.indexOf('|');
  const text = marked.slice(0, cursor) + marked.slice(cursor + 1);
  const { docs, indexer, context } = workspace();
  for (const [openRel, openText] of Object.entries(open)) {
    const uri = `file://${path.join(root, openRel)}`;
    docs.set(uri, { text: openText, version: 1 });
    indexer.opened(uri, path.join(root, openRel), languageId, 1);
    await indexer.flush(uri);
  }
  const uri = `file://${path.join(root, rel)}`;
  docs.set(uri, { text, version: 1 });
  indexer.opened(uri, path.join(root, rel), languageId, 1);
  await indexer.flush(uri);
  const gathered = context.gather({ uri, path: path.join(root, rel), languageId, text, offset: cursor });
  indexer.dispose();
  return gathered;
}

describe('workspace context', () => {
  it('follows a TypeScript relative import and a tsconfig paths alias to signatures with defaults', async () => {
    write({
      'ts/tsconfig.json':
        '{ // comment\n "compilerOptions": { "baseUrl": ".", "paths": { "@lib/*": ["src/lib/*"] }, } }',
      'ts/src/lib/math.ts':
        'export function scale(value: number, factor = 2, { round = true }: { round?: boolean } = {}): number {\n  const x = value * factor;\n  if (round) return Math.round(x);\n  return x;\n  // padding\n  // padding\n  // padding\n  // padding\n}\n',
      'ts/src/shape.ts':
        'export class Shape {\n  constructor(readonly name: string, private sides = 4) {}\n  area(unit: string): number { return 0; }\n  perimeter(): number { return 0; }\n  private secret(): void {}\n  a(): void {}\n  b(): void {}\n  c(): void {}\n}\n',
    });
    const gathered = await gatherAt(
      'ts/src/main.ts',
      "import { scale } from '@lib/math';\nimport { Shape } from './shape.js';\n\nconst s = new Shape(|",
      'typescript',
    );
    const texts = gathered.snippets.map((s) => `${s.path}\n${s.text}`).join('\n---\n');
    expect(texts).toContain(
      'ts/src/shape.ts\nexport class Shape {\n  constructor(readonly name: string, private sides = 4)',
    );
    expect(texts).not.toContain('secret');
    expect(texts).toContain(
      'export function scale(value: number, factor = 2, { round = true }: { round?: boolean } = {}): number { … }',
    );
    expect(gathered.files).toEqual(['ts/src/shape.ts', 'ts/src/lib/math.ts']);
  });

  it('keystroke after keystroke, follows a change of an imported file and a move to another region', async () => {
    write({ 'keep/src/util.ts': 'export function first(a: number): number {\n  return a;\n}\n' });
    const { docs, indexer, context } = workspace();
    const util = path.join(root, 'keep/src/util.ts');
    const main = path.join(root, 'keep/src/main.ts');
    const open = async (file: string, text: string, version: number) => {
      docs.set(`file://${file}`, { text, version });
      if (version === 1) indexer.opened(`file://${file}`, file, 'typescript', 1);
      else indexer.changed(`file://${file}`, version, [{ startLine: 0, endLine: 0 }]);
      await indexer.flush(`file://${file}`);
    };
    const body = `import { first, second } from './util.js';\n${'\n'.repeat(120)}`;
    const at = (typed: string) => {
      const text = `${body}${typed}`;
      docs.set(`file://${main}`, { text, version: 1 });
      const gathered = context.gather({
        uri: `file://${main}`,
        path: main,
        languageId: 'typescript',
        text,
        offset: text.length,
      });
      return gathered.snippets.map((s) => s.text).join('\n');
    };
    await open(main, body, 1);
    expect(at('fir')).not.toContain('export function first');
    expect(at('first(')).toContain('export function first(a: number): number');
    // The imported file changes in the editor; once the typing in main.ts settles (its debounced
    // import work), the next keystroke shows the new signature.
    await open(
      util,
      'export function first(a: number, b = 1): number {\n  return a + b;\n}\nexport function second(s: string): string {\n  return s;\n}\n',
      1,
    );
    await open(main, body, 2);
    expect(at('first(1')).toContain('export function first(a: number, b = 1): number');
    // Another region, another name: its definition comes.
    expect(at('first(1);\nconst t = second(')).toContain('export function second(s: string): string');
    indexer.dispose();
  });

  it('follows Python relative and package imports, classes with __init__ first', async () => {
    write({
      'py/pkg/__init__.py': '',
      'py/pkg/tasks.py':
        'class Task:\n    def run(self, when):\n        pass\n\n    def __init__(self, coro, *, loop=None, name=None):\n        self.coro = coro\n        self.loop = loop\n        self.name = name\n        self.done = False\n        self.result = None\n',
      'py/pkg/events.py': 'def get_event_loop(policy=None):\n    return policy\n',
      'py/pkg/main.py': '',
    });
    const gathered = await gatherAt(
      'py/pkg/main.py',
      'from .tasks import Task\nfrom . import events\n\nloop = events.get_event_loop()\nt = Task(|',
      'python',
    );
    const texts = gathered.snippets.map((s) => s.text).join('\n---\n');
    expect(texts).toContain(
      'class Task:\n    def __init__(self, coro, *, loop=None, name=None): ...\n    def run(self, when): ...',
    );
    expect(texts).toContain('def get_event_loop(policy=None):');
  });

  it('resolves Go packages of the module and the package’s other files', async () => {
    write({
      'go/go.mod': 'module example.com/app\n\ngo 1.22\n',
      'go/store/store.go':
        'package store\n\ntype Store struct {\n\tpath string\n}\n\nfunc Open(path string, readOnly bool) (*Store, error) {\n\treturn &Store{path: path}, nil\n}\n',
      'go/cmd/util.go': 'package main\n\nfunc retry(times int, fn func() error) error {\n\treturn fn()\n}\n',
    });
    const gathered = await gatherAt(
      'go/cmd/main.go',
      'package main\n\nimport "example.com/app/store"\n\nfunc main() {\n\ts, _ := store.Open("db", false)\n\tretry(|',
      'go',
    );
    const texts = gathered.snippets.map((s) => s.text).join('\n');
    expect(texts).toContain('func Open(path string, readOnly bool) (*Store, error)');
    expect(texts).toContain('func retry(times int, fn func() error) error');
  });

  it('resolves Rust mod and use crate:: paths, structs with their impl', async () => {
    write({
      'rs/Cargo.toml': '[package]\nname = "x"\n',
      'rs/src/lib.rs': 'mod geo;\n',
      'rs/src/geo.rs':
        'pub struct Point { pub x: f64, pub y: f64 }\n\nimpl Point {\n    pub fn distance(&self, other: &Point) -> f64 { 0.0 }\n    pub fn new(x: f64, y: f64) -> Self { Point { x, y } }\n}\n',
    });
    const gathered = await gatherAt(
      'rs/src/main.rs',
      'use crate::geo::Point;\n\nfn main() {\n    let p = Point::new(|',
      'rust',
    );
    expect(gathered.snippets.map((s) => s.text).join('\n')).toContain(
      'impl Point {\n    pub fn new(x: f64, y: f64) -> Self;\n    pub fn distance(&self, other: &Point) -> f64;\n}',
    );
  });

  it('never reads excluded or git-ignored files, nor open documents that are excluded', async () => {
    write({
      'ex/.gitignore': 'generated/\n',
      '.ghostlineignore': 'ex/private.ts\n',
      'ex/generated/api.ts': 'export function generatedCall(token: string) {}\n',
      'ex/private.ts': 'export function privateCall(key: string) {}\n',
      'ex/secrets/keys.ts': 'export function secretCall(pin: number) {}\n',
      'ex/ok.ts': 'export function okCall(count: number) {}\n',
    });
    const marked =
      "import { generatedCall } from './generated/api';\nimport { privateCall } from '../ex/private';\nimport { secretCall } from './secrets/keys';\nimport { okCall } from './ok';\ngeneratedCall(); privateCall(); secretCall(); okCall(|";
    const gathered = await gatherAt('ex/main.ts', marked, 'typescript', {
      'ex/.env.ts': 'export const similarThing = generatedCall(privateCall(secretCall(okCall())));',
    });
    const texts = gathered.snippets.map((s) => `${s.path}: ${s.text}`).join('\n');
    expect(texts).toContain('okCall(count: number)');
    for (const hidden of ['generatedCall(token', 'privateCall(key', 'secretCall(pin', 'similarThing', '.env'])
      expect(texts).not.toContain(hidden);
  });
});

/**
 * Many open documents and the keystroke path: what a completion may start is asserted on the
 * indexer's work counters, never on time.
 */
describe('indexing off the keystroke path', () => {
  /** A document of real-looking code: `lines` lines, names that differ per document. */
  const code = (n: number, lines: number) =>
    Array.from(
      { length: lines },
      (_, i) => `export function f${n}_${i}(value${i}: number) { return helper${i % 7}(value${i}); }`,
    ).join('\n');

  /** `idleMs`: the pause after which idle work runs (long: never within the test). */
  function setUp(overrides: { enabled?: boolean } = {}, idleMs = 60_000) {
    const { docs, indexer, context, config } = workspace(overrides, idleMs);
    const open = (i: number, lines = 200) => {
      const file = path.join(root, 'many', `doc${i}.ts`);
      const uri = `file://${file}`;
      docs.set(uri, { text: code(i, lines), version: 1 });
      indexer.opened(uri, file, 'typescript', 1);
      return { uri, file };
    };
    const complete = (d: { uri: string; file: string }) => {
      const text = docs.get(d.uri)!.text;
      return context.gather({ uri: d.uri, path: d.file, languageId: 'typescript', text, offset: text.length });
    };
    return { indexer, open, complete, config };
  }

  async function until(check: () => boolean): Promise<void> {
    for (let waited = 0; !check(); waited += 50) {
      if (waited > 20_000) throw new Error('the indexer never got there');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('keeps the other open documents in order of use through opens, completions, changes and closes', () => {
    const { indexer, open } = setUp();
    const [a, b, c] = [open(1), open(2), open(3)];
    const others = (d: { uri: string }) => indexer.others(d.uri).map((o) => o.uri);
    expect(others(c)).toEqual([b.uri, a.uri]);
    indexer.touch(a.uri);
    expect(others(c)).toEqual([a.uri, b.uri]);
    expect(others(a)).toEqual([c.uri, b.uri]);
    indexer.changed(b.uri, 2, [{ startLine: 0, endLine: 0 }]);
    expect(others(c)).toEqual([b.uri, a.uri]);
    indexer.closed(b.uri);
    expect(others(c)).toEqual([a.uri]);
    open(2);
    expect(others(c)).toEqual([b.uri, a.uri]);
    // Reopened without a close in between: listed once.
    open(1);
    expect(others(c)).toEqual([a.uri, b.uri]);
    indexer.dispose();
  });

  it('a completion in one of many open documents never starts whole-document work on any open document', async () => {
    const { indexer, open, complete, config } = setUp();
    const opened = Array.from({ length: 40 }, (_, i) => open(i));
    await indexer.whenIdle();
    // A burst of opens prepares only the most recently used documents.
    const prepared = indexer.counters.neighbourJobs;
    expect(prepared).toBeGreaterThan(0);
    expect(prepared).toBeLessThanOrEqual(config.openDocuments.maxDocuments);
    const before = { ...indexer.counters };
    // Completions in documents that were never prepared (the first ones opened).
    for (const d of opened.slice(0, 5)) complete(d);
    await indexer.whenIdle();
    expect(indexer.counters.neighbourJobs).toBe(before.neighbourJobs);
    expect(indexer.counters.openParses).toBe(before.openParses);
    // Their imports were prepared (nothing to outline here: they import nothing).
    expect(indexer.counters.importJobs).toBeGreaterThan(before.importJobs);
    expect([...indexer.documents.values()].filter((d) => d.windows !== undefined).length).toBeLessThanOrEqual(
      config.openDocuments.maxDocuments,
    );
    indexer.dispose();
  });

  it('prepares the documents a completion used once the user pauses, and outlines at most a few neighbours', async () => {
    const { indexer, open, complete } = setUp({}, 200);
    const opened = Array.from({ length: 30 }, (_, i) => open(i, 40));
    await indexer.whenIdle();
    const before = { ...indexer.counters };
    complete(opened[0]!);
    await until(() => indexer.counters.neighbourJobs > before.neighbourJobs && indexer.counters.openParses > 0);
    await until(() => indexer.counters.openParses >= NEIGHBOUR_OUTLINES);
    // Later pauses outline nothing more: the neighbours are current.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(indexer.documents.get(opened[0]!.uri)?.windows).toBeDefined();
    expect(indexer.counters.openParses - before.openParses).toBeLessThanOrEqual(NEIGHBOUR_OUTLINES);
    // Those outlines are what an unbound name is looked up in: doc29 (most recent) defines f29_3.
    const text = 'const y = f29_3(';
    const gathered = (() => {
      const uri = opened[0]!.uri;
      return new WorkspaceContext({
        indexer,
        config: () => defaultConfig().context,
        root: () => root,
        documentText: () => ({ text, version: 1 }),
      }).gather({ uri, path: opened[0]!.file, languageId: 'typescript', text, offset: text.length });
    })();
    expect(gathered.snippets.map((s) => s.text).join('\n')).toContain('export function f29_3(value3: number)');
    indexer.dispose();
  });

  it('does nothing at all while repository context is off', async () => {
    const { indexer, open, complete } = setUp({ enabled: false });
    const opened = Array.from({ length: 5 }, (_, i) => open(i));
    for (const d of opened) complete(d);
    await indexer.whenIdle();
    expect(indexer.counters).toEqual({ neighbourJobs: 0, importJobs: 0, openParses: 0, diskParses: 0 });
    indexer.dispose();
  });
});
