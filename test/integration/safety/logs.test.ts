/**
 * The API key appears in no log at any level: the server runs at `trace`, once with `--log-file`
 * and once logging to stderr, through successful calls, a code action, a rejected key whose error
 * message echoes it and a bad setting; the log file, stderr, every message shown to the user and
 * the audit file are searched for the key (two shapes: an OpenAI key and one of no known shape)
 * and for source text.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CodeAction } from 'vscode-languageserver-protocol';
import { startFakeOpenAI, type FakeOpenAI } from '../../fake-openai/server.ts';
import { TestClient } from '../../helpers/lsp-client.ts';
import { Editor, RESOLVE_CAPABILITIES } from '../actions/editor.ts';
import { API_KEY, PLAIN_KEY, positionAt, uriOf, workspace } from './setup.ts';

const SOURCE = 'export function reconcileLedgerEntries(entries: Entry[]) {\n  const unmatchedBalance = ';

let fake: FakeOpenAI;
let root: string;
let dir: string;
let client: TestClient | undefined;

beforeAll(async () => {
  fake = await startFakeOpenAI();
  root = workspace({ 'src/ledger.ts': SOURCE });
  dir = mkdtempSync(path.join(tmpdir(), 'ghostline-logs-'));
});
afterAll(async () => {
  await fake.close();
  rmSync(root, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await client?.shutdown();
  client = undefined;
  fake.reset();
});

/** Drives a session that gives the key every chance to be logged; returns what the user saw and stderr. */
async function session(key: string, args: string[], audit: string): Promise<{ shown: string; stderr: string }> {
  const c = TestClient.start({
    args,
    env: {
      OPENAI_API_KEY: key,
      OPENAI_BASE_URL: fake.url,
      GHOSTLINE_LOG_LEVEL: 'trace',
      GHOSTLINE_SAFETY__AUDIT__FILE: audit,
      GHOSTLINE_COMPLETION__DEBOUNCE_MS: '0',
    },
  });
  client = c;
  // A bad setting next to the key: the problem is reported, the key must not be.
  await c.initialize({
    rootUri: pathToFileURL(root).href,
    capabilities: RESOLVE_CAPABILITIES,
    initializationOptions: { completion: { debounceMs: 'soon' }, providers: { openai: { apiKey: key, timeout: 5 } } },
  });
  const editor = new Editor(c);
  const uri = uriOf(root, 'src/ledger.ts');
  const at = positionAt(SOURCE, SOURCE.length);
  fake.setResponder(() => ({ kind: 'text', text: 'entries.reduce((sum, e) => sum + e.amount, 0);' }));
  await editor.open(uri, SOURCE);
  expect((await c.completion(uri, at)).items).toHaveLength(1);
  await c.inline(uri, at);
  const explain = (
    await editor.codeActions(uri, { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } })
  ).find((a) => /Explain/.test(a.title)) as CodeAction;
  await editor.execute(explain.command!);
  // A proxy that rejects the key and echoes it whole in its error message.
  fake.setResponder(() => ({
    kind: 'error',
    status: 401,
    code: 'invalid_api_key',
    message: `Incorrect API key provided: ${key}. You can find your API key at https://example.com.`,
  }));
  await editor.type(uri, { start: at, end: at }, '0');
  const typed = `${SOURCE}0`;
  expect((await c.completion(uri, positionAt(typed, typed.length))).items).toHaveLength(0);
  const again = (
    await editor.codeActions(uri, { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } })
  ).find((a) => /Explain/.test(a.title)) as CodeAction;
  await editor.execute(again.command!);
  expect(fake.requests.length).toBeGreaterThanOrEqual(4);
  expect(fake.requests.every((request) => request.headers.authorization === `Bearer ${key}`)).toBe(true);
  const shown = c.messages.map((m) => m.message).join('\n');
  expect(shown).toMatch(/rejected the credentials/);
  expect(shown).toMatch(/debounceMs/);
  const stderrClosed = new Promise<void>((resolve) =>
    c.child.stderr!.closed ? resolve() : c.child.stderr!.once('close', () => resolve()),
  );
  await c.shutdown();
  client = undefined;
  await stderrClosed;
  fake.reset();
  return { shown, stderr: c.stderr };
}

describe('the API key in logs', () => {
  it.each([
    ['an OpenAI-shaped key', API_KEY],
    ['a key of no known shape', PLAIN_KEY],
  ])(
    'appears in no log at trace level, in the file or on stderr, nor in messages or the audit file (%s)',
    async (_label, key) => {
      const logFile = path.join(dir, `${key.slice(0, 5)}.log`);
      const audit = path.join(dir, `${key.slice(0, 5)}.jsonl`);
      const withFile = await session(key, ['--log-file', logFile], audit);
      const onStderr = await session(key, [], audit);
      const fileLog = readFileSync(logFile, 'utf8');
      const auditText = readFileSync(audit, 'utf8');
      expect(fileLog).toMatch(/"level":20/);
      expect(fileLog).toMatch(/"kind":"auth"/);
      expect(onStderr.stderr).toMatch(/"level":20/);
      expect(onStderr.stderr).toMatch(/"kind":"auth"/);
      expect(auditText).toMatch(/"outcome":"error:auth"/);
      const searched = {
        fileLog,
        stderr: onStderr.stderr,
        fileRunStderr: withFile.stderr,
        auditText,
        shown: withFile.shown + onStderr.shown,
      };
      for (const [name, text] of Object.entries(searched)) {
        expect(text, name).not.toContain(key);
        expect(text, name).not.toContain('reconcileLedgerEntries');
        expect(text, name).not.toContain('unmatchedBalance');
      }
    },
  );
});
