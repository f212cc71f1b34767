/**
 * The version shown by `--version` and in `serverInfo`: built into the bundle, or read from
 * package.json when running from the sources.
 */
import { readFileSync } from 'node:fs';

function readVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** Set by the build (scripts/build.ts), so the bundle and the executable need no package.json. */
declare const GHOSTLINE_BUNDLED_VERSION: string | undefined;

export const VERSION = typeof GHOSTLINE_BUNDLED_VERSION === 'string' ? GHOSTLINE_BUNDLED_VERSION : readVersion();

/**
 * The oldest Node.js major the test suite passes on (CI runs the server on it as well as on the
 * pinned one); package.json `engines`, bin/ghostline.js and README.md say the same.
 */
export const MIN_NODE_MAJOR = 20;
