/**
 * The audit trail end to end over stdio: one complete JSON line per model call — completion,
 * answers served from the cache, code actions, failed calls along the fallback chain — with the
 * redaction count, and neither source text nor the API key in it.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CodeAction } from 'vscode-languageserver-protocol';
import { startFakeOpenAI, type FakeOpenAI } from '../../fake-openai/server.ts';
import { TestClient } from '../../helpers/lsp-client.ts';
import { Editor, RESOLVE_CAPABILITIES } from '../actions/editor.ts';
import { API_KEY, positionAt, serverEnv, uriOf, workspace } from './setup.ts';

const STRIPE = 'sk_live_' + 'Vq7Lm2Xc9Rt4Bn8Kd1Pz6Hs3Wy5Ja0Fe';
const SOURCE = `const stripeKey = "${STRIPE}";\nexport function computeQuarterlyRevenue(orders: Order[]) {\n  return `;
const FIELDS = [
  'time',
  'task',
  'model',
  'reason',
  'promptHash',
  'tokensIn',
  'tokensOut',
  'tokensCached',
  'costUsd',
  'redactions',
  'file',
  'user',
  'outcome',
  'latencyMs',
];

let fake: FakeOpenAI;
let root: string;
let auditDir: string;
let client: TestClient | undefined;

beforeAll(async () => {
  fake = await startFakeOpenAI();
  root = workspace({ 'src/revenue.ts': SOURCE });
  auditDir = mkdtempSync(path.join(tmpdir(), 'ghostline-audit-'));
});
afterAll(async () => {
  await fake.close();
  rmSync(root, { recursive: true, force: true });
  rmSync(auditDir, { recursive: true, force: true });
});
afterEach(async () => {
  await client?.shutdown();
  client = undefined;
  fake.reset();
});

function readAudit(file: string): Record<string, unknown>[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

async function waitForLines(file: string, count: number): Promise<Record<string, unknown>[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const lines = readAudit(file);
    if (lines.length >= count || Date.now() > deadline) return lines;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('audit trail', () => {
  it('writes one complete line per model call and per cached answer, without source text or the key', async () => {
    const file = path.join(auditDir, 'calls.jsonl');
    fake.setResponder((request) =>
      request.body.instructions?.includes('explaining code')
        ? { kind: 'text', text: 'Sums the orders of a quarter.', usage: { input: 900, output: 9 } }
        : {
            kind: 'text',
            text: 'orders.reduce((sum, o) => sum + o.total, 0);',
            usage: { input: 400, cached: 128, output: 12 },
          },
    );
    client = TestClient.start({ env: serverEnv(fake, { GHOSTLINE_SAFETY__AUDIT__FILE: file }) });
    await client.initialize({ rootUri: pathToFileURL(root).href, capabilities: RESOLVE_CAPABILITIES });
    const editor = new Editor(client);
    const uri = uriOf(root, 'src/revenue.ts');
    const at = positionAt(SOURCE, SOURCE.length);

    await editor.open(uri, SOURCE);
    expect((await client.completion(uri, at)).items).toHaveLength(1);
    // Closing forgets the typed-ahead record; reopening asks again and the answer comes from the cache.
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    await editor.open(uri, SOURCE);
    expect((await client.completion(uri, at)).items).toHaveLength(1);
    expect(fake.requests).toHaveLength(1);

    const explain = (
      await editor.codeActions(uri, { start: { line: 1, character: 0 }, end: { line: 2, character: 9 } })
    ).find((a) => /Explain/.test(a.title)) as CodeAction;
    await editor.execute(explain.command!);
    expect(fake.requests).toHaveLength(2);

    // Both models of the completion chain fail: two calls, two lines.
    fake.setResponder(() => ({ kind: 'error', status: 503 }));
    const other = `${SOURCE}orders.length`;
    await editor.type(uri, { start: at, end: at }, 'orders.length');
    expect((await client.completion(uri, positionAt(other, other.length))).items).toHaveLength(0);

    const lines = await waitForLines(file, 5);
    expect(lines.map((line) => [line.task, line.model, line.outcome])).toEqual([
      ['completion', 'gpt-4.1-mini', 'ok'],
      ['completion', 'gpt-4.1-mini', 'cache'],
      ['explain', 'gpt-4.1-mini', 'ok'],
      ['completion', 'gpt-4.1-mini', 'error:server'],
      ['completion', 'gpt-4o-mini', 'error:server'],
    ]);
    for (const line of lines) {
      expect(Object.keys(line).sort()).toEqual([...FIELDS].sort());
      expect(line.promptHash).toMatch(/^[0-9a-f]{64}$/);
      expect(line.file).toBe(path.join(root, 'src/revenue.ts'));
      expect(line.user).toBe(userInfo().username);
      expect(line.redactions).toBe(1);
      expect(typeof line.latencyMs).toBe('number');
      expect(new Date(line.time as string).getTime()).not.toBeNaN();
    }
    expect(lines[0]).toMatchObject({ reason: 'primary', tokensIn: 400, tokensCached: 128, tokensOut: 12 });
    expect(lines[0]!.costUsd).toBeCloseTo(((400 - 128) * 0.4 + 128 * 0.1 + 12 * 1.6) / 1e6, 12);
    expect(lines[1]).toMatchObject({ reason: 'cached answer', tokensIn: 0, tokensOut: 0, costUsd: 0 });
    expect(lines[2]).toMatchObject({ tokensIn: 900, tokensOut: 9 });
    expect(lines[4]!.reason).toBe('fallback after gpt-4.1-mini failed (server)');
    // The prompt sent is the redacted one, and the audit line hashes exactly that.
    expect(fake.requests[0]!.body.input).toContain('«secret:stripe-key:1»');

    const text = readFileSync(file, 'utf8');
    for (const needle of [API_KEY, STRIPE, 'computeQuarterlyRevenue', 'orders.reduce', 'Sums the orders'])
      expect(text).not.toContain(needle);
  });

  it('writes nothing unless the trail is turned on', async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'ghostline-home-'));
    client = TestClient.start({ env: { ...serverEnv(fake), HOME: home } });
    await client.initialize({ rootUri: pathToFileURL(root).href });
    const uri = uriOf(root, 'src/revenue.ts');
    await client.open(uri, SOURCE);
    expect((await client.completion(uri, positionAt(SOURCE, SOURCE.length))).items).toHaveLength(1);
    await client.shutdown();
    client = undefined;
    expect(existsSync(path.join(home, '.local', 'state', 'ghostline'))).toBe(false);

    // Turned on without a file: the XDG state directory.
    client = TestClient.start({
      env: {
        ...serverEnv(fake),
        HOME: home,
        GHOSTLINE_SAFETY__AUDIT__ENABLED: 'true',
        GHOSTLINE_SAFETY__AUDIT__INCLUDE_SOURCE: 'true',
      },
    });
    await client.initialize({ rootUri: pathToFileURL(root).href });
    await client.open(uri, SOURCE);
    await client.completion(uri, positionAt(SOURCE, SOURCE.length));
    await client.shutdown();
    client = undefined;
    const lines = readAudit(path.join(home, '.local', 'state', 'ghostline', 'audit.jsonl'));
    expect(lines).toHaveLength(1);
    // includeSource writes the prompt as sent (redacted) and the answer; still never the secret.
    expect(lines[0]!.prompt).toContain('computeQuarterlyRevenue');
    expect(lines[0]!.prompt).toContain('«secret:stripe-key:1»');
    expect(JSON.stringify(lines[0])).not.toContain(STRIPE);
    rmSync(home, { recursive: true, force: true });
  });
});
