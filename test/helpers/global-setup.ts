/**
 * Builds the server once before any test runs, so integration tests always spawn the current
 * bundle (the same artefact `ghostline --stdio` runs), even when vitest is started directly.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  execFileSync(process.execPath, [`${root}scripts/build.ts`], { stdio: 'inherit', cwd: root });
}
