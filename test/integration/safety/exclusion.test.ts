/**
 * Content exclusion end to end over stdio: `.env`, a private SSH key and a path the team lists in
 * `.ghostlineignore` never produce a model request — not for completion, inline completion or a
 * code action — and the user is told once, with the rule, why no suggestion comes.
 */
import { rmSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CodeAction, Command } from 'vscode-languageserver-protocol';
import { startFakeOpenAI, type FakeOpenAI } from '../../fake-openai/server.ts';
import { TestClient } from '../../helpers/lsp-client.ts';
import { Editor, RESOLVE_CAPABILITIES } from '../actions/editor.ts';
import { positionAt, serverEnv, startServer, uriOf, workspace } from './setup.ts';

const FILES: Record<string, string> = {
  '.env': 'DATABASE_URL=postgres://app:Zq81mVt3Lp@db:5432/app\nLOG_LEVEL=',
  '.ssh/id_rsa':
    '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n',
  'internal/pricing.ts': 'export const MARGIN = 0.42;\nexport function price(cost: number) {\n  return ',
  'src/app.ts': 'export function add(a: number, b: number) {\n  return ',
  '.ghostlineignore': '# kept out of prompts by the team\ninternal/\n',
};

let fake: FakeOpenAI;
let client: TestClient | undefined;
let root: string;

beforeAll(async () => {
  fake = await startFakeOpenAI({ responder: () => ({ kind: 'text', text: 'a + b;' }) });
  root = workspace(FILES);
});
afterAll(async () => {
  await fake.close();
  rmSync(root, { recursive: true, force: true });
});
afterEach(async () => {
  await client?.shutdown();
  client = undefined;
  fake.reset();
});

/** Opens the file and asks for suggestions three times, twice as completion and once inline. */
async function ask(c: TestClient, name: string): Promise<number> {
  const text = FILES[name]!;
  const uri = uriOf(root, name);
  await c.open(uri, text, name.endsWith('.ts') ? 'typescript' : 'plaintext');
  const at = positionAt(text, text.length);
  const first = await c.completion(uri, at);
  const second = await c.completion(uri, at, { triggerKind: 2 });
  const inline = await c.inline(uri, at);
  return first.items.length + second.items.length + (inline?.items.length ?? 0);
}

describe('excluded files', () => {
  it('never reach the model server, and the user hears why once per file', async () => {
    client = await startServer(fake, root);
    for (const name of ['.env', '.ssh/id_rsa', 'internal/pricing.ts']) expect(await ask(client, name)).toBe(0);
    expect(fake.requests).toHaveLength(0);
    // Each message is sent before the answer to the request that caused it, so all are here.
    const told = client.messages.filter((m) => /no AI suggestions/.test(m.message));
    expect(told.map((m) => m.message)).toEqual([
      expect.stringMatching(
        /^ghostline: no AI suggestions for \.env: files matching "default: \.env" never leave this machine/,
      ),
      expect.stringMatching(/^ghostline: no AI suggestions for \.ssh\/id_rsa: files matching "default: id_rsa\*"/),
      expect.stringMatching(
        /^ghostline: no AI suggestions for internal\/pricing\.ts: files matching "\.ghostlineignore:2: internal\/"/,
      ),
    ]);
    expect(told.every((m) => m.type === 3)).toBe(true);
  });

  it('follow safety.exclude from the settings, while other files are still served', async () => {
    client = await startServer(fake, root, { GHOSTLINE_SAFETY__EXCLUDE: '["src/app.ts"]' });
    expect(await ask(client, 'src/app.ts')).toBe(0);
    expect(fake.requests).toHaveLength(0);
    await client.shutdown();

    client = await startServer(fake, root);
    expect(await ask(client, 'src/app.ts')).toBeGreaterThan(0);
    expect(fake.requests.length).toBeGreaterThan(0);
  });

  it('get no code action model call either', async () => {
    const c = TestClient.start({ env: serverEnv(fake) });
    client = c;
    await c.initialize({ rootUri: pathToFileURL(root).href, capabilities: RESOLVE_CAPABILITIES });
    const editor = new Editor(c);
    const uri = uriOf(root, 'internal/pricing.ts');
    await editor.open(uri, FILES['internal/pricing.ts']!);
    const actions = await editor.codeActions(uri, { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } });
    const explain = actions.find((a) => /Explain/.test(a.title)) as CodeAction | Command;
    const command =
      'command' in explain && typeof explain.command === 'object' ? explain.command : (explain as Command);
    await editor.execute(command);
    await editor.until(() => c.messages.some((m) => /excluded from prompts/.test(m.message)), 'the refusal message');
    expect(fake.requests).toHaveLength(0);
  });
});
