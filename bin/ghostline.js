#!/usr/bin/env node
// Entry shim: the server is one bundled file, dist/ghostline.cjs (npm run build). Node's compile
// cache (Node 22.1+) keeps V8's compiled code between starts, which shortens every later start.
import module from 'node:module';

// The oldest Node the test suite passes on (MIN_NODE_MAJOR in server/src/version.ts).
const MIN_NODE_MAJOR = 20;
if (Number(process.versions.node.split('.')[0]) < MIN_NODE_MAJOR) {
  process.stderr.write(`ghostline: Node.js ${process.versions.node} is too old; it needs Node.js ${MIN_NODE_MAJOR} or newer, or the self-contained executable (see README.md)\n`);
  process.exit(1);
}
try {
  module.enableCompileCache?.();
} catch {
  // A read-only or full temporary directory only costs the cache.
}
import('../dist/ghostline.cjs').catch((error) => {
  process.stderr.write(`ghostline: cannot start: ${error?.stack ?? error}\n`);
  process.exit(1);
});
