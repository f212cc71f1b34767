/**
 * The shell commands a newcomer runs first: --version, --help, doctor and complete, as real child
 * processes against the fake OpenAI server.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCompletionInput } from '../../../server/src/context/prompt.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../../fake-openai/server.ts';
import { BIN, SERVER_NODE } from '../../helpers/lsp-client.ts';

const run = promisify(execFile);
let fake: FakeOpenAI;
let work: string;

async function ghostline(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(SERVER_NODE, [BIN, ...args], {
      cwd: work,
      env: { PATH: process.env.PATH, HOME: work, XDG_CONFIG_HOME: join(work, 'cfg'), ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  fake = await startFakeOpenAI();
  work = mkdtempSync(join(tmpdir(), 'ghostline-cli-'));
});
afterAll(async () => {
  await fake.close();
});

describe('ghostline CLI', () => {
  it('prints its version and help', async () => {
    expect((await ghostline(['--version'])).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const help = await ghostline(['--help']);
    expect(help.stdout).toContain('ghostline --stdio');
    expect(help.stdout).toContain('ghostline complete FILE:LINE:COL');
  });

  it('complete prints one suggestion through the whole pipeline', async () => {
    fake.setResponder(() => ({ kind: 'text', text: '```python\nreturn a * b\n```' }));
    const file = join(work, 'mul.py');
    writeFileSync(file, 'def mul(a, b):\n    \n');
    const result = await ghostline(['complete', `${file}:2:5`], {
      OPENAI_API_KEY: 'sk-cli-test',
      OPENAI_BASE_URL: fake.url,
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('return a * b\n');
    const prompt = parseCompletionInput(fake.requests.at(-1)!.body.input);
    expect(prompt).toMatchObject({ languageId: 'python', prefix: 'def mul(a, b):\n    ' });
  });

  it('complete explains bad targets and a missing key', async () => {
    expect((await ghostline(['complete', 'nofile'])).stderr).toMatch(/expected FILE:LINE:COL/);
    expect((await ghostline(['complete', join(work, 'missing.ts:1:1')])).stderr).toMatch(/cannot read/);
    const file = join(work, 'a.ts');
    writeFileSync(file, 'x\n');
    const noKey = await ghostline(['complete', `${file}:1:2`]);
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toMatch(/no API key/);
  });

  it('doctor says exactly what is missing, and passes when the endpoint answers', async () => {
    const missing = await ghostline(['doctor']);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toMatch(/✗ no API key: export OPENAI_API_KEY/);
    const ok = await ghostline(['doctor'], { OPENAI_API_KEY: 'sk-doctor-test-1234', OPENAI_BASE_URL: fake.url });
    expect(ok.stdout).toMatch(/✓ API key set \(sk-…1234\)/);
    expect(ok.stdout).toMatch(/✓ model endpoint .* answers/);
    expect(ok.stdout).toMatch(/✓ completion: gpt-4.1-mini/);
    expect(ok.stdout).not.toContain('sk-doctor-test-1234');
    expect(ok.code).toBe(0);
  });

  it('doctor reports an invalid team file and an unreachable Redis', async () => {
    writeFileSync(join(work, '.ghostline.json'), '{"completion": {"maxLines": 0}}');
    const result = await ghostline(['doctor'], {
      OPENAI_API_KEY: 'sk-x',
      OPENAI_BASE_URL: fake.url,
      REDIS_URL: 'redis://127.0.0.1:1',
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/completion\.maxLines = 0/);
    expect(result.stdout).toMatch(/✗ Redis .* unreachable/);
  });
});
