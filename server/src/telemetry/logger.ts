/**
 * The pino logger: stderr by default (stdout carries the protocol), or a file. Secrets are
 * redacted by path so an API key that ends up in a logged object never reaches the log.
 */
import pino, { type Logger } from 'pino';

export type { Logger };

const REDACT_PATHS = ['apiKey', '*.apiKey', '*.*.apiKey', 'headers.authorization', '*.headers.authorization', 'authorization', 'password', '*.password'];

export interface LoggerOptions {
  level: string;
  file?: string;
}

export function createLogger(options: LoggerOptions): Logger {
  const destination = options.file
    ? pino.destination({ dest: options.file, mkdir: true, sync: false })
    : pino.destination({ fd: 2, sync: true });
  return pino(
    {
      name: 'ghostline',
      level: options.level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      base: { pid: process.pid },
    },
    destination,
  );
}

/** A logger that drops everything, for tests and tools that must stay quiet. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
