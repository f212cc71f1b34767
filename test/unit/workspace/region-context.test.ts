/**
 * Code actions' repository context over real files: the definitions a region uses, found through
 * the file's imports (the editor's text for an open file), within the budget and in a stable order;
 * a neighbouring test file for tests into a new file; excluded and git-ignored files never read.
 */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ContextExclusion } from '../../../server/src/workspace/exclusion.ts';
import { testFilePattern, WorkspaceRegionContext } from '../../../server/src/workspace/region-context.ts';

const root = mkdtempSync(path.join(tmpdir(), 'ghostline-region-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function write(files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
}

write({
  '.gitignore': 'gen/\n',
  '.ghostlineignore': 'src/secret/**\n',
  'src/money.ts':
    'export function formatAmount(cents: number, currency = "EUR", { withSymbol = true } = {}): string {\n  const value = (cents / 100).toFixed(2);\n  const symbol = withSymbol ? currency : "";\n  const spaced = symbol === "" ? value : `${symbol} ${value}`;\n  const trimmed = spaced.trim();\n  const upper = trimmed.toUpperCase();\n  const done = upper;\n  const final = done;\n  return final;\n}\n',
  'src/cart.ts':
    'export class Cart {\n  constructor(readonly owner: string, private limit = 10) {}\n  add(sku: string, quantity = 1): void {}\n}\n',
  'src/secret/keys.ts': 'export function loadSigningKey(vaultPath: string) {}\n',
  'gen/out.ts': 'export function generated(hashSeed: number) {}\n',
  'src/cart.test.ts':
    "import { describe, it } from 'vitest';\nimport { Cart } from './cart';\n\ndescribe('Cart', () => {});\n",
});

const MAIN = [
  "import { formatAmount } from './money';",
  "import { Cart } from './cart';",
  "import { loadSigningKey } from './secret/keys';",
  "import { generated } from '../gen/out';",
  '',
  'export function checkout(owner: string) {',
  '  const cart = new Cart(owner);',
  '  loadSigningKey("v");',
  '  generated(1);',
  '  return formatAmount(120);',
  '}',
  '',
].join('\n');

function context(open: Record<string, string> = {}) {
  const docs = new Map(
    Object.entries(open).map(([rel, text]) => [`file://${path.join(root, rel)}`, { text, version: 1 }]),
  );
  return new WorkspaceRegionContext({
    root: () => root,
    exclusion: new ContextExclusion({ root: () => root, globs: () => [] }),
    openDocuments: () =>
      Object.keys(open).map((rel) => ({
        uri: `file://${path.join(root, rel)}`,
        path: path.join(root, rel),
        languageId: 'typescript',
      })),
    documentText: (uri) => docs.get(uri),
  });
}

const request = (maxTokens: number, extra: { testPath?: string } = {}) => ({
  uri: `file://${path.join(root, 'src/checkout.ts')}`,
  path: path.join(root, 'src/checkout.ts'),
  languageId: 'typescript',
  text: MAIN,
  start: MAIN.indexOf('export function checkout'),
  end: MAIN.length,
  maxTokens,
  ...extra,
});

describe('code-action repository context', () => {
  it('gives the definitions the region uses, sorted by path, never excluded or ignored files', async () => {
    const gathered = await context().gather(request(2000));
    expect(gathered.files).toEqual(['src/cart.ts', 'src/money.ts']);
    expect(gathered.snippets.map((s) => s.kind)).toEqual(['definition', 'definition']);
    expect(gathered.snippets[0]!.text).toContain('constructor(readonly owner: string, private limit = 10)');
    expect(gathered.snippets[1]!.text).toContain('formatAmount(cents: number, currency = "EUR"');
    const all = JSON.stringify(gathered);
    for (const hidden of ['vaultPath', 'hashSeed']) expect(all).not.toContain(hidden);
  });

  it('reads an open file from the editor, not the disk', async () => {
    const gathered = await context({
      'src/cart.ts': 'export class Cart {\n  constructor(readonly owner: string, private limit = 99) {}\n}\n',
    }).gather(request(2000));
    expect(gathered.snippets.find((s) => s.path === 'src/cart.ts')!.text).toContain('limit = 99');
  });

  it('keeps within the budget, first uses first', async () => {
    const one = await context().gather(request(60));
    expect(one.files).toEqual(['src/cart.ts']);
    expect(await context().gather(request(0))).toMatchObject({ snippets: [], files: [] });
  });

  it('adds the head of a neighbouring test file when the test file is new', async () => {
    const gathered = await context().gather(request(2000, { testPath: path.join(root, 'src/checkout.test.ts') }));
    const example = gathered.snippets.find((s) => s.kind === 'example-test');
    expect(example?.path).toBe('src/cart.test.ts');
    expect(example?.text).toContain("import { describe, it } from 'vitest';");
    // An existing test file is in the action's prompt already: no example then.
    const existing = await context().gather(request(2000, { testPath: path.join(root, 'src/cart.test.ts') }));
    expect(existing.snippets.some((s) => s.kind === 'example-test')).toBe(false);
  });

  it('skips a neighbouring test file that holds a secret', async () => {
    const token = `ghp_${'Ab1Cd2Ef3Gh4Ij5Kl6Mn7Op8Qr9St0Uv1Wx2Y'}`;
    write({ 'lib/a.test.ts': `const token = "${token}";\n`, 'lib/b.test.ts': "import { it } from 'vitest';\n" });
    // The file with the secret is the most recently changed one.
    utimesSync(path.join(root, 'lib/a.test.ts'), new Date(), new Date(Date.now() + 60_000));
    const gathered = await context().gather({
      ...request(2000, { testPath: path.join(root, 'lib/c.test.ts') }),
      path: path.join(root, 'lib/c.ts'),
    });
    expect(gathered.snippets.map((s) => s.path)).toEqual(['lib/b.test.ts']);
    expect(JSON.stringify(gathered)).not.toContain(token);
  });

  it('gives nothing for an excluded file', async () => {
    const text = 'import { Cart } from "../cart";\nnew Cart("x");\n';
    const gathered = await context().gather({
      ...request(2000),
      uri: `file://${path.join(root, 'src/secret/use.ts')}`,
      path: path.join(root, 'src/secret/use.ts'),
      text,
      start: 0,
      end: text.length,
    });
    expect(gathered.snippets).toEqual([]);
  });

  it('recognises test file conventions', () => {
    expect(testFilePattern('x.test.ts')?.test('cart.test.ts')).toBe(true);
    expect(testFilePattern('x.test.ts')?.test('cart.spec.ts')).toBe(false);
    expect(testFilePattern('test_x.py')?.test('test_cart.py')).toBe(true);
    expect(testFilePattern('x_test.go')?.test('cart_test.go')).toBe(true);
    expect(testFilePattern('XTest.java')?.test('CartTest.java')).toBe(true);
    expect(testFilePattern('lib.rs')).toBeUndefined();
  });
});
