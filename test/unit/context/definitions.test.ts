/**
 * Definition lookup, similar windows and the stable snippet selection: the pure parts of
 * repository context.
 */
import { describe, expect, it } from 'vitest';
import {
  findDefinitions,
  type DefinitionScope,
  type ResolvedBinding,
} from '../../../server/src/context/definitions.ts';
import { jaccard, identifierSet, usesNearEnd } from '../../../server/src/context/identifiers.ts';
import type { Outline, OutlineSymbol } from '../../../server/src/context/outline.ts';
import { selectSnippets, SNIPPET_FRAME_TOKENS, type SnippetCandidate } from '../../../server/src/context/select.ts';
import { indexWindows, MAX_WINDOW_CHARS, similarWindows } from '../../../server/src/context/similar.ts';

const sym = (name: string, extra: Partial<OutlineSymbol> = {}): OutlineSymbol => ({
  name,
  kind: 'function',
  signature: `function ${name}()`,
  snippet: `function ${name}(a, b = 1) { … }`,
  tokens: 10,
  line: 0,
  ...extra,
});
const outline = (path: string, symbols: OutlineSymbol[], reexports: Outline['reexports'] = []): Outline => ({
  path,
  languageId: 'typescript',
  symbols,
  imports: [],
  reexports,
});

function scope(
  bindings: Record<string, ResolvedBinding>,
  outlines: Outline[],
  extra: Partial<DefinitionScope> = {},
): DefinitionScope {
  const byPath = new Map(outlines.map((o) => [o.path, o]));
  return {
    bindings: new Map(Object.entries(bindings)),
    outline: (p) => byPath.get(p),
    resolveReexport: (from, spec) => `/w/${spec.replace('./', '').replace('.js', '.ts')}`,
    unqualified: [],
    openFiles: [],
    currentPath: '/w/current.ts',
    ...extra,
  };
}

describe('usesNearEnd', () => {
  it('lists names nearest the end first, qualified chains split, keywords dropped', () => {
    expect(usesNearEnd('const a = parse(xs);\nreturn ns.make(')).toEqual([
      { name: 'make', qualifier: 'ns' },
      { name: 'ns' },
      { name: 'xs' },
      { name: 'parse' },
    ]);
  });

  it('reads line by line from the end only as far back as the limit needs, blank lines and edges included', () => {
    const text = '\nfirst.one(a1)\n\n\nsecond(b2, first.one)\r\nthird.xx.yy\n';
    expect(usesNearEnd(text)).toEqual([
      { name: 'yy', qualifier: 'third.xx' },
      { name: 'xx', qualifier: 'third' },
      { name: 'third' },
      { name: 'one', qualifier: 'first' },
      { name: 'first' },
      { name: 'b2' },
      { name: 'second' },
      { name: 'a1' },
    ]);
    // The limit is checked per chain, as before: the last chain's names all come.
    expect(usesNearEnd(text, 2)).toEqual(usesNearEnd(text).slice(0, 3));
    expect(usesNearEnd('\n')).toEqual([]);
    expect(usesNearEnd('')).toEqual([]);
    expect(usesNearEnd('\n\nab')).toEqual([{ name: 'ab' }]);
  });
});

describe('findDefinitions', () => {
  it('follows named, namespace and default imports, and barrels', () => {
    const s = scope(
      {
        parse: { paths: ['/w/parse.ts'], imported: 'parse' },
        ns: { paths: ['/w/index.ts'], imported: '*' },
        Widget: { paths: ['/w/widget.ts'], imported: 'default' },
      },
      [
        outline('/w/parse.ts', [sym('parse')]),
        outline('/w/index.ts', [], [{ spec: './make.js' }]),
        outline('/w/make.ts', [sym('make')]),
        outline('/w/widget.ts', [sym('Widget', { kind: 'class' })]),
      ],
    );
    const hits = findDefinitions(usesNearEnd('parse(a); new Widget(); ns.make('), s);
    expect(hits.map((h) => `${h.path}:${h.symbol.name}`)).toEqual([
      '/w/make.ts:make',
      '/w/widget.ts:Widget',
      '/w/parse.ts:parse',
    ]);
  });

  it('looks up unbound names in scope files, then in open files, never in the current file', () => {
    const s = scope(
      {},
      [
        outline('/w/pkg/b.go', [sym('NewStore')]),
        outline('/w/open.ts', [sym('helper')]),
        outline('/w/current.ts', [sym('local')]),
      ],
      {
        unqualified: ['/w/pkg/b.go'],
        openFiles: ['/w/open.ts', '/w/current.ts'],
      },
    );
    expect(findDefinitions(usesNearEnd('local(); helper(); NewStore('), s).map((h) => h.symbol.name)).toEqual([
      'NewStore',
      'helper',
    ]);
  });

  it('finds nothing for a name it cannot resolve', () => {
    expect(findDefinitions(usesNearEnd('unknown(1)'), scope({}, []))).toEqual([]);
  });
});

describe('similar windows', () => {
  it('ranks the window sharing most identifiers first, same language before others', () => {
    const aText = Array.from({ length: 60 }, (_, i) =>
      i >= 20 && i < 40 ? `const total = price * quantity + tax${i};` : `log(line${i});`,
    ).join('\n');
    const bText = 'total = price * quantity\n';
    const a = indexWindows('/w/a.ts', 'typescript', aText);
    const b = indexWindows('/w/b.py', 'python', bText);
    const query = identifierSet('total price quantity');
    const found = similarWindows(query, 'typescript', [b, a], (w) => (w === a ? aText : bText));
    expect(found[0]!.path).toBe('/w/a.ts');
    expect(found[0]!.text).toContain('const total = price * quantity');
    expect(found.map((w) => w.path)).toEqual(['/w/a.ts', '/w/b.py']);
    expect(jaccard(new Set(['a', 'b']), new Set(['b', 'c']))).toBeCloseTo(1 / 3);
  });

  it('never offers a window of minified or generated lines', () => {
    const long = `const total = price * quantity; ${'x'.repeat(MAX_WINDOW_CHARS)}`;
    const minified = indexWindows('/w/bundle.js', 'javascript', long);
    const normal = indexWindows('/w/a.js', 'javascript', 'const total = price * quantity;\n');
    expect(minified.postings.size).toBe(0);
    const texts = new Map([
      [minified, long],
      [normal, 'const total = price * quantity;\n'],
    ]);
    const found = similarWindows(identifierSet('total price quantity'), 'javascript', [minified, normal], (w) =>
      texts.get(w),
    );
    expect(found.map((w) => w.path)).toEqual(['/w/a.js']);
  });
});

describe('selectSnippets', () => {
  const c = (key: string, tokens: number, extra: Partial<SnippetCandidate> = {}): SnippetCandidate => ({
    key,
    source: 'definition',
    path: key,
    text: key,
    tokens,
    ...extra,
  });
  const budgets = { total: 1000, definition: 3 * (100 + SNIPPET_FRAME_TOKENS), similar: 500, edit: 500 };

  it('keeps the previous order and appends new snippets', () => {
    const chosen = selectSnippets(
      { definition: [c('new', 100), c('b', 100), c('a', 100)], similar: [], edit: [] },
      budgets,
      ['a', 'b'],
    );
    expect(chosen.map((x) => x.key)).toEqual(['a', 'b', 'new']);
  });

  it('puts urgent snippets in first and keeps each source within its budget and the total', () => {
    const chosen = selectSnippets(
      {
        definition: [c('a', 100), c('b', 100), c('c', 100), c('now', 100, { urgent: true })],
        similar: [c('s', 400, { source: 'similar' })],
        edit: [c('e', 400, { source: 'edit' })],
      },
      budgets,
      ['a', 'b', 'c'],
    );
    expect(chosen.map((x) => x.key)).toEqual(['a', 'b', 'now', 's']);
    const tokens = chosen.reduce((sum, x) => sum + x.tokens + SNIPPET_FRAME_TOKENS, 0);
    expect(tokens).toBeLessThanOrEqual(budgets.total);
  });
});
