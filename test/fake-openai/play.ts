/**
 * Plays one Script on one HTTP response in a given wire dialect: the success path with timed
 * deltas, HTTP errors, and each way a stream can break (stall, reset, malformed data, missing
 * terminal event, in-stream error). Every wait ends as soon as the client closes the connection.
 */
import type { ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import type { Dialect, TokenUsage } from './dialect.ts';
import type { Script } from './types.ts';
import { errorBody } from './errors.ts';

export interface PlayContext {
  res: ServerResponse;
  dialect: Dialect;
  stream: boolean;
  /** Aborted when the connection closes. */
  closed: AbortSignal;
  requestBody: any;
  /** The prompt's tokens and the part the prompt cache served, unless the script fixes its usage. */
  promptUsage?: { input: number; cached: number };
  /** Delays from the latency model of the requested model, when there is one. */
  delays?: { firstTokenDelayMs(): number; chunkDelayMs(): number } | undefined;
  requestId: string;
  /** Destroys the socket from the server side (not a client close). */
  destroy(): void;
}

/** Waits ms; false when the connection closed first. */
async function sleep(ms: number, closed: AbortSignal): Promise<boolean> {
  if (closed.aborted) return false;
  if (ms <= 0) return true;
  try {
    await delay(ms, undefined, { signal: closed });
    return true;
  } catch {
    return false;
  }
}

function waitForClose(closed: AbortSignal): Promise<void> {
  if (closed.aborted) return Promise.resolve();
  return new Promise((resolve) => closed.addEventListener('abort', () => resolve(), { once: true }));
}

/** Splits by code points so a delta never cuts a surrogate pair. */
export function chunkText(text: string, chunkChars: number): string[] {
  const chars = Array.from(text);
  const size = Math.max(1, Math.floor(chunkChars));
  const chunks: string[] = [];
  for (let i = 0; i < chars.length; i += size) chunks.push(chars.slice(i, i + size).join(''));
  return chunks;
}

/** A rough token count (four characters a token) for usage the script does not fix. */
function estimateTokens(value: unknown): number {
  if (value === undefined || value === null) return 0;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return Math.ceil(text.length / 4);
}

function usageFor(ctx: PlayContext, text: string, given: Partial<TokenUsage> = {}): TokenUsage {
  const body = ctx.requestBody ?? {};
  const input =
    given.input ??
    ctx.promptUsage?.input ??
    estimateTokens(body.instructions) + estimateTokens(body.input) + estimateTokens(body.messages);
  const cached = given.cached ?? (given.input === undefined ? (ctx.promptUsage?.cached ?? 0) : 0);
  return { input, cached, output: given.output ?? estimateTokens(text) };
}

function openStream(ctx: PlayContext): void {
  ctx.res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    'x-request-id': ctx.requestId,
    'openai-processing-ms': '1',
  });
  ctx.res.flushHeaders();
}

function write(ctx: PlayContext, frames: string | string[]): void {
  if (ctx.closed.aborted) return;
  for (const frame of Array.isArray(frames) ? frames : [frames]) ctx.res.write(frame);
}

function sendJson(ctx: PlayContext, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (ctx.closed.aborted) return;
  const text = JSON.stringify(body);
  ctx.res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'x-request-id': ctx.requestId,
    ...headers,
  });
  ctx.res.end(text);
}

/** Streams the first `count` chunks of text after the opening frames; false when the client left. */
async function streamChunks(
  ctx: PlayContext,
  chunks: string[],
  firstDelayMs: number,
  nextDelayMs: () => number,
): Promise<boolean> {
  for (let i = 0; i < chunks.length; i++) {
    if (!(await sleep(i === 0 ? firstDelayMs : nextDelayMs(), ctx.closed))) return false;
    write(ctx, ctx.dialect.delta(chunks[i] ?? ''));
  }
  return !ctx.closed.aborted;
}

export async function playScript(ctx: PlayContext, script: Script): Promise<void> {
  const { dialect } = ctx;
  switch (script.kind) {
    case 'error': {
      const { status, body } = errorBody(script);
      sendJson(ctx, status, body, script.headers);
      return;
    }
    case 'stall-before-headers':
      return waitForClose(ctx.closed);
    case 'text': {
      const chunkChars = script.chunkChars ?? 4;
      const first = script.firstTokenDelayMs ?? ctx.delays?.firstTokenDelayMs() ?? 0;
      const next = () => script.chunkDelayMs ?? ctx.delays?.chunkDelayMs() ?? 0;
      const usage = usageFor(ctx, script.text, script.usage);
      const finish = script.finish ?? 'stop';
      if (!ctx.stream) {
        if (!(await sleep(first, ctx.closed))) return;
        sendJson(ctx, 200, dialect.json(script.text, usage, finish));
        return;
      }
      openStream(ctx);
      write(ctx, dialect.start());
      if (!(await streamChunks(ctx, chunkText(script.text, chunkChars), first, next))) return;
      write(ctx, dialect.finish(script.text, usage, finish));
      ctx.res.end();
      return;
    }
    case 'stall': {
      if (ctx.stream) {
        openStream(ctx);
        write(ctx, dialect.start());
        const chunks = chunkText(script.text ?? '', script.chunkChars ?? 4).slice(0, script.afterChunks);
        for (const chunk of chunks) write(ctx, dialect.delta(chunk));
      }
      return waitForClose(ctx.closed);
    }
    case 'reset': {
      if (ctx.stream) {
        openStream(ctx);
        write(ctx, dialect.start());
        for (const chunk of chunkText(script.text, 4).slice(0, script.afterChunks)) write(ctx, dialect.delta(chunk));
        // Let the written frames reach the client before the connection drops.
        await sleep(20, ctx.closed);
      }
      ctx.destroy();
      return;
    }
    case 'malformed': {
      if (!ctx.stream) {
        ctx.res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': ctx.requestId });
        ctx.res.end('{"id": "broken", "object":');
        return;
      }
      openStream(ctx);
      write(ctx, dialect.start());
      for (const chunk of chunkText('partial answer', 4).slice(0, script.afterChunks ?? 1))
        write(ctx, dialect.delta(chunk));
      write(ctx, dialect.malformed());
      ctx.res.end();
      return;
    }
    case 'no-terminal': {
      if (!ctx.stream) {
        const whole = JSON.stringify(dialect.json(script.text, usageFor(ctx, script.text), 'stop'));
        ctx.res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': ctx.requestId });
        ctx.res.end(whole.slice(0, Math.floor(whole.length / 2)));
        return;
      }
      openStream(ctx);
      write(ctx, dialect.start());
      for (const chunk of chunkText(script.text, 4)) write(ctx, dialect.delta(chunk));
      write(ctx, dialect.unterminated(script.text));
      ctx.res.end();
      return;
    }
    case 'stream-error':
    case 'failed': {
      if (!ctx.stream) {
        const failed = script.kind === 'failed' ? dialect.failedJson(script.code, script.message) : null;
        if (failed !== null) sendJson(ctx, 200, failed);
        else
          sendJson(ctx, 500, {
            error: { message: script.message, type: 'server_error', param: null, code: script.code },
          });
        return;
      }
      openStream(ctx);
      write(ctx, dialect.start());
      write(
        ctx,
        script.kind === 'failed'
          ? dialect.failed(script.code, script.message)
          : dialect.streamError(script.code, script.message),
      );
      ctx.res.end();
      return;
    }
  }
}
