/**
 * `npm run build`: bundles the server and every runtime dependency into one file,
 * dist/ghostline.cjs (esbuild), and writes the data it reads beside it: the compact o200k
 * vocabulary (dist/o200k.bin) and tree-sitter's runtime and the grammars the code actions use
 * (dist/tree-sitter/). One file loads in a fraction of the time of ~900 separate modules, and the
 * package needs no dependencies installed. Type-checking is `npm run typecheck`'s job.
 */
import { build, type Metafile } from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { grammarFiles, TREE_SITTER_ASSETS } from '../server/src/actions/syntax.ts';
import { encodeRanks, parseTiktoken, RANKS_FILE } from '../server/src/tokenizer-data.ts';

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

async function bundle(version: string): Promise<Metafile> {
  const result = await build({
    entryPoints: [join(ROOT, 'server', 'src', 'main.ts')],
    outfile: BUNDLE,
    bundle: true,
    platform: 'node',
    // CommonJS: the format Node's single executable applications run; import() of a bundled
    // module stays lazy (it is evaluated on first use), which keeps tree-sitter out of start-up.
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
  });
  asciiOnly(BUNDLE);
  return result.metafile;
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
function licenses(metafile: Metafile): string {
  const packages = new Set<string>();
  for (const input of Object.keys(metafile.inputs)) {
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
  const metafile = await bundle(version);
  writeFileSync(join(DIST, 'THIRD_PARTY_LICENSES.txt'), licenses(metafile));
  copyAssets();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildAll();
}
