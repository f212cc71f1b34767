/**
 * A raw JSON-RPC peer over the server's stdio, for messages a real client library would never
 * send: broken framing, bodies that are not JSON, messages that are not JSON-RPC. It reads every
 * frame the server writes, responses with a null id included.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, ROOT } from '../../helpers/lsp-client.ts';

export interface RawMessage {
  id?: string | number | null;
  method?: string;
  result?: unknown;
  error?: { code: number; message: string };
  params?: unknown;
}

export class RawPeer {
  readonly child: ChildProcess;
  readonly received: RawMessage[] = [];
  stderr = '';
  private buffer = Buffer.alloc(0);

  constructor(env: Record<string, string>) {
    const home = mkdtempSync(join(tmpdir(), 'ghostline-home-'));
    this.child = spawn(process.execPath, [BIN, '--stdio'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: home,
        XDG_CONFIG_HOME: join(home, '.config'),
        GHOSTLINE_LOG_LEVEL: 'debug',
        ...env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stderr!.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString('utf8');
    });
    this.child.stdout!.on('data', (chunk: Buffer) => this.read(chunk));
  }

  private read(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, end).toString('ascii'))![1]);
      if (this.buffer.length < end + 4 + length) return;
      this.received.push(JSON.parse(this.buffer.subarray(end + 4, end + 4 + length).toString('utf8')) as RawMessage);
      this.buffer = this.buffer.subarray(end + 4 + length);
    }
  }

  /** Writes bytes as they are: a whole frame, a broken one, or anything else. */
  write(bytes: string): void {
    this.child.stdin!.write(bytes);
  }

  /** A correctly framed message. */
  send(message: unknown): void {
    const body = typeof message === 'string' ? message : JSON.stringify(message);
    this.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  }

  /** Waits for a message the predicate accepts (responses and server requests alike). */
  async waitFor(predicate: (message: RawMessage) => boolean, what: string, timeoutMs = 30_000): Promise<RawMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.find(predicate);
      if (found) return found;
      if (Date.now() > deadline)
        throw new Error(`no ${what}; received ${JSON.stringify(this.received)}\n${this.stderr.slice(-3000)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  response(id: string | number | null, what = `the response to ${String(id)}`): Promise<RawMessage> {
    return this.waitFor((m) => m.id === id && m.method === undefined, what);
  }

  async initialize(): Promise<void> {
    this.send({
      jsonrpc: '2.0',
      id: 'init',
      method: 'initialize',
      params: { processId: null, rootUri: null, capabilities: {} },
    });
    await this.response('init');
    this.send({ jsonrpc: '2.0', method: 'initialized', params: {} });
  }

  kill(): void {
    this.child.kill('SIGKILL');
  }
}
