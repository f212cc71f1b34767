/**
 * The fake server as a separate process: it prints its URL as one JSON line, answers the real SDK
 * with the configured text or a responder module, and exits on SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');
const nodeBin = join(root, 'node_modules/.bin/node');
const cli = join(root, 'test/fake-openai/cli.ts');
const children: ChildProcess[] = [];

async function startCli(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(nodeBin, [cli, '--port', '0', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const lines = createInterface({ input: child.stdout! });
  const [line] = (await once(lines, 'line')) as [string];
  lines.close();
  const { url } = JSON.parse(line) as { url: string };
  return { child, url };
}

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

describe('fake-openai CLI', () => {
  it('serves the --text answer and exits 0 on SIGTERM', async () => {
    const { child, url } = await startCli(['--text', 'from the cli', '--latency', '5,1000,2']);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    const client = new OpenAI({ apiKey: 'test', baseURL: url, maxRetries: 0 });
    const response = await client.responses.create({ model: 'gpt-4.1-mini', input: 'x' });
    expect(response.output_text).toBe('from the cli');

    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code] = (await exited) as [number | null];
    expect(code).toBe(0);
  });

  it('loads a responder module given by --responder', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fake-openai-'));
    try {
      const modulePath = join(dir, 'responder.ts');
      await writeFile(
        modulePath,
        "export default (req: { body: { model: string } }) => ({ kind: 'text', text: `model=${req.body.model}` });\n",
      );
      const { url } = await startCli(['--responder', modulePath]);
      const client = new OpenAI({ apiKey: 'test', baseURL: url, maxRetries: 0 });
      const completion = await client.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'x' }],
      });
      expect(completion.choices[0]?.message.content).toBe('model=gpt-4o-mini');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
