/**
 * The built server against a misbehaving model API and bad configuration: every request still
 * gets an answer, problems are reported once, and the process keeps running.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI } from '../fake-openai/server.ts';
import { TestClient } from '../helpers/lsp-client.ts';

const URI = 'file:///work/demo/app.ts';
let fake: FakeOpenAI;
let client: TestClient | undefined;

/** Small deadlines and retry delays so failure paths finish quickly. */
function env(extra: Record<string, string> = {}): Record<string, string> {
  return {
    OPENAI_API_KEY: 'sk-test-resilience-9999',
    OPENAI_BASE_URL: fake.url,
    GHOSTLINE_COMPLETION__DEBOUNCE_MS: '0',
    GHOSTLINE_TIMEOUTS__FIRST_TOKEN_MS: '400',
    GHOSTLINE_TIMEOUTS__IDLE_MS: '300',
    GHOSTLINE_RETRY__BASE_DELAY_MS: '20',
    GHOSTLINE_RETRY__MAX_DELAY_MS: '50',
    GHOSTLINE_RETRY__MAX_RETRY_AFTER_MS: '1500',
    ...extra,
  };
}

async function start(
  extra: Record<string, string> = {},
  init: Parameters<TestClient['initialize']>[0] = {},
): Promise<TestClient> {
  client = TestClient.start({ env: env(extra) });
  await client.initialize(init);
  await client.open(URI, 'const total = \n');
  return client;
}

const complete = () => client!.completion(URI, { line: 0, character: 14 });

beforeAll(async () => {
  fake = await startFakeOpenAI();
});
afterAll(async () => {
  await fake.close();
});
afterEach(async () => {
  await client?.shutdown();
  client = undefined;
  fake.reset();
});

describe('a failing model API', () => {
  it('honours retry-after on a 429 and then answers', async () => {
    let calls = 0;
    fake.setResponder(() =>
      calls++ === 0
        ? { kind: 'error', status: 429, headers: { 'retry-after-ms': '120' } }
        : { kind: 'text', text: 'a + b;' },
    );
    await start();
    expect((await complete()).items[0]?.textEdit?.newText).toBe('a + b;');
    expect(fake.requests.map((r) => r.body.model)).toEqual(['gpt-4.1-mini', 'gpt-4.1-mini']);
  });

  it('falls back to the next model when the primary keeps failing with 500', async () => {
    fake.setResponder((req) =>
      req.body.model === 'gpt-4.1-mini' ? { kind: 'error', status: 500 } : { kind: 'text', text: 'fallback();' },
    );
    await start();
    expect((await complete()).items[0]?.textEdit?.newText).toBe('fallback();');
    const models = fake.requests.map((r) => r.body.model);
    expect(models.filter((m) => m === 'gpt-4.1-mini')).toHaveLength(3);
    expect(models.at(-1)).toBe('gpt-4o-mini');
  });

  it('answers empty when every model times out on a stalled stream, and closes each stalled request', async () => {
    fake.setResponder(() => ({ kind: 'stall', text: 'never', afterChunks: 0 }));
    await start({ GHOSTLINE_RETRY__MAX_ATTEMPTS: '1' });
    expect((await complete()).items).toEqual([]);
    expect(fake.requests).toHaveLength(2);
    for (const request of fake.requests) {
      await request.done;
      expect(request.clientClosed).toBe(true);
    }
  });

  it('retries a stream reset mid-way and answers', async () => {
    let calls = 0;
    fake.setResponder(() =>
      calls++ === 0 ? { kind: 'reset', text: 'partial text', afterChunks: 1 } : { kind: 'text', text: 'whole();' },
    );
    await start();
    expect((await complete()).items[0]?.textEdit?.newText).toBe('whole();');
  });

  it('answers empty on malformed SSE and on a stream without its terminal event, without crashing', async () => {
    fake.setResponder(() => ({ kind: 'malformed', afterChunks: 1 }));
    await start({ GHOSTLINE_RETRY__MAX_ATTEMPTS: '1' });
    expect((await complete()).items).toEqual([]);
    fake.setResponder(() => ({ kind: 'no-terminal', text: 'cut off' }));
    await client!.change(URI, 2, [
      { range: { start: { line: 0, character: 14 }, end: { line: 0, character: 14 } }, text: 'x' },
    ]);
    expect((await client!.completion(URI, { line: 0, character: 15 })).items).toEqual([]);
    fake.setResponder(() => ({ kind: 'text', text: ' + 1;' }));
    expect((await client!.completion(URI, { line: 0, character: 15 })).items[0]?.textEdit?.newText).toBe('x + 1;');
  });

  it('does not retry insufficient_quota, and tells the user once', async () => {
    fake.setResponder(() => ({ kind: 'error', status: 429, code: 'insufficient_quota' }));
    await start();
    expect((await complete()).items).toEqual([]);
    await client!.change(URI, 2, [
      { range: { start: { line: 0, character: 14 }, end: { line: 0, character: 14 } }, text: 'y' },
    ]);
    expect((await client!.completion(URI, { line: 0, character: 15 })).items).toEqual([]);
    expect(fake.requests).toHaveLength(2);
    await client!.waitForMessage(/out of quota/);
    expect(client!.messages.filter((m) => /out of quota/.test(m.message))).toHaveLength(1);
  });
});

describe('configuration', () => {
  it('without an API key: one clear message, empty answers, no request to the model', async () => {
    client = TestClient.start({ env: { GHOSTLINE_COMPLETION__DEBOUNCE_MS: '0' } });
    await client.initialize();
    await client.open(URI, 'let x = \n');
    for (let i = 0; i < 3; i++) expect((await client.completion(URI, { line: 0, character: 8 })).items).toEqual([]);
    await client.waitForMessage(/no API key/);
    expect(client.messages.filter((m) => /no API key/.test(m.message))).toHaveLength(1);
    expect(fake.requests).toHaveLength(0);
  });

  it('reports an invalid setting once, naming key, value and what is allowed, and keeps the last valid config', async () => {
    fake.setResponder(() => ({ kind: 'text', text: 'ok;' }));
    await start(
      {},
      {
        initializationOptions: {
          completion: { debounceMs: 'soon' },
          router: { tasks: { completion: { model: 'code-cushman-001' } } },
        },
      },
    );
    const message = await client!.waitForMessage(/completion\.debounceMs/);
    expect(message.type).toBe(1);
    expect(message.message).toMatch(/"soon".*expected number/);
    expect((await complete()).items[0]?.textEdit?.newText).toBe('ok;');
    expect(fake.requests[0]!.body.model).toBe('gpt-4.1-mini');
  });

  it('applies workspace/didChangeConfiguration live', async () => {
    fake.setResponder(() => ({ kind: 'text', text: 'live;' }));
    await start();
    await client!.connection.sendNotification('workspace/didChangeConfiguration', {
      settings: { ghostline: { router: { tasks: { completion: { model: 'gpt-4.1' } } } } },
    });
    await complete();
    expect(fake.requests[0]!.body.model).toBe('gpt-4.1');
    await client!.connection.sendNotification('workspace/didChangeConfiguration', {
      settings: { ghostline: { router: { tasks: { completion: { temperature: 9 } } } } },
    });
    await client!.waitForMessage(/temperature = 9/);
  });

  it('pulls workspace/configuration and reads the team file from the workspace root', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ghostline-team-'));
    writeFileSync(
      join(root, '.ghostline.json'),
      JSON.stringify({ router: { tasks: { completion: { model: 'gpt-4.1' } } } }),
    );
    fake.setResponder(() => ({ kind: 'text', text: 'team;' }));
    await start({}, { rootUri: pathToFileURL(root).href, settings: { completion: { maxLines: 3 } } });
    await complete();
    expect(fake.requests[0]!.body.model).toBe('gpt-4.1');
  });

  it('speaks Chat Completions to servers without /v1/responses', async () => {
    fake.setResponder(() => ({ kind: 'text', text: 'chat();' }));
    await start({ GHOSTLINE_API: 'chat' });
    expect((await complete()).items[0]?.textEdit?.newText).toBe('chat();');
    expect(fake.requests[0]!.api).toBe('chat');
    expect(fake.requests[0]!.body.stream).toBe(true);
  });
});

describe('process lifecycle', () => {
  it('exits when the editor process named by --clientProcessId dies', async () => {
    const { spawn } = await import('node:child_process');
    const editor = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    client = TestClient.start({ env: env(), args: [`--clientProcessId=${editor.pid}`] });
    await client.initialize();
    editor.kill('SIGKILL');
    expect(await client.exitCode).not.toBeNull();
    client = undefined;
  });

  it('exits when its stdin closes (the editor went away)', async () => {
    client = TestClient.start({ env: env() });
    await client.initialize();
    client.child.stdin!.end();
    expect(await client.exitCode).toBe(1);
    client = undefined;
  });
});
