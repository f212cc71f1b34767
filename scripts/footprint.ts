/**
 * `npm run footprint`: what a user installs. Packs the package (`npm pack`), installs the tarball
 * globally into a temporary prefix (`npm install -g`), checks that the installed `ghostline`
 * command answers `--version`, and measures the tarball and the installed size (target ≤ 40 MB).
 * It also reports the self-contained executable's size when one was built (`npm run build:binary`).
 * Writes bench/results/footprint.{json,md}.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BINARY } from './build-binary.ts';
import { ROOT } from './build.ts';

const MB = 1024 * 1024;
export const INSTALLED_TARGET_MB = 40;

function sizeOf(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path).reduce((sum, name) => sum + sizeOf(join(path, name)), 0);
}

function npm(args: string[], cwd: string): string {
  // npm from the same installation as the Node running this script (the pinned one under npm run).
  const env = { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH}`, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
  return execFileSync('npm', args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export interface Footprint {
  tarballMB: number;
  files: number;
  installedMB: number;
  /** The largest parts of the installed package. */
  parts: { path: string; MB: number }[];
  versionAnswer: string;
  targetMB: number;
  met: boolean;
  binaryMB: number | null;
}

export function footprint(): Footprint {
  const work = mkdtempSync(join(tmpdir(), 'ghostline-footprint-'));
  try {
    const packed = JSON.parse(npm(['pack', '--json', '--pack-destination', work], ROOT)) as { filename: string; size: number; entryCount: number }[];
    const tarball = join(work, packed[0]!.filename);
    const prefix = join(work, 'prefix');
    npm(['install', '-g', '--prefix', prefix, tarball], work);
    const installed = join(prefix, 'lib', 'node_modules', 'ghostline');
    const versionAnswer = execFileSync(join(prefix, 'bin', 'ghostline'), ['--version'], { encoding: 'utf8' }).trim();
    const installedMB = sizeOf(installed) / MB;
    const parts = readdirSync(installed)
      .flatMap((name) => (name === 'dist' ? readdirSync(join(installed, 'dist')).map((d) => join('dist', d)) : [name]))
      .map((path) => ({ path, MB: Number((sizeOf(join(installed, path)) / MB).toFixed(2)) }))
      .sort((a, b) => b.MB - a.MB);
    return {
      tarballMB: Number((statSync(tarball).size / MB).toFixed(2)),
      files: packed[0]!.entryCount,
      installedMB: Number(installedMB.toFixed(2)),
      parts,
      versionAnswer,
      targetMB: INSTALLED_TARGET_MB,
      met: installedMB <= INSTALLED_TARGET_MB,
      binaryMB: existsSync(BINARY) ? Number((statSync(BINARY).size / MB).toFixed(1)) : null,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function markdown(result: Footprint, node: string): string {
  return [
    `# ghostline footprint — ${new Date().toISOString()}`,
    '',
    `Node ${node} · \`npm pack\`, then \`npm install -g <tarball>\` into a temporary prefix.`,
    '',
    '| measure | value |',
    '| --- | --- |',
    `| tarball | ${result.tarballMB} MB (${result.files} files) |`,
    `| installed size | ${result.installedMB} MB (target ≤ ${result.targetMB} MB: ${result.met ? 'met' : '**not met**'}) |`,
    `| installed \`ghostline --version\` | ${result.versionAnswer} |`,
    `| self-contained executable (\`npm run build:binary\`) | ${result.binaryMB === null ? 'not built' : `${result.binaryMB} MB`} |`,
    '',
    '| installed part | MB |',
    '| --- | --- |',
    ...result.parts.map((p) => `| ${p.path} | ${p.MB} |`),
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const result = footprint();
  const out = join(ROOT, 'bench', 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'footprint.json'), JSON.stringify({ date: new Date().toISOString(), node: process.version, ...result }, null, 2) + '\n');
  writeFileSync(join(out, 'footprint.md'), markdown(result, process.version) + '\n');
  process.stdout.write(markdown(result, process.version) + '\n');
}
