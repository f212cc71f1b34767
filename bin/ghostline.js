#!/usr/bin/env node
// Entry shim: the compiled server lives in dist/ (npm run build).
import('../dist/main.js').catch((error) => {
  process.stderr.write(`ghostline: cannot start: ${error?.stack ?? error}\n`);
  process.exit(1);
});
