/**
 * The pino logger: stderr by default (stdout carries the protocol), or a file. Secrets are
 * redacted by path so an API key that ends up in a logged object never reaches the log, and an
 * optional censor sees every line before it is written (the app removes its API keys there).
 */
import pino, { type Logger } from 'pino';

export type { Logger };

const REDACT_PATHS = [
  'apiKey',
  '*.apiKey',
  '*.*.apiKey',
  'headers.authorization',
  '*.headers.authorization',
  'authorization',
  'password',
  '*.password',
];

export interface LoggerOptions {
  level: string;
  file?: string;
  /** Rewrites each serialized line before it is written, e.g. to remove known secrets from messages. */
  censor?: (line: string) => string;
}

export function createLogger(options: LoggerOptions): Logger {
  const destination = options.file
    ? pino.destination({ dest: options.file, mkdir: true, sync: false })
    : pino.destination({ fd: 2, sync: true });
  const censor = options.censor;
  const stream = censor ? { write: (line: string) => destination.write(censor(line)) } : destination;
  return pino(
    {
      name: 'ghostline',
      level: options.level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      base: { pid: process.pid },
    },
    stream,
  );
}

/** A logger that drops everything, for tests and tools that must stay quiet. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
