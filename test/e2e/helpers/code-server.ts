/**
 * VS Code in a browser for the end-to-end test: code-server (VS Code 1.139, installed and cached by
 * .ci/install-code-server) on a free local port with its own user-data and extensions directories,
 * driven by Debian's Chromium through playwright-core. Nothing here is a stand-in: the workbench,
 * the extension host, vscode-languageclient and the TypeScript extension are the real ones.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { ROOT } from './editor.ts';
import { CHROMIUM_ARGS } from '../../helpers/chromium.ts';

export const CHROMIUM = process.env.GHOSTLINE_CHROMIUM ?? '/usr/bin/chromium';

/**
 * The code-server entry script. Runs the install script, which returns the cached install at once
 * and otherwise installs it (about 2 minutes): a missing code-server fails the test, never skips it.
 */
export function codeServerEntry(): string {
  const bin = execFileSync(join(ROOT, '.ci/install-code-server'), {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 15 * 60_000,
  })
    .trim()
    .split('\n')
    .at(-1)!;
  return realpathSync(bin);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface CodeServer {
  url: string;
  /** What code-server printed, for failure messages. */
  output(): string;
  close(): Promise<void>;
}

export interface CodeServerOptions {
  entry: string;
  /** Directory for user data, extensions and HOME. */
  dir: string;
  /** The user's settings.json. */
  settings: Record<string, unknown>;
  env: Record<string, string>;
  /** A .vsix to install before starting. */
  vsix: string;
}

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const userData = join(options.dir, 'user-data');
  const extensions = join(options.dir, 'extensions');
  const home = join(options.dir, 'home');
  mkdirSync(join(userData, 'User'), { recursive: true });
  mkdirSync(extensions, { recursive: true });
  mkdirSync(home, { recursive: true });
  writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify(options.settings, null, 2));
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_DATA_HOME: join(home, '.local', 'share'),
    XDG_CACHE_HOME: join(home, '.cache'),
    SHELL: '/bin/sh',
    ...options.env,
  };
  const common = ['--user-data-dir', userData, '--extensions-dir', extensions];
  // The packaged extension, installed the way docs/clients.md tells a user to.
  execFileSync(process.execPath, [options.entry, ...common, '--install-extension', options.vsix], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 120_000,
  });
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [
      options.entry,
      ...common,
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--ignore-last-opened',
    ],
    { env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const check = () => {
      if (output.includes('HTTP server listening')) resolve();
    };
    child.stdout!.on('data', check);
    child.stderr!.on('data', check);
    void exited.then(() => reject(new Error(`code-server exited before listening:\n${output}`)));
  });
  return {
    url: `http://127.0.0.1:${port}/`,
    output: () => output,
    async close() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

/** Headless Chromium with a fresh profile and nothing running in the background. */
export async function launchBrowser(profileDir: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: CHROMIUM_ARGS,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return { context, page };
}
