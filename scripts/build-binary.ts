/**
 * `npm run build:binary`: a self-contained linux-x64 executable, dist/ghostline-linux-x64, for
 * people without Node (Helix and Emacs users often have none). It is Node's single executable
 * application: a copy of the Node running this script (the pinned Node 24 under npm) with the
 * bundle, a V8 code cache, the chunks the bundle loads on demand (openai, ioredis, web-tree-sitter)
 * and the data files (o200k vocabulary, tree-sitter runtime and grammars) injected as a blob by the `postject` package. Nothing is downloaded.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { V8_FLAGS } from '../bin/v8-flags.js';
import { assetNames, buildAll, BUNDLE, CHUNKS, DIST } from './build.ts';

export const BINARY = join(DIST, `ghostline-${process.platform}-${process.arch}`);
/** The fuse Node's single executable applications look for (see Node's docs on SEA). */
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

export async function buildBinary(): Promise<string> {
  if (process.platform !== 'linux') throw new Error(`build:binary builds for Linux only (this is ${process.platform})`);
  if (!existsSync(BUNDLE)) await buildAll();
  const blob = join(DIST, 'sea-prep.blob');
  const config = join(DIST, 'sea-config.json');
  writeFileSync(
    config,
    JSON.stringify({
      main: BUNDLE,
      output: blob,
      disableExperimentalSEAWarning: true,
      useCodeCache: true,
      // The same V8 flags the npm launcher starts the server with.
      execArgv: V8_FLAGS,
      // The data files, and the chunks the bundle loads on demand (CHUNKS in build.ts): the
      // executable has no files beside it, so it evaluates them from here.
      assets: Object.fromEntries([...assetNames(), ...Object.keys(CHUNKS)].map((name) => [name, join(DIST, name)])),
    }),
  );
  // The blob's code cache is made under the flags the executable runs with: V8 rejects a cache made
  // under other flags (and Node warns "Code cache data rejected" on every start).
  execFileSync(process.execPath, [...V8_FLAGS, '--experimental-sea-config', config], { stdio: 'inherit' });
  rmSync(BINARY, { force: true });
  copyFileSync(process.execPath, BINARY);
  chmodSync(BINARY, 0o755);
  const require = createRequire(import.meta.url);
  const { inject } = require('postject') as { inject: (file: string, name: string, data: Buffer, options: { sentinelFuse: string }) => Promise<void> };
  await inject(BINARY, 'NODE_SEA_BLOB', readFileSync(blob), { sentinelFuse: SEA_FUSE });
  rmSync(blob, { force: true });
  rmSync(config, { force: true });
  return BINARY;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const path = await buildBinary();
  process.stderr.write(`built ${path}\n`);
}
