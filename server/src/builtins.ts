/**
 * Node built-ins an idle server does not need, loaded on first use: `node:crypto` (1.6 MB of
 * resident memory alone in an empty Node 24 script) and `node:fs/promises` (1.1 MB; it also loads
 * readline). A language server that has answered `initialize` and waits for its first document
 * needs neither; the first document and the first model call load what they use. Importing them
 * at the top of a file would load them at start-up, so the files that hash or read files
 * asynchronously ask here instead. Held by test/integration/idle-builtins.test.ts.
 */
import { createRequire } from 'node:module';

// A synchronous require works in the TypeScript sources (ESM) and in the CommonJS bundle alike.
const load = createRequire(import.meta.url);

let cryptoModule: typeof import('node:crypto') | undefined;
let fsPromisesModule: typeof import('node:fs/promises') | undefined;

/** `node:crypto`, loaded by the first call. */
export function crypto(): typeof import('node:crypto') {
  cryptoModule ??= load('node:crypto') as typeof import('node:crypto');
  return cryptoModule;
}

/** `node:fs/promises`, loaded by the first call. */
export function fsPromises(): typeof import('node:fs/promises') {
  fsPromisesModule ??= load('node:fs/promises') as typeof import('node:fs/promises');
  return fsPromisesModule;
}

/** The SHA-256 of `text` as hex. */
export function sha256(text: string): string {
  return crypto().createHash('sha256').update(text).digest('hex');
}
