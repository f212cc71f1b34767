/**
 * The self-contained executable (`npm run build:binary`) with no Node anywhere on PATH: it answers
 * --version and doctor, serves completion over stdio, and finds its embedded tree-sitter grammars
 * and o200k vocabulary (a refactor at a cursor needs the grammar to find the enclosing function).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBinary } from '../../scripts/build-binary.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../fake-openai/server.ts';
import { RESOLVE_CAPABILITIES, Editor, find } from '../integration/actions/editor.ts';

const run = promisify(execFile);
const NO_NODE = '/nonexistent';
let binary: string;
let fake: FakeOpenAI;
let home: string;

async function ghostline(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(binary, args, { cwd: home, env: { PATH: NO_NODE, HOME: home, ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  binary = await buildBinary();
  fake = await startFakeOpenAI();
  home = mkdtempSync(join(tmpdir(), 'ghostline-binary-'));
}, 300_000);
afterAll(async () => {
  await fake?.close();
});

describe('the self-contained executable, with no Node on PATH', () => {
  it('prints its version', async () => {
    const result = await ghostline(['--version']);
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    // Nothing else: a code cache made under other V8 flags than the executable's makes Node warn here.
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('runs doctor against the model endpoint', async () => {
    const result = await ghostline(['doctor'], { OPENAI_API_KEY: 'sk-binary-test-1234', OPENAI_BASE_URL: fake.url });
    expect(result.stdout).toMatch(/✓ Node\.js \d+\.\d+\.\d+ \(built into this executable\)/);
    expect(result.stdout).toMatch(/✓ model endpoint .* answers/);
    expect(result.code).toBe(0);
  });

  it('serves completion and a refactor that needs its embedded grammar over stdio', async () => {
    const env = { PATH: NO_NODE, OPENAI_API_KEY: 'sk-binary-test-1234', OPENAI_BASE_URL: fake.url };
    const editor = await Editor.start(env, RESOLVE_CAPABILITIES, undefined, [binary]);
    try {
      const uri = 'file:///work/demo/total.ts';
      const source = [
        '// Sums prices.',
        'export function total(items: { price: number }[]): number {',
        '  let sum = 0;',
        '  for (const item of items) sum += item.price;',
        '  return sum;',
        '}',
        '',
      ].join('\n');
      await editor.open(uri, source);
      await editor.open('file:///work/demo/answer.ts', 'const answer = \n');
      fake.setResponder(() => ({ kind: 'text', text: '42;' }));
      const list = await editor.client.completion('file:///work/demo/answer.ts', { line: 0, character: 15 });
      expect(list.items[0]?.textEdit?.newText).toBe('42;');
      fake.reset();
      fake.setResponder(() => ({ kind: 'text', text: source.split('\n').slice(1, 6).join('\n') }));
      const cursor = { start: { line: 3, character: 10 }, end: { line: 3, character: 10 } };
      await editor.resolve(find(await editor.codeActions(uri, cursor), /^ghostline: Refactor$/));
      // Only the grammar knows where the enclosing function starts and ends.
      expect(fake.requests[0]!.body.input).toContain(
        `<region>\n${source.split('\n').slice(1, 6).join('\n')}\n</region>`,
      );
    } finally {
      await editor.client.shutdown();
    }
  });
});
