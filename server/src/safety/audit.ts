/**
 * The audit trail: one JSON line per model call (what, which model and why, hashes, tokens, cost,
 * outcome), appended through a write stream, rotated by size and pruned by age. It never throws
 * into the caller and never writes source text (unless asked) or credentials.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { fsPromises, sha256 } from '../builtins.ts';
import { createRedactor } from './redact.ts';
import { pruneRotated, rotateFile } from './audit-files.ts';

export type AuditOutcome = 'ok' | 'cancelled' | 'cache' | `error:${string}`;

/** What the caller knows about one model call. */
export interface AuditEntry {
  task: string;
  model: string;
  /** Why the router chose this model (e.g. `route:completion`, `fallback after rate_limited`). */
  reason: string;
  /** The prompt as sent (already redacted); only its sha256 is written unless includeSource. */
  prompt: string;
  /** The model's answer; written only with includeSource. */
  output?: string;
  tokensIn: number;
  tokensOut: number;
  tokensCached: number;
  costUsd: number;
  /** Secrets replaced in the prompt. */
  redactions: number;
  /** The document's path (or its sha256 with hashPaths). */
  file?: string;
  /** Other files whose snippets the prompt held (repository context): paths only, hashed with hashPaths. */
  contextFiles?: string[];
  user?: string;
  outcome: AuditOutcome;
  latencyMs: number;
}

/** Anything with pino's `warn(obj, msg)`. */
export interface AuditLogger {
  warn(obj: object, msg: string): void;
}

export interface AuditLogOptions {
  file: string;
  /** Rotated files older than this are deleted. */
  retentionDays: number;
  /** A line that would grow the file past this starts a new file (the old one is renamed). */
  maxBytes: number;
  includeSource: boolean;
  /** Write sha256(path) instead of the path. */
  hashPaths?: boolean;
  now?: () => Date;
  logger?: AuditLogger;
}

export interface AuditLog {
  record(entry: AuditEntry): void;
  /** Flushes pending lines and closes the file. */
  close(): Promise<void>;
}

export function createAuditLog(options: AuditLogOptions): AuditLog {
  const now = options.now ?? (() => new Date());
  const file = path.resolve(options.file);
  // A log-local redactor: defence in depth against a key passed in any string field.
  const redactor = createRedactor();
  const clean = (text: string): string => redactor.redact(text).text;
  let stream: WriteStream | undefined;
  let size = 0;
  let pending: Promise<void> = Promise.resolve();
  let warned = false;
  let closed = false;

  function fail(error: unknown): void {
    if (warned) return;
    warned = true;
    options.logger?.warn({ err: error, file }, 'audit log write failed; later failures are not logged');
  }

  function format(entry: AuditEntry): string {
    const line: Record<string, unknown> = {
      time: now().toISOString(),
      task: clean(entry.task),
      model: clean(entry.model),
      reason: clean(entry.reason),
      promptHash: sha256(entry.prompt),
      tokensIn: entry.tokensIn,
      tokensOut: entry.tokensOut,
      tokensCached: entry.tokensCached,
      costUsd: entry.costUsd,
      redactions: entry.redactions,
      file: entry.file === undefined ? undefined : options.hashPaths === true ? sha256(entry.file) : clean(entry.file),
      contextFiles:
        entry.contextFiles === undefined || entry.contextFiles.length === 0
          ? undefined
          : entry.contextFiles.map((f) => (options.hashPaths === true ? sha256(f) : clean(f))),
      user: entry.user === undefined ? undefined : clean(entry.user),
      outcome: clean(entry.outcome),
      latencyMs: entry.latencyMs,
    };
    if (options.includeSource) {
      line.prompt = clean(entry.prompt);
      if (entry.output !== undefined) line.output = clean(entry.output);
    }
    return `${JSON.stringify(line)}\n`;
  }

  async function open(): Promise<WriteStream> {
    const { mkdir, stat } = fsPromises();
    await mkdir(path.dirname(file), { recursive: true });
    size = (await stat(file).catch(() => undefined))?.size ?? 0;
    await pruneRotated(file, now(), options.retentionDays);
    const opened = createWriteStream(file, { flags: 'a', mode: 0o600 });
    opened.on('error', (error) => {
      if (stream === opened) stream = undefined;
      fail(error);
    });
    await once(opened, 'open');
    return opened;
  }

  async function finish(current: WriteStream): Promise<void> {
    await new Promise<void>((resolve) => current.end(resolve));
  }

  async function write(line: string): Promise<void> {
    const bytes = Buffer.byteLength(line);
    stream ??= await open();
    if (size > 0 && size + bytes > options.maxBytes) {
      const full = stream;
      stream = undefined;
      await finish(full);
      await rotateFile(file, now());
      stream = await open();
    }
    size += bytes;
    if (!stream.write(line)) await once(stream, 'drain');
  }

  return {
    record(entry: AuditEntry): void {
      if (closed) return;
      try {
        const line = format(entry);
        pending = pending.then(() => write(line)).catch(fail);
      } catch (error) {
        fail(error);
      }
    },
    async close(): Promise<void> {
      closed = true;
      await pending;
      const current = stream;
      stream = undefined;
      if (current !== undefined) await finish(current).catch(fail);
    },
  };
}
