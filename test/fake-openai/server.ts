/**
 * A local HTTP server that speaks OpenAI's wire format (Responses and Chat Completions, streaming
 * and not): the project's only stand-in, for the model itself. Tests script each answer with a
 * responder and inspect every request, including whether the client hung up.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { text as readBody } from 'node:stream/consumers';
import { chatDialect } from './chat-wire.ts';
import { playScript } from './play.ts';
import { PromptCache } from './prompt-cache.ts';
import { responsesDialect } from './responses-wire.ts';
import { latencyDelays, mulberry32 } from './rng.ts';
import type { FakeOpenAI, FakeOpenAIOptions, FakeRequest, Responder } from './types.ts';

export type { FakeOpenAI, FakeOpenAIOptions, FakeRequest, LatencyModel, Responder, Script } from './types.ts';

export const DEFAULT_TEXT = 'Hello from the fake OpenAI server.';
const DEFAULT_MODELS = ['gpt-4.1', 'gpt-4.1-mini', 'gpt-4.1-nano', 'gpt-4o', 'gpt-4o-mini'];

const defaultResponder: Responder = () => ({ kind: 'text', text: DEFAULT_TEXT });

function sendError(res: ServerResponse, status: number, message: string, type = 'invalid_request_error'): void {
  const text = JSON.stringify({ error: { message, type, param: null, code: null } });
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function lowerCaseHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

export async function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  const seed = options.seed ?? 1;
  let random = mulberry32(seed);
  let responder: Responder = options.responder ?? defaultResponder;
  let nextId = 1;
  let closing = false;
  const requests: FakeRequest[] = [];
  const promptCache = new PromptCache();
  const arrivalListeners = new Set<() => void>();
  const sockets = new Set<Socket>();
  const newId = (prefix: string) =>
    `${prefix}fake${String(nextId).padStart(6, '0')}${Math.floor(random() * 1e9).toString(36)}`;
  const models = [
    ...new Set([...DEFAULT_MODELS, ...Object.keys(options.latency ?? {}).filter((name) => name !== '*')]),
  ];

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const receivedAt = performance.now();
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (req.method === 'GET' && path === '/v1/models') {
      const text = JSON.stringify({
        object: 'list',
        data: models.map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'fake-openai' })),
      });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
      return;
    }
    const api =
      req.method === 'POST' && path === '/v1/responses'
        ? 'responses'
        : req.method === 'POST' && path === '/v1/chat/completions'
          ? 'chat'
          : null;
    const raw = await readBody(req);
    if (api === null) return sendError(res, 404, `Unknown request URL: ${req.method} ${path}.`);
    let body: any;
    try {
      body = raw.length === 0 ? {} : JSON.parse(raw);
    } catch {
      return sendError(res, 400, 'We could not parse the JSON body of your request.');
    }

    const closedController = new AbortController();
    let serverDestroyed = false;
    let resolveDone!: () => void;
    const record: FakeRequest = {
      id: nextId++,
      api,
      path,
      headers: lowerCaseHeaders(req),
      body,
      clientClosed: false,
      done: new Promise<void>((resolve) => (resolveDone = resolve)),
      usage: promptCache.usage(body),
      receivedAt,
    };
    // 'close' fires both when the response finished and when the connection dropped first.
    res.on('close', () => {
      if (!res.writableFinished && !serverDestroyed && !closing) record.clientClosed = true;
      closedController.abort();
      resolveDone();
    });
    requests.push(record);
    for (const listener of arrivalListeners) listener();

    let script: Awaited<ReturnType<Responder>>;
    try {
      script = await responder(record);
    } catch (error) {
      return sendError(res, 500, `fake-openai responder threw: ${String(error)}`, 'server_error');
    }
    const latency = options.latency?.[body?.model] ?? options.latency?.['*'];
    const chunkChars = script.kind === 'text' ? (script.chunkChars ?? 4) : 4;
    await playScript(
      {
        res,
        dialect: api === 'responses' ? responsesDialect(body, newId) : chatDialect(body, newId),
        stream: body?.stream === true,
        closed: closedController.signal,
        requestBody: body,
        promptUsage: record.usage,
        delays: latency ? latencyDelays(latency, chunkChars, random) : undefined,
        requestId: `req_fake${record.id}`,
        destroy: () => {
          serverDestroyed = true;
          req.socket.destroy();
        },
      },
      script,
    );
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendError(res, 500, `fake-openai failed: ${String(error)}`, 'server_error');
      else res.destroy();
    });
  });
  server.on('connection', (socket) => {
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    setResponder(next) {
      responder = next;
    },
    waitForRequests(n, timeoutMs = 5000) {
      if (requests.length >= n) return Promise.resolve(requests.slice());
      return new Promise((resolve, reject) => {
        const check = () => {
          if (requests.length < n) return;
          clearTimeout(timer);
          arrivalListeners.delete(check);
          resolve(requests.slice());
        };
        const timer = setTimeout(() => {
          arrivalListeners.delete(check);
          reject(new Error(`fake-openai: expected ${n} requests within ${timeoutMs} ms, saw ${requests.length}`));
        }, timeoutMs);
        arrivalListeners.add(check);
      });
    },
    reset() {
      requests.length = 0;
      promptCache.clear();
      responder = options.responder ?? defaultResponder;
      random = mulberry32(seed);
    },
    close() {
      closing = true;
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
        server.closeAllConnections();
      });
    },
  };
}
