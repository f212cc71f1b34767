/**
 * The launcher with the transports editors choose: over Node's IPC channel (`--node-ipc`, what a
 * VS Code client gets with TransportKind.ipc) the server must answer on that channel, which the
 * launcher's own process opened (it cannot restart itself with V8 flags there); over stdio it
 * runs with the V8 flags of bin/v8-flags.js.
 */
import { type ChildProcess, execFileSync, fork, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MALLOC_ARENA_MAX, V8_FLAGS } from '../../../bin/v8-flags.js';
import { BIN, SERVER_NODE } from '../../helpers/lsp-client.ts';

const env = () => {
  const home = mkdtempSync(join(tmpdir(), 'ghostline-transport-'));
  return { PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), OPENAI_API_KEY: 'sk-test' };
};

/** Starts the stdio server and sends `initialize`: its first answer bytes mean it is up, in its final process image. */
async function startedStdio(environment: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const child = spawn(SERVER_NODE, [BIN, '--stdio'], { env: environment, stdio: ['pipe', 'pipe', 'ignore'] });
  const first = new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
  const body = JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { processId: null, rootUri: null, capabilities: {} },
  });
  child.stdin!.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  await first;
  return child;
}

const YOUNG_GENERATION_PROBE = join(import.meta.dirname, '..', '..', 'fixtures', 'young-generation-probe.cjs');

/** Starts the server over --node-ipc, where the launcher cannot restart itself with V8 flags. */
function forkedIpc(environment: NodeJS.ProcessEnv): ChildProcess {
  return fork(BIN, ['--node-ipc'], {
    execPath: SERVER_NODE,
    env: environment,
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
}

/** The young generation's capacity (bytes) after the probe's allocation burst in a server over --node-ipc. */
async function youngGenerationAfterBurst(extra: NodeJS.ProcessEnv): Promise<number> {
  const environment = env();
  const probeFile = join(environment.HOME!, 'young-generation');
  const child = forkedIpc({
    ...environment,
    ...extra,
    NODE_OPTIONS: `--require ${YOUNG_GENERATION_PROBE}`,
    GHOSTLINE_TEST_PROBE_FILE: probeFile,
  });
  try {
    await new Promise<void>((resolve, reject) => {
      child.on('message', () => resolve());
      child.on('exit', (code) => reject(new Error(`exited with ${code} before answering`)));
      child.send({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { processId: null, rootUri: null, capabilities: {} },
      });
    });
    child.kill('SIGUSR2');
    await expect
      .poll(() => existsSync(probeFile) && readFileSync(probeFile, 'utf8') !== '', { timeout: 15_000 })
      .toBe(true);
    return Number(readFileSync(probeFile, 'utf8'));
  } finally {
    child.kill();
  }
}

describe('the launcher', () => {
  it('answers initialize over --node-ipc', async () => {
    const child = forkedIpc(env());
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    try {
      const answer = await new Promise<{ id?: number; result?: { capabilities?: Record<string, unknown> } }>(
        (resolve, reject) => {
          child.on('message', (message) => resolve(message as never));
          child.on('exit', (code) => reject(new Error(`exited with ${code} before answering: ${stderr}`)));
          child.send({
            jsonrpc: '2.0',
            id: 1,
            method: 'initialize',
            params: { processId: null, rootUri: null, capabilities: {} },
          });
        },
      );
      expect(answer.id).toBe(1);
      expect(answer.result?.capabilities).toHaveProperty('completionProvider');
    } finally {
      child.kill();
    }
  });

  it('runs the stdio server with its V8 flags and malloc arenas where Node can restart itself with them', async () => {
    const child = await startedStdio(env());
    try {
      const argv = readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0');
      const canRestart =
        execFileSync(SERVER_NODE, ['-p', "typeof process.execve === 'function' && process.platform !== 'win32'"], {
          encoding: 'utf8',
        }).trim() === 'true';
      const environment = readFileSync(`/proc/${child.pid}/environ`, 'utf8').split('\0');
      if (canRestart) {
        expect(argv).toEqual(expect.arrayContaining(V8_FLAGS));
        expect(environment).toContain(`MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX}`);
      } else expect(argv).toContain(BIN);
    } finally {
      child.kill();
    }
  });

  it('keeps a MALLOC_ARENA_MAX the environment sets', async () => {
    const child = await startedStdio({ ...env(), MALLOC_ARENA_MAX: '4' });
    try {
      const environment = readFileSync(`/proc/${child.pid}/environ`, 'utf8').split('\0');
      expect(environment).toContain('MALLOC_ARENA_MAX=4');
      expect(environment).not.toContain(`MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX}`);
    } finally {
      child.kill();
    }
  });

  it('caps the young generation in a process it could not restart with its V8 flags', async () => {
    // Over --node-ipc the launcher keeps its own process; GHOSTLINE_V8_FLAGS='' turns every flag off,
    // the control that shows the probe's burst does grow an uncapped young generation.
    const capped = await youngGenerationAfterBurst({});
    const uncapped = await youngGenerationAfterBurst({ GHOSTLINE_V8_FLAGS: '' });
    expect(capped).toBeLessThanOrEqual(2 * 1024 * 1024);
    expect(uncapped).toBeGreaterThan(2 * 1024 * 1024);
  });
});
