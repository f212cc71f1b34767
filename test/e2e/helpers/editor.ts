/**
 * Runs a real editor (headless Neovim or batch Emacs) against the built server and the fake
 * OpenAI server: a scratch project with the files a scenario edits, an isolated HOME, and the
 * JSON file the editor-side script writes its observations to.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
export const SERVER_CMD = [process.execPath, join(ROOT, 'bin', 'ghostline.js'), '--stdio'];

export interface EditorRun {
  ok: boolean;
  error?: string;
  observations: Record<string, any>;
  log: string[];
  /** The editor's own stdout and stderr, for failure messages. */
  output: string;
  exitCode: number | null;
  dir: string;
}

export interface Project {
  dir: string;
  home: string;
  path(name: string): string;
}

const projects: string[] = [];

/** A scratch project (with a .git marker, so it is its own root) holding `files`. */
export function makeProject(files: Record<string, string>): Project {
  const dir = mkdtempSync(join(tmpdir(), 'ghostline-e2e-'));
  projects.push(dir);
  mkdirSync(join(dir, '.git'));
  const home = join(dir, '.home');
  mkdirSync(join(home, '.config'), { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return { dir, home, path: (name) => join(dir, name) };
}

export interface RunOptions {
  command: string;
  args: string[];
  project: Project;
  env: Record<string, string>;
  /** Kill the editor after this long (a hung editor must not hang the suite). */
  timeoutMs?: number;
}

/** Deletes the scratch projects made so far (call from afterAll). */
export function removeProjects(): void {
  for (const dir of projects.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Runs the editor to completion and reads the observations its script wrote. */
export async function runEditor(options: RunOptions): Promise<EditorRun> {
  const resultPath = join(options.project.dir, '.result.json');
  const child = spawn(options.command, options.args, {
    cwd: options.project.dir,
    env: {
      PATH: process.env.PATH,
      HOME: options.project.home,
      XDG_CONFIG_HOME: join(options.project.home, '.config'),
      XDG_DATA_HOME: join(options.project.home, '.local', 'share'),
      XDG_STATE_HOME: join(options.project.home, '.local', 'state'),
      XDG_CACHE_HOME: join(options.project.home, '.cache'),
      TERM: 'xterm-256color',
      GHOSTLINE_E2E_RESULT: resultPath,
      ...options.env,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
  const exitCode = await new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  clearTimeout(timer);
  const base = { output, exitCode, dir: options.project.dir };
  if (!existsSync(resultPath)) {
    return { ok: false, error: `the editor wrote no result (exit ${exitCode})`, observations: {}, log: [], ...base };
  }
  const parsed = JSON.parse(readFileSync(resultPath, 'utf8')) as Omit<EditorRun, 'output' | 'exitCode' | 'dir'>;
  return { ...parsed, observations: parsed.observations ?? {}, log: parsed.log ?? [], ...base };
}

/** A failure message that carries what the editor printed and its own error. */
export function describeRun(run: EditorRun): string {
  return `editor run failed: ${run.error ?? 'unknown'}\n--- observations ---\n${JSON.stringify(run.observations, null, 1)}\n--- editor output ---\n${run.output.slice(-4000)}\n--- log ---\n${run.log.join('\n')}`;
}
