/**
 * Output of the shell commands (`--version`, `--help`, `doctor`, `complete`). These never run in
 * `--stdio` mode, where stdout belongs to the protocol; server code must not import this file
 * (test/unit/tidy.test.ts checks).
 */
import { writeSync } from 'node:fs';

export function print(text: string): void {
  writeSync(1, text.endsWith('\n') ? text : `${text}\n`);
}

export function printError(text: string): void {
  writeSync(2, text.endsWith('\n') ? text : `${text}\n`);
}
