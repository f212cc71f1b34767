/**
 * `npm run build`: bundles the server and every runtime dependency into dist/ghostline.cjs
 * (esbuild), except the packages that load on demand, which get a file each beside it (CHUNKS:
 * dist/openai.cjs, dist/redis.cjs, dist/tree-sitter.cjs), and writes the data it reads beside it:
 * the compact o200k vocabulary (dist/o200k.bin) and tree-sitter's runtime and the grammars the
 * code actions use (dist/tree-sitter/). One file loads in a fraction of the time of ~900 separate
 * modules, and the package needs no dependencies installed. Type-checking is `npm run typecheck`'s job.
 */
import { build, type BuildOptions, type Metafile, type Plugin } from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { grammarFiles, TREE_SITTER_ASSETS } from '../server/src/actions/syntax.ts';
import { encodeRanks, parseTiktoken, RANKS_FILE } from '../server/src/tokenizer-data.ts';
import { lazyRequires } from './lazy-requires.ts';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DIST = join(ROOT, 'dist');
export const BUNDLE = join(DIST, 'ghostline.cjs');
const require = createRequire(import.meta.url);
const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));

/** uPlot's files the dashboard serves, by the package path it asks for (server/src/dashboard/server.ts). */
const UPLOT_FILES = ['uplot/dist/uPlot.iife.min.js', 'uplot/dist/uPlot.min.css'];

/** Every data file the bundle reads, by its name relative to dist/ (the executable embeds them too). */
export function assetNames(): string[] {
  return [RANKS_FILE, `${TREE_SITTER_ASSETS}/web-tree-sitter.wasm`, ...grammarFiles().map((f) => `${TREE_SITTER_ASSETS}/${f}`), ...UPLOT_FILES];
}

/**
 * Packages that load on demand, each bundled as its own file beside the main bundle (with
 * everything it needs) instead of inside it: V8 keeps a script's whole source in the heap from
 * start-up on, so code the server may never run costs resident memory all the same. The main
 * bundle's `import()` of one of these names evaluates a small module that loads the file on first
 * use (CHUNK_LOADER). By file name: the import specifiers it answers for.
 */
export const CHUNKS: Record<string, string[]> = {
  // providers/sdk.ts, when the first document opens.
  'openai.cjs': ['openai'],
  // cache/redis-client.ts, only with a Redis URL; both specifiers must share one copy of ioredis.
  'redis.cjs': ['ioredis', 'ioredis/built/connectors/index.js'],
  // actions/syntax.ts, on the first parse (outlines and code actions).
  'tree-sitter.cjs': ['web-tree-sitter'],
};

/**
 * Loads a chunk once. Beside the bundle it is an ordinary require() (so Node's compile cache
 * keeps its compiled code too); in the self-contained executable, which has no files beside it,
 * the chunk is an embedded asset evaluated as a CommonJS module with the executable's require
 * (built-in modules only: a chunk bundles everything else it needs).
 */
const CHUNK_LOADER = `
const path = require('node:path');
const loaded = new Map();
exports.loadChunk = (file) => {
  let chunk = loaded.get(file);
  if (chunk) return chunk;
  const sea = process.getBuiltinModule?.('node:sea');
  if (sea?.isSea()) {
    const filename = path.join(path.dirname(process.execPath), file);
    const module = { exports: {} };
    require('node:vm').compileFunction(sea.getAsset(file, 'utf8'), ['exports', 'require', 'module', '__filename', '__dirname'], { filename })
      .call(module.exports, module.exports, require, module, filename, path.dirname(filename));
    chunk = module.exports;
  } else {
    chunk = require(path.join(__dirname, file));
  }
  loaded.set(file, chunk);
  return chunk;
};
`;

/** Maps each chunk's import specifiers to a module that loads the chunk (CHUNK_LOADER). */
const chunkImports: Plugin = {
  name: 'ghostline-chunks',
  setup(build) {
    const fileOf = new Map(Object.entries(CHUNKS).flatMap(([file, specifiers]) => specifiers.map((s) => [s, file] as const)));
    const filter = new RegExp(`^(${[...fileOf.keys()].map((s) => s.replaceAll('.', '\\.')).join('|')}|ghostline-chunk-loader)$`);
    build.onResolve({ filter }, (args) => ({ path: args.path, namespace: 'ghostline-chunk' }));
    build.onLoad({ filter: /.*/, namespace: 'ghostline-chunk' }, (args) => ({
      loader: 'js',
      contents:
        args.path === 'ghostline-chunk-loader'
          ? CHUNK_LOADER
          : `module.exports = require('ghostline-chunk-loader').loadChunk(${JSON.stringify(fileOf.get(args.path))})[${JSON.stringify(args.path)}];`,
    }));
  },
};

/**
 * web-tree-sitter's ES module build gets `require` from `await import('module')` into a `var
 * require` of its own, which shadows the chunk's require once that import() becomes require() (see
 * below): the chunk takes its CommonJS build, which uses the require it is given.
 */
const commonJsBuilds: Plugin = {
  name: 'ghostline-commonjs-builds',
  setup(build) {
    build.onResolve({ filter: /^web-tree-sitter$/ }, (args) => ({ path: require.resolve(args.path) }));
  },
};

function common(version: string): BuildOptions {
  return {
    bundle: true,
    platform: 'node',
    // CommonJS: the format Node's single executable applications run; import() of a bundled
    // module stays lazy (it is evaluated on first use).
    format: 'cjs',
    target: 'node20',
    // Whitespace and syntax only: stack traces keep readable names.
    minifyWhitespace: true,
    minifySyntax: true,
    sourcemap: 'linked',
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
    define: { 'import.meta.url': 'import_meta_url', GHOSTLINE_BUNDLED_VERSION: JSON.stringify(version) },
    banner: { js: 'var import_meta_url = require("node:url").pathToFileURL(__filename).href;' },
  };
}

async function bundle(version: string): Promise<Metafile[]> {
  const main = build({
    ...common(version),
    entryPoints: [join(ROOT, 'server', 'src', 'main.ts')],
    outfile: BUNDLE,
    plugins: [chunkImports, lazyRequires()],
  });
  // Each chunk exports its packages' modules by specifier, as the main bundle's import() saw them.
  const chunks = Object.entries(CHUNKS).map(([file, specifiers]) =>
    build({
      ...common(version),
      stdin: {
        contents: `${specifiers.map((s, i) => `import * as m${i} from ${JSON.stringify(s)};`).join('\n')}\nexport default { ${specifiers.map((s, i) => `${JSON.stringify(s)}: m${i}`).join(', ')} };`,
        resolveDir: ROOT,
        sourcefile: `chunk:${file}`,
      },
      outfile: join(DIST, file),
      footer: { js: 'module.exports = module.exports.default;' },
      // import() of a built-in module becomes require(): the executable evaluates a chunk as a
      // function, which has no module loader behind import().
      supported: { 'dynamic-import': false },
      plugins: [commonJsBuilds],
    }),
  );
  const results = await Promise.all([main, ...chunks]);
  for (const file of [BUNDLE, ...Object.keys(CHUNKS).map((f) => join(DIST, f))]) asciiOnly(file);
  return results.map((r) => r.metafile as Metafile);
}

/**
 * Escapes the characters esbuild leaves as they are (inside regular expression and template
 * literals) as `\uXXXX`. One character above U+00FF in a source file makes V8 hold the whole
 * 2.3 MB bundle as a two-byte string, 2.2 MB more resident memory for the life of the process.
 * The escape means the same character in a string, a template, a regular expression (with or
 * without the u flag, surrogate pairs included) and a comment; the one place it would not is the
 * raw text of a tagged template, and the bundle's only ones build regular expressions (the same
 * match) or the dashboard's script (JavaScript again, where the escape reads back the same).
 */
function asciiOnly(file: string): void {
  const text = readFileSync(file, 'utf8');
  const escaped = text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (escaped !== text) writeFileSync(file, escaped);
}

/** The license text of every package inside the bundle or shipped beside it, for dist/THIRD_PARTY_LICENSES.txt. */
function licenses(metafiles: Metafile[]): string {
  const packages = new Set<string>();
  for (const input of metafiles.flatMap((m) => Object.keys(m.inputs))) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (match) packages.add(match[1]!);
  }
  // Shipped as data files beside the bundle rather than inside it.
  for (const data of ['@vscode/tree-sitter-wasm', 'gpt-tokenizer', 'uplot']) packages.add(data);
  const sections: string[] = [];
  for (const name of [...packages].sort()) {
    const dir = join(ROOT, 'node_modules', name);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version?: string; license?: string };
    const file = readdirSync(dir).find((f) => /^licen[sc]e/i.test(f));
    sections.push(`${name} ${pkg.version ?? ''} (${pkg.license ?? 'see package'})\n\n${file ? readFileSync(join(dir, file), 'utf8').trim() : '(no license file in the package)'}`);
  }
  return `ghostline bundles the following packages.\n\n${sections.join('\n\n' + '-'.repeat(72) + '\n\n')}\n`;
}

function copyAssets(): void {
  writeFileSync(join(DIST, RANKS_FILE), encodeRanks(parseTiktoken(readFileSync(join(packageDir('gpt-tokenizer'), 'data', 'o200k_base.tiktoken'), 'utf8'))));
  mkdirSync(join(DIST, TREE_SITTER_ASSETS), { recursive: true });
  copyFileSync(join(dirname(require.resolve('web-tree-sitter')), 'web-tree-sitter.wasm'), join(DIST, TREE_SITTER_ASSETS, 'web-tree-sitter.wasm'));
  for (const file of grammarFiles()) copyFileSync(join(packageDir('@vscode/tree-sitter-wasm'), 'wasm', file), join(DIST, TREE_SITTER_ASSETS, file));
  for (const file of UPLOT_FILES) {
    mkdirSync(dirname(join(DIST, file)), { recursive: true });
    copyFileSync(require.resolve(file), join(DIST, file));
  }
}

export async function buildAll(): Promise<void> {
  rmSync(DIST, { recursive: true, force: true });
  mkdirSync(DIST, { recursive: true });
  const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  const metafiles = await bundle(version);
  writeFileSync(join(DIST, 'THIRD_PARTY_LICENSES.txt'), licenses(metafiles));
  copyAssets();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildAll();
}
