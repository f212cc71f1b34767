/**
 * Reads JSON-RPC messages from the editor's byte stream (stdin) with the framing checked, so one
 * bad message never silences the server: a missing or non-numeric Content-Length is skipped up to
 * the next header, a length longer than the body is cut at the next header (or after a pause), a
 * body that is not JSON is answered with ParseError, and a message that is not JSON-RPC (no
 * method, a bad id, a batch) is answered with InvalidRequest — the JSON-RPC specification asks for
 * an error response to every invalid message.
 */
import {
  AbstractMessageReader,
  type DataCallback,
  type Disposable,
  type Message,
  type MessageWriter,
} from 'vscode-languageserver/node';
import type { Logger } from '../telemetry/logger.ts';

const HEADER_END = Buffer.from('\r\n\r\n');
/** A real header: raw CR LF never occurs inside a JSON body, so this cannot match body text. */
const HEADER_AT = /Content-Length:[ \t]*\d+[ \t]*\r\n/i;
/** A body still incomplete after this long with no new bytes means its Content-Length was wrong. */
const STALLED_BODY_MS = 2000;

const PARSE_ERROR = -32700;
const INVALID_REQUEST = -32600;

type Id = string | number | null;

function isId(value: unknown): value is string | number {
  return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
}

/** Why a parsed JSON value is not a JSON-RPC message, or undefined when it is one. */
export function invalidReason(value: unknown): string | undefined {
  if (Array.isArray(value)) return 'batches are not part of the Language Server Protocol';
  if (typeof value !== 'object' || value === null) return 'a message must be a JSON object';
  const message = value as Record<string, unknown>;
  if (message.jsonrpc !== '2.0') return '"jsonrpc" must be "2.0"';
  if ('method' in message) {
    if (typeof message.method !== 'string') return '"method" must be a string';
    if ('id' in message && !isId(message.id)) return '"id" must be a string or a number';
    if (
      'params' in message &&
      message.params !== undefined &&
      (typeof message.params !== 'object' || message.params === null)
    ) {
      return '"params" must be an object or an array';
    }
    return undefined;
  }
  if (!('id' in message) || (message.id !== null && !isId(message.id)))
    return 'a message needs a "method", or an "id" to answer';
  if (!('result' in message) && !('error' in message)) return 'a response needs a "result" or an "error"';
  return undefined;
}

export class GuardedMessageReader extends AbstractMessageReader {
  private readonly input: NodeJS.ReadableStream;
  private readonly writer: MessageWriter;
  private readonly logger: () => Logger | undefined;
  /** Bytes not yet consumed, kept as chunks so a large body is copied once, not once per chunk. */
  private chunks: Buffer[] = [];
  private size = 0;
  /** Bytes of the current body already searched for a following header. */
  private scanned = 0;
  private bodyLength = -1;
  private stalled: NodeJS.Timeout | undefined;
  private callback: DataCallback | undefined;

  constructor(input: NodeJS.ReadableStream, writer: MessageWriter, logger: () => Logger | undefined) {
    super();
    this.input = input;
    this.writer = writer;
    this.logger = logger;
  }

  private get buffer(): Buffer {
    if (this.chunks.length !== 1) this.chunks = [Buffer.concat(this.chunks, this.size)];
    return this.chunks[0]!;
  }

  private set buffer(bytes: Buffer) {
    this.chunks = bytes.length === 0 ? [] : [bytes];
    this.size = bytes.length;
    this.scanned = 0;
  }

  listen(callback: DataCallback): Disposable {
    this.callback = callback;
    const onData = (data: Buffer) => this.onData(data);
    const onError = (error: Error) => this.fireError(error);
    const onClose = () => this.fireClose();
    this.input.on('data', onData);
    this.input.on('error', onError);
    this.input.on('end', onClose);
    this.input.on('close', onClose);
    return {
      dispose: () => {
        this.input.off('data', onData);
        this.input.off('error', onError);
        this.input.off('end', onClose);
        this.input.off('close', onClose);
        clearTimeout(this.stalled);
      },
    };
  }

  private onData(data: Buffer): void {
    this.chunks.push(data);
    this.size += data.length;
    clearTimeout(this.stalled);
    this.stalled = undefined;
    while (this.next()) {
      // One message per turn of the loop.
    }
    if (this.bodyLength >= 0) {
      this.stalled = setTimeout(() => this.flushStalled(), STALLED_BODY_MS);
      this.stalled.unref?.();
    }
  }

  /** Takes one message (or one piece of garbage) off the buffer; false when more bytes are needed. */
  private next(): boolean {
    if (this.bodyLength < 0) {
      const end = this.buffer.indexOf(HEADER_END);
      if (end < 0) {
        // No complete header yet; garbage without any header start is dropped once it grows.
        if (this.buffer.length > 64 * 1024 && !/content-length/i.test(this.buffer.toString('latin1')))
          this.skip(this.buffer.length, 'bytes without a header');
        return false;
      }
      const header = this.buffer.subarray(0, end).toString('ascii');
      const match = /(?:^|\r\n)Content-Length:[ \t]*(\d+)[ \t]*(?:\r\n|$)/i.exec(header);
      const wellFormed = header.split('\r\n').every((line) => /^[A-Za-z][A-Za-z0-9-]*:[ \t]*\S/.test(line));
      if (!match || !wellFormed) {
        // Skip what comes before the next real header, or the whole bad header block.
        const next = this.nextHeader(1);
        this.skip(
          next >= 0 ? next : end + HEADER_END.length,
          match
            ? 'bytes before a header'
            : `a header without a valid Content-Length (${JSON.stringify(header.slice(0, 80))})`,
        );
        return true;
      }
      this.buffer = this.buffer.subarray(end + HEADER_END.length);
      this.bodyLength = Number(match[1]);
    }
    if (this.size < this.bodyLength) {
      // A header inside what should be the body means the declared length was too long.
      const next = this.headerInBody();
      if (next < 0) return false;
      this.logger()?.warn(
        { declared: this.bodyLength, actual: next },
        'Content-Length longer than the message body; reading on from the next header',
      );
      this.take(next, `its Content-Length (${this.bodyLength}) was longer than its body (${next} bytes)`);
      return true;
    }
    this.take(this.bodyLength);
    return true;
  }

  /** A header in the bytes of the body that arrived since the last look (plus a margin for one cut in two). */
  private headerInBody(): number {
    const from = Math.max(0, this.scanned - 64);
    const tail: Buffer[] = [];
    let start = this.size;
    for (let i = this.chunks.length - 1; i >= 0 && start > from; i--) {
      tail.unshift(this.chunks[i]!);
      start -= this.chunks[i]!.length;
    }
    this.scanned = this.size;
    const text = Buffer.concat(tail)
      .subarray(from - start)
      .toString('latin1');
    const found = text.search(HEADER_AT);
    return found < 0 ? -1 : from + found;
  }

  private nextHeader(from: number): number {
    const text = this.buffer.subarray(from).toString('latin1');
    const found = text.search(HEADER_AT);
    return found < 0 ? -1 : found + from;
  }

  private skip(bytes: number, what: string): void {
    this.logger()?.warn({ bytes }, `skipped ${what}`);
    this.buffer = this.buffer.subarray(bytes);
  }

  /** Decodes one body; answers it with an error when it is not a JSON-RPC message, else passes it on. */
  private take(length: number, framingProblem?: string): void {
    const body = this.buffer.subarray(0, length).toString('utf8');
    this.buffer = this.buffer.subarray(length);
    this.bodyLength = -1;
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch (error) {
      this.answer(null, PARSE_ERROR, `Parse error: ${framingProblem ?? (error as Error).message}`);
      return;
    }
    const id: Id =
      typeof value === 'object' && value !== null && isId((value as { id?: unknown }).id)
        ? (value as { id: string | number }).id
        : null;
    const reason = framingProblem ?? invalidReason(value);
    if (reason !== undefined) {
      // A response to nothing, or a notification, cannot be answered with an id; null says "unknown".
      this.answer(id, INVALID_REQUEST, `Invalid Request: ${reason}`);
      return;
    }
    this.callback?.(value as Message);
  }

  /** The body never completed: the declared length was wrong and no other message followed. */
  private flushStalled(): void {
    this.stalled = undefined;
    if (this.bodyLength < 0) return;
    this.logger()?.warn(
      { declared: this.bodyLength, received: this.buffer.length },
      'message body shorter than its Content-Length',
    );
    this.take(
      this.buffer.length,
      `its Content-Length (${this.bodyLength}) was longer than its body (${this.buffer.length} bytes)`,
    );
  }

  private answer(id: Id, code: number, message: string): void {
    this.logger()?.warn({ id, code }, message);
    void this.writer.write({ jsonrpc: '2.0', id, error: { code, message } } as Message).catch(() => undefined);
  }
}
