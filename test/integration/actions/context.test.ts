/**
 * Repository context in code actions over stdio, in a real temporary workspace: "Explain" and
 * "Refactor" on code that calls a function defined in another file send that definition's
 * signature to the model (read from disk, followed through the import), never an excluded or
 * git-ignored file; the audit trail names the contributing files; "Generate unit tests" into a new
 * test file shows the model a neighbouring test file; `actions.context` turns it off, per task too.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CodeAction } from 'vscode-languageserver-protocol';
import { startFakeOpenAI, type FakeOpenAI } from '../../fake-openai/server.ts';
import { Editor, find, RESOLVE_CAPABILITIES } from './editor.ts';

let fake: FakeOpenAI;
let editor: Editor | undefined;
let root: string;

const FILES: Record<string, string> = {
  'package.json': JSON.stringify({ devDependencies: { vitest: '^4.0.0' } }),
  '.gitignore': 'build/\n',
  '.ghostlineignore': 'src/internal/**\n',
  'src/billing/invoice.ts': [
    'export class Invoice {',
    '  constructor(readonly customerId: string, private currency: "EUR" | "USD" = "EUR") {}',
    '  total(taxRate = 0.2): number {',
    '    return 100 * (1 + taxRate);',
    '  }',
    '}',
    '',
  ].join('\n'),
  'src/billing/format.ts':
    'export function formatAmount(cents: number, currency: string, { withSymbol = true } = {}): string {\n  return `${withSymbol ? currency : ""}${(cents / 100).toFixed(2)}`;\n}\n',
  'build/generated.ts': 'export function buildArtifact(hashSeed: number) {}\n',
  'src/internal/keys.ts': 'export function loadSigningKey(vaultPath: string) {}\n',
  'src/invoice.test.ts':
    "import { describe, expect, it } from 'vitest';\nimport { Invoice } from './billing/invoice';\n\ndescribe('Invoice', () => {\n  it('totals with tax', () => expect(new Invoice('c').total(0)).toBe(100));\n});\n",
};

const CHECKOUT = [
  "import { Invoice } from './billing/invoice';",
  "import { formatAmount } from './billing/format';",
  "import { buildArtifact } from '../build/generated';",
  "import { loadSigningKey } from './internal/keys';",
  '',
  'export function checkout(customer: string): string {',
  '  buildArtifact(1);',
  '  loadSigningKey("v");',
  '  const invoice = new Invoice(customer, "USD");',
  '  return formatAmount(invoice.total(), "USD");',
  '}',
  '',
].join('\n');
const CURSOR = { start: { line: 8, character: 8 }, end: { line: 8, character: 8 } };

beforeAll(async () => {
  fake = await startFakeOpenAI({ responder: () => ({ kind: 'text', text: 'Checks out a customer.' }) });
  root = mkdtempSync(join(tmpdir(), 'ghostline-action-context-'));
  for (const [rel, text] of Object.entries({ ...FILES, 'src/checkout.ts': CHECKOUT })) {
    mkdirSync(join(root, rel, '..'), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
});
afterAll(async () => {
  await fake.close();
  rmSync(root, { recursive: true, force: true });
});
afterEach(async () => {
  await editor?.client.shutdown();
  editor = undefined;
  fake.reset();
  fake.setResponder(() => ({ kind: 'text', text: 'Checks out a customer.' }));
});

const uri = () => pathToFileURL(join(root, 'src/checkout.ts')).href;

async function start(extraEnv: Record<string, string> = {}): Promise<Editor> {
  editor = await Editor.start(
    { OPENAI_API_KEY: 'sk-test-key-0000', OPENAI_BASE_URL: fake.url, ...extraEnv },
    RESOLVE_CAPABILITIES,
    undefined,
    undefined,
    pathToFileURL(root).href,
  );
  await editor.open(uri(), CHECKOUT);
  return editor;
}

/** Runs "Explain" on the checkout function; returns the input the model received. */
async function explain(e: Editor): Promise<string> {
  const action = find(await e.codeActions(uri(), CURSOR), /Explain/) as CodeAction;
  await e.execute(action.command!);
  expect(fake.requests).toHaveLength(1);
  return fake.requests[0]!.body.input as string;
}

function expectNoHiddenFile(): void {
  for (const request of fake.requests) {
    const text = JSON.stringify(request.body);
    for (const hidden of ['hashSeed', 'vaultPath']) expect(text).not.toContain(hidden);
  }
}

describe('repository context in code actions', () => {
  it('explain sends the signatures the function uses from other files, before the file, never excluded files', async () => {
    const input = await explain(await start());
    expect(input.indexOf('<snippet path="src/billing/format.ts" kind="definition">')).toBe(0);
    expect(input).toContain('<snippet path="src/billing/invoice.ts" kind="definition">');
    expect(input).toContain('constructor(readonly customerId: string, private currency: "EUR" | "USD" = "EUR")');
    expect(input).toContain('formatAmount(cents: number, currency: string, { withSymbol = true } = {}): string');
    expect(input.indexOf('</snippet>')).toBeLessThan(input.indexOf('File: '));
    expect(fake.requests[0]!.body.instructions).toContain('<snippet> elements');
    expectNoHiddenFile();
  });

  it('refactor sends them too, and the audit trail names the contributing files (paths only)', async () => {
    const audit = join(root, 'audit.jsonl');
    const e = await start({ GHOSTLINE_SAFETY__AUDIT__FILE: audit });
    fake.setResponder((req) => {
      const input = req.body.input as string;
      const region = input.slice(input.indexOf('<region>\n') + 9, input.indexOf('\n</region>'));
      return {
        kind: 'text',
        text: region.replace('const invoice', 'const bill').replace('invoice.total', 'bill.total'),
      };
    });
    const action = find(await e.codeActions(uri(), CURSOR), /^ghostline: Refactor$/) as CodeAction;
    await e.resolve(action);
    const input = fake.requests[0]!.body.input as string;
    expect(input).toContain('constructor(readonly customerId: string');
    expectNoHiddenFile();
    await e.client.shutdown();
    editor = undefined;
    const lines = readFileSync(audit, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const refactor = lines.find((line) => line['task'] === 'refactor');
    expect(refactor?.['contextFiles']).toEqual(['src/billing/format.ts', 'src/billing/invoice.ts']);
    expect(JSON.stringify(lines)).not.toContain('customerId');
  });

  it('generate unit tests shows a neighbouring test file when the test file is new', async () => {
    const e = await start();
    fake.setResponder(() => ({
      kind: 'text',
      text: JSON.stringify({
        header: "import { describe, expect, it } from 'vitest';\nimport { checkout } from './checkout';",
        body: "describe('checkout', () => {\n  it('formats', () => expect(checkout('c')).toContain('USD'));\n});",
      }),
    }));
    const action = find(await e.codeActions(uri(), CURSOR), /Generate unit tests/) as CodeAction;
    await e.resolve(action);
    const input = fake.requests[0]!.body.input as string;
    expect(input).toContain('<snippet path="src/invoice.test.ts" kind="example-test">');
    expect(input).toContain("it('totals with tax'");
    expect(input).toContain('constructor(readonly customerId: string');
  });

  it('sends the file alone with actions.context.enabled = false, or a task budget of 0', async () => {
    const off = await explain(await start({ GHOSTLINE_ACTIONS__CONTEXT__ENABLED: 'false' }));
    expect(off).not.toContain('<snippet');
    expect(off).not.toContain('customerId');
    await editor!.client.shutdown();
    editor = undefined;
    fake.reset();
    const none = await explain(await start({ GHOSTLINE_ACTIONS__CONTEXT__MAX_TOKENS__EXPLAIN: '0' }));
    expect(none).not.toContain('<snippet');
  });
});
