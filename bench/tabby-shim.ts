/**
 * A stand-in for a Tabby server whose completion is backed by a chat model, so the bench can type
 * against Tabby's own agent (`tabby-agent --lsp --stdio`, the npm package) on the same keys as
 * ghostline and the plain pipeline. A modelled setup: a real Tabby server completes with a
 * fill-in-the-middle model and its own server-side post-processing; this one turns each
 * `/v1/completions` request into one chat-completions call to the bench's fake model, in the prompt
 * format the plain pipeline uses (bench/plain-server.ts), and returns the model's raw text as the
 * choice, so fenced or echoed answers reach the agent as they would from a chat-backed server.
 * The rest is what tabby-agent 1.5.0 asks of a server: `/v1/health`, `/v1beta/server_setting`
 * (telemetry off) and `/v1/events`. A closed agent request aborts the model call.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { text as readBody } from 'node:stream/consumers';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import OpenAI from 'openai';
import { completionPrompt } from '../server/src/context/prompt.ts';

/** The agent's script (`tabby-agent` bin), or undefined when the package is not installed. */
export function tabbyAgentScript(): string | undefined {
  try {
    return join(dirname(createRequire(import.meta.url).resolve('tabby-agent/package.json')), 'dist', 'cli.js');
  } catch {
    return undefined;
  }
}

/** The model the shim asks: the one ghostline and the plain pipeline route completion requests to. */
export const TABBY_MODEL = 'gpt-4.1-mini';
/** Tabby's default `max_decoding_tokens` for a completion, the plain pipeline's `max_tokens` too. */
const MAX_TOKENS = 64;

export interface TabbyShim {
  /** The server endpoint to give the agent (no trailing slash). */
  url: string;
  /** `/v1/completions` requests that became a model call, and those the agent hung up on first. */
  stats(): { modelCalls: number; modelCallsAborted: number };
  close(): Promise<void>;
}

/** The body of a Tabby `/v1/completions` request (the fields tabby-agent 1.5.0 sends). */
interface TabbyCompletionRequest {
  language?: string;
  segments?: { prefix?: string; suffix?: string; filepath?: string };
}

/**
 * The prompt of one Tabby request: the file the agent sent (its 20 lines each side of the cursor),
 * multi-line where the rest of the cursor's line holds only closing brackets or quotes (the agent's
 * "default" mode, whose post-processing expects and cuts multi-line answers), else single-line (its
 * "fill-in-line" mode).
 */
export function tabbyPrompt(body: TabbyCompletionRequest) {
  const prefix = body.segments?.prefix ?? '';
  const suffix = body.segments?.suffix ?? '';
  const restOfLine = suffix.split('\n', 1)[0]!;
  return completionPrompt({
    path: body.segments?.filepath ?? '',
    languageId: body.language ?? '',
    prefix,
    suffix,
    multiline: /^([)\]}>"'`]|\/>)*$/.test(restOfLine.trimEnd()),
  });
}

export async function startTabbyShim(options: { modelUrl: string }): Promise<TabbyShim> {
  const openai = new OpenAI({ apiKey: 'sk-bench-0000', baseURL: options.modelUrl, maxRetries: 0 });
  let calls = 0;
  let aborted = 0;
  let ids = 0;

  const json = (res: ServerResponse, status: number, value: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(value));
  };

  async function complete(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body: TabbyCompletionRequest;
    try {
      body = JSON.parse(await readBody(req)) as TabbyCompletionRequest;
    } catch {
      json(res, 400, { error: 'invalid JSON' });
      return;
    }
    const prompt = tabbyPrompt(body);
    const controller = new AbortController();
    // The agent aborts its previous request when a new one comes, and on its own timeout.
    res.on('close', () => {
      if (!res.writableFinished) controller.abort();
    });
    calls++;
    let text = '';
    try {
      const answer = await openai.chat.completions.create(
        {
          model: TABBY_MODEL,
          messages: [
            { role: 'system', content: prompt.instructions },
            { role: 'user', content: prompt.input },
          ],
          max_tokens: MAX_TOKENS,
        },
        { signal: controller.signal },
      );
      text = answer.choices[0]?.message.content ?? '';
    } catch {
      if (controller.signal.aborted) {
        aborted++;
        return;
      }
    }
    if (res.destroyed) return;
    json(res, 200, { id: `cmpl-bench-${++ids}`, choices: [{ index: 0, text }] });
  }

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/v1/health')
      return json(res, 200, {
        model: `${TABBY_MODEL} (chat, bench shim)`,
        chat_model: TABBY_MODEL,
        device: 'remote',
        arch: process.arch,
        cpu_info: '',
        cpu_count: 0,
        cuda_devices: [],
        version: { build_date: '', build_timestamp: '', git_sha: '', git_describe: 'v0.11.0' },
      });
    if (path === '/v1beta/server_setting') return json(res, 200, { disable_client_side_telemetry: true });
    if (path === '/v1/events' && req.method === 'POST') {
      req.resume();
      res.writeHead(200).end();
      return;
    }
    if (path === '/v1/completions' && req.method === 'POST') {
      void complete(req, res);
      return;
    }
    json(res, 404, { error: `not found: ${req.method} ${path}` });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stats: () => ({ modelCalls: calls, modelCallsAborted: aborted }),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * A throwaway HOME for one agent: tabby-agent reads `~/.tabby-client/agent/config.toml` and writes
 * its data and logs there, so the user's own ~/.tabby-client is never read or touched. The token
 * skips Tabby's sign-in flow; anonymous usage tracking (which posts to app.tabbyml.com) is off.
 */
export function tabbyAgentHome(endpoint: string): string {
  const home = mkdtempSync(join(tmpdir(), 'ghostline-tabby-'));
  const dir = join(home, '.tabby-client', 'agent');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'config.toml'),
    [
      '[server]',
      `endpoint = "${endpoint}"`,
      'token = "bench-token"',
      '',
      '[logs]',
      'level = "silent"',
      '',
      '[anonymousUsageTracking]',
      'disable = true',
      '',
    ].join('\n'),
  );
  return home;
}
