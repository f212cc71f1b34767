/**
 * The VS Code extension in clients/vscode: its contributed settings are the ones generated from the
 * server's zod schema (drift fails here), it has a palette command per server action, it
 * type-checks against @types/vscode, and @vscode/vsce packages it into a .vsix holding the built
 * extension and its runtime dependencies. Its own dependencies are installed here with
 * `npm ci --prefix clients/vscode` when missing (the npm registry is reachable in CI).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { contributedConfiguration } from '../../clients/vscode/scripts/settings.mts';
import { defaultConfig } from '../../server/src/config/schema.ts';
import { Commands } from '../../server/src/lsp/protocol.ts';
import { ROOT } from './helpers/editor.ts';
import { openZip } from './helpers/zip.ts';

const EXTENSION = join(ROOT, 'clients/vscode');
const manifest = JSON.parse(readFileSync(join(EXTENSION, 'package.json'), 'utf8'));
const SERVER_ACTIONS = Object.keys(Commands).filter((key) => key !== 'accept' && key !== 'stats');
/** The extension's copy of the action list (its source is CommonJS, so it is read, not imported). */
const ACTIONS = JSON.parse(
  /export const ACTIONS = (\[[^\]]*\])/
    .exec(readFileSync(join(EXTENSION, 'src/protocol.ts'), 'utf8'))![1]!
    .replaceAll("'", '"')
    // The formatter may leave a trailing comma after the last name.
    .replace(/,\s*\]$/, ']'),
) as string[];
/** Node 24 first on PATH, so npm scripts and vsce's shebangs run on the project's Node. */
const ENV = { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH}` };

function run(args: string[], cwd = EXTENSION): string {
  return execFileSync(process.execPath, args, { cwd, env: ENV, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

describe('the VS Code extension manifest', () => {
  it('contributes exactly the settings generated from the schema (run `npm run settings` in clients/vscode after a schema change)', () => {
    expect(manifest.contributes.configuration).toEqual(contributedConfiguration());
    const properties = manifest.contributes.configuration.properties as Record<string, { default?: unknown }>;
    expect(properties['ghostline.completion.debounceMs']).toMatchObject({
      type: 'integer',
      default: defaultConfig().completion.debounceMs,
      minimum: 0,
      maximum: 2000,
    });
    expect(properties['ghostline.cache.redisUrl']).toMatchObject({ type: ['string', 'null'], default: null });
    expect(properties['ghostline.server.path']).toMatchObject({ type: 'string', default: 'ghostline' });
    // VS Code needs a default for every setting; "not set" is null, which the extension never sends.
    expect(
      Object.entries(properties)
        .filter(([, p]) => !('default' in p))
        .map(([key]) => key),
    ).toEqual([]);
  });

  it("has a palette command per server action, none reusing the server's command ids", () => {
    expect([...ACTIONS].sort()).toEqual([...SERVER_ACTIONS].sort());
    const ids = (manifest.contributes.commands as { command: string }[]).map((c) => c.command);
    for (const action of SERVER_ACTIONS) expect(ids).toContain(`ghostline.vscode.${action}`);
    // vscode-languageclient registers each executeCommandProvider id as a global command.
    for (const serverId of Object.values(Commands)) expect(ids).not.toContain(serverId);
    expect(manifest.engines.vscode).toBe('^1.91.0');
    expect(manifest.devDependencies['@types/vscode']).toMatch(/1\.91/);
  });
});

describe('building the VS Code extension', { timeout: 240_000 }, () => {
  beforeAll(() => {
    if (!existsSync(join(EXTENSION, 'node_modules/.package-lock.json'))) {
      execFileSync('npm', ['ci', '--prefix', EXTENSION, '--no-audit', '--no-fund'], {
        cwd: ROOT,
        env: ENV,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    }
  }, 240_000);

  it('type-checks against @types/vscode', () => {
    expect(() => run(['node_modules/typescript/bin/tsc', '-p', '.', '--noEmit'])).not.toThrow();
  });

  it('packages into a .vsix with the built extension and its runtime dependencies only', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'ghostline-vsix-')), 'ghostline.vsix');
    run(['node_modules/@vscode/vsce/vsce', 'package', '--allow-missing-repository', '--out', out]);
    const zip = openZip(out);
    expect(zip.names).toContain('extension.vsixmanifest');
    expect(zip.names).toContain('extension/dist/extension.js');
    expect(zip.names.some((name) => name.startsWith('extension/node_modules/vscode-languageclient/'))).toBe(true);
    expect(
      zip.names.filter(
        (name) =>
          /^extension\/(src|scripts)\//.test(name) ||
          name.includes('node_modules/typescript/') ||
          name.includes('@vscode/vsce'),
      ),
    ).toEqual([]);
    const packaged = JSON.parse(zip.read('extension/package.json').toString('utf8'));
    expect(packaged.contributes.configuration).toEqual(contributedConfiguration());
    expect(packaged.main).toBe('./dist/extension.js');
    const code = zip.read('extension/dist/extension.js').toString('utf8');
    expect(code).toContain('require("vscode-languageclient/node")');
    expect(code).toContain('ghostline.vscode.setApiKey');
  });
});
