/**
 * The public types of the fake OpenAI server: what a test sees of each request, and the scripts a
 * responder returns to decide how the server answers it (success, HTTP error, or a broken stream).
 */
import type { LatencyModel } from './rng.ts';

export type { LatencyModel };

export interface FakeRequest {
  id: number;
  api: 'responses' | 'chat';
  path: string;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  body: any;
  /** True once the client closed the connection before the response finished. */
  clientClosed: boolean;
  /** Resolves when the response ended or the client closed. */
  done: Promise<void>;
  /** Prompt tokens (o200k) and how many of them the prompt cache served (prompt-cache.ts). */
  usage: { input: number; cached: number };
  /** performance.now() when the request's headers arrived, before its body was parsed and its usage counted. */
  receivedAt: number;
}

export type Script =
  | {
      kind: 'text';
      text: string;
      /** Characters per delta; default 4 (about one token). */
      chunkChars?: number;
      firstTokenDelayMs?: number;
      chunkDelayMs?: number;
      usage?: Partial<{ input: number; cached: number; output: number }>;
      /** 'length' ends with response.incomplete (Responses) or finish_reason 'length' (chat). Default 'stop'. */
      finish?: 'stop' | 'length';
    }
  | {
      kind: 'error';
      status: number;
      type?: string;
      code?: string | null;
      message?: string;
      headers?: Record<string, string>;
    }
  /** Sends headers (and the deltas of `text` up to afterChunks) then goes silent until the client closes. */
  | { kind: 'stall'; text?: string; afterChunks?: number /** Characters per delta; default 4. */; chunkChars?: number }
  /** Accepts the request and never answers. */
  | { kind: 'stall-before-headers' }
  /** Destroys the socket after afterChunks deltas. */
  | { kind: 'reset'; text: string; afterChunks: number }
  /** Sends a data line that is not JSON after afterChunks deltas (default 1). */
  | { kind: 'malformed'; afterChunks?: number }
  /** Streams all the text and ends cleanly without response.completed / finish_reason / [DONE]. */
  | { kind: 'no-terminal'; text: string }
  /** HTTP 200, then an error event (Responses: nested `{type:'error', error:{...}}`; chat: `{error:{...}}`). */
  | { kind: 'stream-error'; code: string; message: string }
  /** Responses: a response.failed event (chat: an in-stream error). */
  | { kind: 'failed'; code: string; message: string };

export type Responder = (req: FakeRequest) => Script | Promise<Script>;

export interface FakeOpenAIOptions {
  port?: number;
  responder?: Responder;
  /** Per model name ('*' for any other model); applied to 'text' scripts without explicit delays. */
  latency?: Record<string, LatencyModel>;
  seed?: number;
}

export interface FakeOpenAI {
  /** Base URL including /v1, e.g. http://127.0.0.1:PORT/v1. */
  url: string;
  requests: FakeRequest[];
  setResponder(responder: Responder): void;
  /** Resolves with the requests once at least n arrived; rejects after timeoutMs (default 5000). */
  waitForRequests(n: number, timeoutMs?: number): Promise<FakeRequest[]>;
  /** Forgets recorded requests, restores the default responder and reseeds the jitter. */
  reset(): void;
  /** Stops listening and destroys open connections so nothing hangs. */
  close(): Promise<void>;
}
