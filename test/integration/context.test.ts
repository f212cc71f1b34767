/**
 * Repository context end to end: the built server over stdio with a real LSP client, real files in
 * a temporary workspace, and the fake model server reading the prompts. Definitions of what the
 * current file uses reach the prompt when the defining file is open and when it is only on disk;
 * excluded and git-ignored files never do; the audit trail names the contributing files;
 * `ghostline complete --show-context` prints what would be sent.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseCompletionInput } from '../../server/src/context/prompt.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../fake-openai/server.ts';
import { BIN, TestClient } from '../helpers/lsp-client.ts';

let fake: FakeOpenAI;
let client: TestClient | undefined;
let root: string;

const FILES: Record<string, string> = {
  '.gitignore': 'build/\n',
  '.ghostlineignore': 'src/internal/**\n',
  'src/billing/invoice.ts': [
    'export interface LineItem {',
    '  sku: string;',
    '  quantity: number;',
    '}',
    '',
    'export class Invoice {',
    '  constructor(readonly customerId: string, private currency: "EUR" | "USD" = "EUR", items: LineItem[] = []) {',
    '    this.items = items;',
    '  }',
    '  private items: LineItem[];',
    '  total(taxRate = 0.2): number {',
    '    return this.items.length * (1 + taxRate);',
    '  }',
    '}',
    '',
  ].join('\n'),
  'src/billing/format.ts':
    'export function formatAmount(cents: number, currency: string, { withSymbol = true } = {}): string {\n  return `${withSymbol ? currency : ""}${(cents / 100).toFixed(2)}`;\n}\n',
  'build/generated.ts': 'export function buildArtifact(hashSeed: number) {}\n',
  'src/internal/keys.ts': 'export function loadSigningKey(vaultPath: string) {}\n',
  '.env.local.ts': 'export const leakedEnvValue = 1;\n',
};

const MAIN = [
  "import { Invoice } from './billing/invoice.js';",
  "import { formatAmount } from './billing/format';",
  "import { buildArtifact } from '../build/generated';",
  "import { loadSigningKey } from './internal/keys';",
  '',
  'export function checkout(customer: string) {',
  '  buildArtifact(1);',
  '  loadSigningKey("v");',
  '  const invoice = new Invoice(',
].join('\n');

beforeAll(async () => {
  fake = await startFakeOpenAI({ responder: () => ({ kind: 'text', text: 'customer);' }) });
  root = mkdtempSync(join(tmpdir(), 'ghostline-context-'));
  for (const [rel, text] of Object.entries(FILES)) {
    mkdirSync(join(root, rel, '..'), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
});
afterAll(async () => {
  await fake.close();
});
afterEach(async () => {
  await client?.shutdown();
  client = undefined;
  fake.reset();
  fake.setResponder(() => ({ kind: 'text', text: 'customer);' }));
});

const uriOf = (rel: string) => pathToFileURL(join(root, rel)).href;

async function start(extraEnv: Record<string, string> = {}): Promise<TestClient> {
  client = TestClient.start({
    env: {
      OPENAI_API_KEY: 'sk-test-key-0000',
      OPENAI_BASE_URL: fake.url,
      GHOSTLINE_COMPLETION__DEBOUNCE_MS: '0',
      ...extraEnv,
    },
  });
  await client.initialize({ rootUri: pathToFileURL(root).href });
  return client;
}

/**
 * Asks for completion at the end of MAIN until the prompt holds `expected` (indexing runs in the
 * background). Each attempt adds a comment line at the top, so the text before the cursor differs
 * and neither the cache nor typed-ahead answers in place of a new prompt.
 */
async function promptHolding(c: TestClient, expected: string): Promise<string> {
  const lines = MAIN.split('\n');
  const deadline = Date.now() + 40_000;
  for (let attempt = 0; Date.now() < deadline; attempt++) {
    await c.completion(uriOf('src/checkout.ts'), { line: lines.length - 1 + attempt, character: lines.at(-1)!.length });
    const input = fake.requests.at(-1)?.body.input as string | undefined;
    if (input?.includes(expected)) return input;
    const top = { line: 0, character: 0 };
    await c.change(uriOf('src/checkout.ts'), attempt + 2, [
      { range: { start: top, end: top }, text: `// attempt ${attempt}\n` },
    ]);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no prompt held ${expected}; last: ${String(fake.requests.at(-1)?.body.input).slice(0, 400)}`);
}

describe('repository context over stdio', () => {
  it('sends the definition of a class the file imports when its file is only on disk, never excluded or ignored files', {
    timeout: 90_000,
  }, async () => {
    const c = await start();
    await c.open(uriOf('src/checkout.ts'), MAIN);
    const input = await promptHolding(c, 'constructor(readonly customerId: string');
    const prompt = parseCompletionInput(input)!;
    const definition = prompt.snippets!.find((s) => s.path === 'src/billing/invoice.ts');
    expect(definition?.kind).toBe('definition');
    expect(definition?.text).toContain(
      'constructor(readonly customerId: string, private currency: "EUR" | "USD" = "EUR", items: LineItem[] = [])',
    );
    // Snippets come before the file; the mode comes last.
    expect(input.indexOf('<snippet')).toBe(0);
    expect(input).toMatch(/<\/file>\n<mode>(single|multi)-line<\/mode>$/);
    for (const request of fake.requests) {
      const text = JSON.stringify(request.body);
      for (const hidden of ['hashSeed', 'vaultPath', 'leakedEnvValue']) expect(text).not.toContain(hidden);
    }
  });

  it('sends definitions from an open tab, and similar code of other open files', { timeout: 90_000 }, async () => {
    const c = await start({ GHOSTLINE_CONTEXT__OPEN_DOCUMENTS__MAX_TOKENS: '512' });
    await c.open(uriOf('src/billing/invoice.ts'), FILES['src/billing/invoice.ts']!.replace('= 0.2', '= 0.25'));
    await c.open(
      uriOf('src/report.ts'),
      'export function report(customer: string) {\n  buildArtifact(1);\n  loadSigningKey("v");\n  const invoiceTotal = checkoutCustomer(customer);\n}\n',
    );
    await c.open(uriOf('src/checkout.ts'), MAIN);
    // The open tab's text (0.25), not the disk's (0.2): the editor's buffer is what the user sees.
    const input = await promptHolding(c, 'total(taxRate = 0.25)');
    const prompt = parseCompletionInput(input)!;
    expect(prompt.snippets!.some((s) => s.kind === 'similar' && s.path === 'src/report.ts')).toBe(true);
  });

  it('writes the contributing files (paths only) to the audit trail', { timeout: 90_000 }, async () => {
    const audit = join(root, 'audit.jsonl');
    const c = await start({ GHOSTLINE_SAFETY__AUDIT__FILE: audit });
    await c.open(uriOf('src/checkout.ts'), MAIN);
    await promptHolding(c, 'constructor(readonly customerId');
    await c.shutdown();
    client = undefined;
    const lines = readFileSync(audit, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const withContext = lines.filter((line) => Array.isArray(line['contextFiles']));
    expect(withContext.length).toBeGreaterThan(0);
    expect(withContext.at(-1)!['contextFiles']).toContain('src/billing/invoice.ts');
    expect(JSON.stringify(lines)).not.toContain('customerId');
  });

  it('turns off with context.enabled = false', async () => {
    const c = await start({ GHOSTLINE_CONTEXT__ENABLED: 'false' });
    await c.open(uriOf('src/checkout.ts'), MAIN);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const lines = MAIN.split('\n');
    await c.completion(uriOf('src/checkout.ts'), { line: lines.length - 1, character: lines.at(-1)!.length });
    expect(parseCompletionInput(fake.requests.at(-1)!.body.input)?.snippets).toBeUndefined();
  });
});

describe('ghostline complete --show-context', () => {
  it('prints the prompt input with the definitions, without calling the model', async () => {
    writeFileSync(join(root, 'src/checkout.ts'), MAIN + '\n');
    const lines = MAIN.split('\n');
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [BIN, 'complete', `src/checkout.ts:${lines.length}:${lines.at(-1)!.length + 1}`, '--show-context'],
      {
        cwd: root,
        env: { PATH: process.env.PATH, HOME: root, XDG_CONFIG_HOME: join(root, 'cfg') },
      },
    );
    const prompt = parseCompletionInput(stdout.replace(/\n$/, ''))!;
    expect(prompt.snippets!.map((s) => s.path)).toEqual(expect.arrayContaining(['src/billing/invoice.ts']));
    expect(stdout).toContain('constructor(readonly customerId: string');
    expect(stdout).not.toContain('vaultPath');
    expect(stderr).toContain('context from src/billing/invoice.ts');
    expect(fake.requests).toHaveLength(0);
  });
});
