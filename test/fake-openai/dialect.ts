/**
 * What the script player needs from a wire format: the frames that open a stream, one text delta,
 * the frames that close it, and the failure shapes. The Responses and Chat Completions dialects
 * implement it; the player stays format-agnostic.
 */

export interface TokenUsage {
  input: number;
  cached: number;
  output: number;
}

export type FinishReason = 'stop' | 'length';

export interface Dialect {
  /** Frames sent right after the headers, before any text. */
  start(): string[];
  /** One text delta frame. */
  delta(text: string): string;
  /** Frames that end a successful stream (including the terminal event or `[DONE]`). */
  finish(text: string, usage: TokenUsage, finish: FinishReason): string[];
  /** Frames a stream sends after its text when it then ends without the terminal event. */
  unterminated(text: string): string[];
  /** An in-stream error on an HTTP 200 stream. */
  streamError(code: string, message: string): string;
  /** A failed response (Responses: `response.failed`; chat has no such event and uses streamError). */
  failed(code: string, message: string): string;
  /** A frame whose data is not JSON. */
  malformed(): string;
  /** The whole non-streaming body of a successful answer. */
  json(text: string, usage: TokenUsage, finish: FinishReason): unknown;
  /** The non-streaming body of a failed response, or null when the format has none (use an HTTP error). */
  failedJson(code: string, message: string): unknown | null;
}
