#!/usr/bin/env node
// Entry shim: the server is one bundled file, dist/ghostline.cjs (npm run build). Node's compile
// cache (Node 22.1+) keeps V8's compiled code between starts, which shortens every later start.
import module from 'node:module';
import v8 from 'node:v8';
import { MALLOC_ARENA_MAX, RUNTIME_SEMI_SPACE_FLAG, SEMI_SPACE_FLAG, V8_FLAGS } from './v8-flags.js';

// The oldest Node the test suite passes on (MIN_NODE_MAJOR in server/src/version.ts).
const MIN_NODE_MAJOR = 20;
if (Number(process.versions.node.split('.')[0]) < MIN_NODE_MAJOR) {
  process.stderr.write(`ghostline: Node.js ${process.versions.node} is too old; it needs Node.js ${MIN_NODE_MAJOR} or newer, or the self-contained executable (see README.md)\n`);
  process.exit(1);
}
// V8's start-up flags (bin/v8-flags.js) cannot be given in NODE_OPTIONS or applied to a running
// process, so the launcher replaces itself (same process id, same stdio) with a Node started with
// them where the platform can (Node 22.15+, not Windows, not over --node-ipc); elsewhere the
// server runs without them.
// GHOSTLINE_V8_FLAGS replaces the list (space-separated; empty for none). The new process also
// gets MALLOC_ARENA_MAX (bin/v8-flags.js) unless the environment sets it.
const flags = process.env.GHOSTLINE_V8_FLAGS?.split(' ').filter(Boolean) ?? V8_FLAGS;
const missing = flags.some((flag) => !process.execArgv.includes(flag));
if (
  missing &&
  // An IPC channel (--node-ipc) is already open in this process and would not survive.
  process.channel === undefined &&
  typeof process.execve === 'function' &&
  process.platform !== 'win32'
) {
  try {
    process.execve(process.execPath, [process.execPath, ...flags, ...process.execArgv, ...process.argv.slice(1)], {
      MALLOC_ARENA_MAX,
      ...process.env,
    });
  } catch {
    // Could not replace the process: run as it is.
  }
}
// Still here without the flags (Node before 22.15, Windows, --node-ipc): of them, only the young
// generation's cap can still be set in a running process. Without it V8 grows the two semi-spaces
// to 16 MB each: 96 against 71 MB after `initialize` on Node 20 (docs/performance.md, "Node 20
// and other starts without the flags").
if (missing && flags.includes(SEMI_SPACE_FLAG)) v8.setFlagsFromString(RUNTIME_SEMI_SPACE_FLAG);
try {
  module.enableCompileCache?.();
} catch {
  // A read-only or full temporary directory only costs the cache.
}
// require, not import(): importing CommonJS from ES modules first scans the whole 2.4 MB bundle
// for its export names (cjs-module-lexer), which left 2.6 MB more resident on Node 24 and 21 MB
// more on Node 20, whose lexer is WebAssembly (docs/performance.md, "Node 20 and other starts
// without the flags").
try {
  module.createRequire(import.meta.url)('../dist/ghostline.cjs');
} catch (error) {
  process.stderr.write(`ghostline: cannot start: ${error?.stack ?? error}\n`);
  process.exit(1);
}
