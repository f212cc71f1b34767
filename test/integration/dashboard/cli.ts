/**
 * The dashboard and `ghostline stats` as a user runs them: real child processes of the built CLI.
 * `startDashboardCli` waits for the printed URL; the process is killed when the test ends.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { BIN, ROOT } from '../../helpers/lsp-client.ts';
export { CHROMIUM_ARGS } from '../../helpers/chromium.ts';

/** Screenshots of the page, kept after the run (git-ignored). */
export const ARTIFACTS = join(ROOT, 'test', 'artifacts', 'dashboard');

export interface DashboardProcess {
  url: string;
  origin: string;
  token: string;
  port: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

export function startDashboardCli(env: Record<string, string>, args: string[] = []): Promise<DashboardProcess> {
  const child = spawn(process.execPath, [BIN, 'dashboard', ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the dashboard printed no URL within 20 s; stdout: ${stdout} stderr: ${stderr}`));
    }, 20_000);
    child.on('exit', (code) => reject(new Error(`the dashboard exited with ${code}: ${stderr}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /open (http:\/\/127\.0\.0\.1:(\d+)\/\?token=([\w-]+))/.exec(stdout);
      if (!match) return;
      clearTimeout(timer);
      const url = match[1]!;
      resolve({
        url,
        origin: new URL(url).origin,
        token: match[3]!,
        port: Number(match[2]),
        child,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}

export function runStats(
  env: Record<string, string>,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, 'stats', ...args],
      { cwd: ROOT, env: { PATH: process.env.PATH, ...env }, timeout: 20_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}
