/**
 * An idle server — initialized, no document open yet — has not loaded the Node built-ins only
 * later work needs: node:http (the dashboard; a model call's fetch), node:fs/promises (audit,
 * guidance, local usage, tree-sitter's files), node:crypto (cache keys; vscode-jsonrpc's pipe names)
 * and node:child_process (vscode-languageserver's global module lookup; both made lazy by
 * scripts/lazy-requires.ts in the bundle). The built server runs with a preload
 * (test/fixtures/module-probe.cjs) that writes Node's list of loaded built-ins on SIGUSR2; the same
 * probe after a completion against the fake OpenAI server shows them loaded, so an empty answer at
 * rest is not a probe that sees nothing.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI } from '../fake-openai/server.ts';
import { ROOT, TestClient } from '../helpers/lsp-client.ts';

const PROBE = join(ROOT, 'test', 'fixtures', 'module-probe.cjs');
/** Built-ins an idle server must not have loaded, as Node names them in process.moduleLoadList. */
const NOT_AT_REST = [
  'NativeModule assert',
  'NativeModule worker_threads',
  'NativeModule http',
  'NativeModule fs/promises',
  'NativeModule crypto',
  'NativeModule child_process',
];
/** Of those, the ones a completion loads: the control that shows the probe sees them when they are loaded
 * (nothing in a language server's work loads node:child_process). */
const LOADED_BY_A_COMPLETION = ['NativeModule http', 'NativeModule fs/promises', 'NativeModule crypto'];

let fake: FakeOpenAI;
let client: TestClient | undefined;
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ghostline-idle-'));
});
beforeAll(async () => {
  fake = await startFakeOpenAI();
});
afterAll(async () => {
  await fake.close();
});
afterEach(async () => {
  await client?.shutdown();
  client = undefined;
  rmSync(dir, { recursive: true, force: true });
});

/** Starts the built server with the probe, in a workspace folder, and initializes it the way an editor does. */
async function startIdle(env: Record<string, string> = {}): Promise<{ client: TestClient; workspace: string }> {
  const workspace = join(dir, 'workspace');
  mkdirSync(join(workspace, 'src'), { recursive: true });
  const started = TestClient.start({
    env: {
      NODE_OPTIONS: `--require "${PROBE}"`,
      GHOSTLINE_TEST_MODULE_LIST: join(dir, 'modules.txt'),
      OPENAI_API_KEY: 'sk-test-key-0000',
      OPENAI_BASE_URL: fake.url,
      GHOSTLINE_COMPLETION__DEBOUNCE_MS: '0',
      ...env,
    },
  });
  client = started;
  // The server pulls its settings after `initialized`; wait for that pull to be answered.
  const pulled = new Promise<void>((resolve) =>
    started.connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => {
      resolve();
      return params.items.map(() => ({}));
    }),
  );
  await started.initialize({ rootUri: pathToFileURL(workspace).href });
  await pulled;
  return { client: started, workspace };
}

/** Node's built-ins the server has loaded so far (after it has handled every message sent before). */
async function loadedBuiltins(server: TestClient): Promise<string[]> {
  // Messages are handled in order: once an unknown request is answered, the ones before it were handled.
  await expect(server.request('ghostline/no-such-request', {})).rejects.toThrow();
  const list = join(dir, 'modules.txt');
  rmSync(list, { force: true });
  server.child.kill('SIGUSR2');
  while (!existsSync(list)) await new Promise((resolve) => setTimeout(resolve, 10));
  return readFileSync(list, 'utf8').split('\n').filter(Boolean);
}

describe('start-up', () => {
  it('an initialized server without documents has not loaded node:http, fs/promises, crypto, child_process, assert or worker_threads', async () => {
    const { client: server } = await startIdle();
    const loaded = await loadedBuiltins(server);
    // The probe sees the server's built-ins (the list is not empty or someone else's).
    expect(loaded).toContain('NativeModule net');
    expect(loaded.filter((name) => NOT_AT_REST.includes(name))).toEqual([]);
  });

  it('the launcher requires the bundle instead of scanning it for ES module exports', async () => {
    // import() of the bundle would first run cjs-module-lexer over its whole source: 21 MB more
    // resident on Node 20, whose lexer is this module (CI runs this file on Node 20 as well; Node 24
    // keeps its lexer in a binding, so there the list cannot show it).
    const { client: server } = await startIdle();
    const loaded = await loadedBuiltins(server);
    expect(loaded).toContain('NativeModule net');
    expect(loaded).not.toContain('NativeModule internal/deps/cjs-module-lexer/lexer');
  });

  it('after a completion against the model they are loaded (the probe sees them when they are)', async () => {
    fake.setResponder(() => ({ kind: 'text', text: 'Width(): number {' }));
    // With the audit trail on, the answer is audited: opening the audit file uses node:fs/promises.
    const audit = join(dir, 'audit.jsonl');
    const { client: server, workspace } = await startIdle({ GHOSTLINE_SAFETY__AUDIT__FILE: audit });
    const uri = pathToFileURL(join(workspace, 'src', 'box.ts')).href;
    await server.open(uri, 'class Box {\n  get\n}\n');
    const list = await server.completion(uri, { line: 1, character: 5 });
    expect(list.items[0]?.textEdit).toMatchObject({ newText: 'getWidth(): number {' });
    while (!existsSync(audit) || readFileSync(audit, 'utf8') === '') await new Promise((r) => setTimeout(r, 10));
    const loaded = await loadedBuiltins(server);
    expect(loaded.filter((name) => LOADED_BY_A_COMPLETION.includes(name)).sort()).toEqual(
      [...LOADED_BY_A_COMPLETION].sort(),
    );
  });
});
