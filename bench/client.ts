/**
 * The benchmark's editor side: spawns the built server (`bin/ghostline.js --stdio`) with the Node
 * that runs the benchmark, speaks LSP to it with vscode-languageserver-protocol, and reads the
 * server process's memory from /proc.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ClientCapabilities,
  type InitializeResult,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { ROOT } from './corpus.ts';

export const BIN = join(ROOT, 'bin', 'ghostline.js');

/** What each editor pattern declares; inline completion only for the VS Code pattern. */
export function capabilities(inline: boolean): ClientCapabilities {
  return {
    general: { positionEncodings: ['utf-16'] },
    textDocument: {
      synchronization: { dynamicRegistration: false },
      completion: { completionItem: { snippetSupport: false }, contextSupport: true },
      ...(inline ? { inlineCompletion: { dynamicRegistration: false } } : {}),
    },
    workspace: { configuration: true },
  };
}

export interface ServerMemory {
  /** Resident set size now and its peak (VmHWM), in bytes. */
  rss: number;
  peak: number;
}

export class BenchClient {
  readonly child: ChildProcess;
  readonly connection: ProtocolConnection;
  private readonly home: string;
  private readonly exited: Promise<void>;
  /** The last few kilobytes the server wrote to stderr, for error messages. */
  stderrTail = '';
  /** Why the server stopped on its own, if it did. */
  died: string | undefined;
  private stopping = false;

  private constructor(child: ChildProcess, home: string) {
    this.child = child;
    this.home = home;
    this.connection = createProtocolConnection(
      new StreamMessageReader(child.stdout!),
      new StreamMessageWriter(child.stdin!),
    );
    child.stderr!.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-4000);
    });
    this.exited = new Promise((resolve) => child.on('exit', () => resolve()));
    // A server that dies must fail the benchmark, not leave it waiting for answers forever.
    child.on('exit', (code, signal) => {
      if (this.stopping) return;
      this.died = `ghostline exited (code ${code}, signal ${signal})\n${this.stderrTail}`;
      this.connection.dispose();
    });
    this.connection.onRequest('workspace/configuration', (params: { items: unknown[] }) =>
      params.items.map(() => ({})),
    );
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    this.connection.onNotification('window/showMessage', () => undefined);
    this.connection.listen();
  }

  /**
   * Spawns the server with a clean HOME (no user config) and the given settings as environment;
   * `args` runs another server script with the same Node (the start-up reference).
   */
  static start(env: Record<string, string>, args: readonly string[] = [BIN, '--stdio']): BenchClient {
    const home = mkdtempSync(join(tmpdir(), 'ghostline-bench-'));
    const child = spawn(process.execPath, [...args], {
      cwd: home,
      env: { PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), ...v8Flags(), ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    return new BenchClient(child, home);
  }

  get pid(): number {
    return this.child.pid!;
  }

  /**
   * Spawns and initializes a server, once more if the first dies while starting (other work may be
   * rebuilding dist/ at that moment).
   */
  static async started(
    env: Record<string, string>,
    inline: boolean,
    name: string,
    rootUri: string | null = null,
    args?: readonly string[],
  ): Promise<{ client: BenchClient; init: InitializeResult }> {
    for (let attempt = 1; ; attempt++) {
      const client = BenchClient.start(env, args);
      try {
        return { client, init: await client.initialize(inline, name, rootUri) };
      } catch (error) {
        await client.shutdown();
        if (attempt >= 2) throw new Error(`ghostline did not start: ${client.died ?? String(error)}`);
        await new Promise((resolve) => setTimeout(resolve, 2000));
      }
    }
  }

  async initialize(inline: boolean, name: string, rootUri: string | null = null): Promise<InitializeResult> {
    const result = await this.connection.sendRequest<InitializeResult>('initialize', {
      processId: process.pid,
      rootUri,
      capabilities: capabilities(inline),
      clientInfo: { name },
    });
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  stats(): Promise<Record<string, number>> {
    return this.connection.sendRequest('workspace/executeCommand', { command: 'ghostline.stats', arguments: [] });
  }

  memory(): ServerMemory {
    return readMemory(this.pid);
  }

  async shutdown(): Promise<void> {
    this.stopping = true;
    if (this.died !== undefined) {
      rmSync(this.home, { recursive: true, force: true });
      return;
    }
    try {
      await Promise.race([
        this.connection.sendRequest('shutdown'),
        new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 5000)),
      ]);
      await this.connection.sendNotification('exit');
    } catch {
      this.child.kill('SIGKILL');
    }
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await this.exited;
    clearTimeout(timer);
    this.connection.dispose();
    rmSync(this.home, { recursive: true, force: true });
  }
}

/**
 * GHOSTLINE_V8_FLAGS and MALLOC_ARENA_MAX of the benchmark's own environment reach the servers it
 * starts (A/B of the launcher's V8 flags and malloc arenas), and so does NODE_OPTIONS (e.g. a
 * `--require` preload that writes heap snapshots; the launcher keeps it).
 */
function v8Flags(): Record<string, string> {
  const passed: Record<string, string> = {};
  for (const name of ['GHOSTLINE_V8_FLAGS', 'MALLOC_ARENA_MAX', 'NODE_OPTIONS']) {
    const value = process.env[name];
    if (value !== undefined) passed[name] = value;
  }
  return passed;
}

/** VmRSS and VmHWM of a process, from /proc/PID/status (Linux). */
export function readMemory(pid: number): ServerMemory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { rss: field('VmRSS'), peak: field('VmHWM') };
}
