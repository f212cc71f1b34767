/**
 * Repository guidance end to end: the AGENTS.md files from the workspace root down to the file's
 * folder reach code-action prompts as project instructions (nearest last), redacted like the rest
 * of the prompt, within the token budget; completion prompts never carry them.
 */
import { rmSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CodeAction } from 'vscode-languageserver-protocol';
import { startFakeOpenAI, type FakeOpenAI } from '../../fake-openai/server.ts';
import { TestClient } from '../../helpers/lsp-client.ts';
import { Editor, RESOLVE_CAPABILITIES } from '../actions/editor.ts';
import { positionAt, serverEnv, uriOf, workspace } from './setup.ts';

const DEPLOY_TOKEN = 'glpat-' + 'Xq8Lm2Vt9Rk4Bn7Wd1Pz';
const SOURCE = 'export function total(items: number[]) {\n  return items.reduce((a, b) => a + b, 0);\n}\n';
const FILES = {
  'AGENTS.md': `# Team rules\nUse tabs. Never add dependencies.\nCI token for reference: ${DEPLOY_TOKEN}\n`,
  'packages/api/AGENTS.md': '# API package\nErrors are values, never thrown.\n',
  'packages/api/src/total.ts': SOURCE,
  'packages/web/AGENTS.md': '# Web package\nUse React.\n',
};

let fake: FakeOpenAI;
let root: string;
let client: TestClient | undefined;

beforeAll(async () => {
  fake = await startFakeOpenAI({ responder: () => ({ kind: 'text', text: 'Adds the numbers.' }) });
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

async function start(extra: Record<string, string> = {}): Promise<Editor> {
  client = TestClient.start({ env: serverEnv(fake, extra) });
  await client.initialize({ rootUri: pathToFileURL(root).href, capabilities: RESOLVE_CAPABILITIES });
  return new Editor(client);
}

async function explain(editor: Editor, uri: string): Promise<void> {
  const action = (
    await editor.codeActions(uri, { start: { line: 0, character: 0 }, end: { line: 2, character: 1 } })
  ).find((a) => /Explain/.test(a.title)) as CodeAction;
  await editor.execute(action.command!);
}

describe('repository guidance', () => {
  it('gives code actions the AGENTS.md files from the root to the file, nearest last, redacted', async () => {
    const editor = await start();
    const uri = uriOf(root, 'packages/api/src/total.ts');
    await editor.open(uri, SOURCE);
    await explain(editor, uri);
    const instructions: string = fake.requests[0]!.body.instructions;
    const team = instructions.indexOf('<guidance source="AGENTS.md">');
    const api = instructions.indexOf('<guidance source="packages/api/AGENTS.md">');
    expect(team).toBeGreaterThan(0);
    expect(api).toBeGreaterThan(team);
    expect(instructions).toContain('Errors are values, never thrown.');
    expect(instructions).not.toContain('Use React.');
    expect(instructions).not.toContain(DEPLOY_TOKEN);
    expect(instructions).toContain('«secret:gitlab-token:1»');

    // Completion prompts stay byte-stable and small: no guidance.
    await client!.completion(uri, positionAt(SOURCE, SOURCE.indexOf('0)') + 1));
    const completion = fake.requests.at(-1)!.body;
    expect(completion.instructions).not.toContain('guidance');
    expect(completion.input).not.toContain('Errors are values');
  });

  it('keeps only the nearest file within a small budget, and none with a budget of 0', async () => {
    let editor = await start({ GHOSTLINE_SAFETY__GUIDANCE_MAX_TOKENS: '70' });
    const uri = uriOf(root, 'packages/api/src/total.ts');
    await editor.open(uri, SOURCE);
    await explain(editor, uri);
    const small: string = fake.requests[0]!.body.instructions;
    expect(small).toContain('packages/api/AGENTS.md');
    expect(small).not.toContain('Team rules');
    await client!.shutdown();
    fake.reset();

    editor = await start({ GHOSTLINE_SAFETY__GUIDANCE_MAX_TOKENS: '0' });
    await editor.open(uri, SOURCE);
    await explain(editor, uri);
    expect(fake.requests[0]!.body.instructions).not.toContain('AGENTS.md');
  });
});
