/**
 * An esbuild plugin for scripts/build.ts: in a few dependency files, a Node built-in that the file
 * requires when it loads, but uses only in code an idle language server never runs, is required on
 * first use instead. Each held memory from start-up on (docs/performance.md, "Built-ins an idle
 * server does not load"):
 * - vscode-jsonrpc's Node entry: node:crypto, only to name pipes;
 * - vscode-languageserver's files.js: node:child_process, only to find global npm and yarn folders;
 * - sonic-boom (pino's file stream): node:assert, only when a stream closes;
 * - pino's tools.js and thread-stream: node:worker_threads (and thread-stream's node:assert), only
 *   for pino's worker transports, which ghostline does not use.
 *
 * Each edit names the exact text it replaces, which must occur exactly once: if a dependency
 * update changes it, the build fails instead of silently loading the built-in again.
 */
import { readFileSync } from 'node:fs';
import type { Plugin } from 'esbuild';

interface LazyRequire {
  /** The file, as its path ends inside node_modules. */
  file: RegExp;
  /** Exact text and its replacement. */
  edits: [from: string, to: string][];
}

/** A binding the file only calls through (`(0, crypto_1.randomBytes)(…)`), read from the built-in on first use. */
const lazyModule = (binding: string, builtin: string): [string, string] => [
  `const ${binding} = require("${builtin}");`,
  `const ${binding} = new Proxy({}, { get: (_, key) => require("${builtin}")[key] });`,
];

export const LAZY_REQUIRES: LazyRequire[] = [
  {
    file: /node_modules[\\/]vscode-jsonrpc[\\/]lib[\\/]node[\\/]main\.js$/,
    edits: [lazyModule('crypto_1', 'crypto')],
  },
  {
    file: /node_modules[\\/]vscode-languageserver[\\/]lib[\\/]node[\\/]files\.js$/,
    edits: [lazyModule('child_process_1', 'child_process')],
  },
  {
    file: /node_modules[\\/]sonic-boom[\\/]index\.js$/,
    edits: [["const assert = require('assert')", "const assert = (...args) => require('assert')(...args)"]],
  },
  {
    file: /node_modules[\\/]pino[\\/]lib[\\/]tools\.js$/,
    edits: [
      ["const { isMainThread } = require('worker_threads')", ''],
      ['if (!opts.sync && isMainThread) {', "if (!opts.sync && require('worker_threads').isMainThread) {"],
    ],
  },
  {
    file: /node_modules[\\/]thread-stream[\\/]index\.js$/,
    edits: [
      [
        "const { Worker } = require('worker_threads')",
        "const Worker = function Worker (...args) { return new (require('worker_threads').Worker)(...args) }",
      ],
      ["const assert = require('assert')", "const assert = (...args) => require('assert')(...args)"],
    ],
  },
];

/** Applies a rule's edits to a file's source; throws when one of them does not occur exactly once. */
export function applyEdits(source: string, rule: LazyRequire, path: string): string {
  let result = source;
  for (const [from, to] of rule.edits) {
    const count = result.split(from).length - 1;
    if (count !== 1) {
      throw new Error(`lazy-requires: "${from}" occurs ${count} times in ${path}, not once; update scripts/lazy-requires.ts`);
    }
    result = result.replace(from, () => to);
  }
  return result;
}

export function lazyRequires(rules: LazyRequire[] = LAZY_REQUIRES): Plugin {
  return {
    name: 'ghostline-lazy-requires',
    setup(build) {
      const applied = new Set<LazyRequire>();
      for (const rule of rules) {
        build.onLoad({ filter: rule.file }, (args) => {
          const contents = applyEdits(readFileSync(args.path, 'utf8'), rule, args.path);
          applied.add(rule);
          return { contents, loader: 'js' };
        });
      }
      build.onEnd((result) => {
        if (result.errors.length > 0) return;
        const missing = rules.filter((rule) => !applied.has(rule)).map((rule) => String(rule.file));
        if (missing.length > 0) {
          throw new Error(`lazy-requires: no bundled file matched ${missing.join(', ')}; update scripts/lazy-requires.ts`);
        }
      });
    },
  };
}
