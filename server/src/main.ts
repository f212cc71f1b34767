/**
 * Composition root and command line: `ghostline --stdio` serves LSP; `ghostline doctor`,
 * `ghostline complete FILE:LINE:COL` and `ghostline stats` are for people at a shell and for scripts.
 */
import { closeAllApps } from './app.ts';
import { runComplete } from './cli/complete.ts';
import { runDoctor } from './cli/doctor.ts';
import { print, printError } from './cli/print.ts';
import { runStats } from './cli/stats.ts';
import { serve } from './lsp/server.ts';
import { VERSION } from './version.ts';

const HELP = `ghostline ${VERSION} — an AI language server backed by OpenAI models

Usage:
  ghostline --stdio [--log-file PATH]     serve the Language Server Protocol on stdin/stdout
  ghostline doctor                        check configuration, API key, model endpoint and Redis
  ghostline complete FILE:LINE:COL        print one completion (1-based line and column)
  ghostline stats [--days N] [--json]     the team's cache hit rate, savings and spend against budget
  ghostline --version | --help

Options:
  --stdio                 speak LSP over stdin/stdout (what editors start)
  --log-file PATH         write logs to PATH instead of stderr
  --clientProcessId PID   exit when the editor process PID dies
  --language ID           (complete) language id, default from the file extension

Environment: OPENAI_API_KEY, OPENAI_BASE_URL, OPENAI_ORG_ID, OPENAI_PROJECT_ID, REDIS_URL,
GHOSTLINE_LOG_LEVEL, GHOSTLINE_LOG_FILE, GHOSTLINE_<SECTION>__<KEY> (see docs/configuration.md).
`;

function option(argv: string[], name: string): string | undefined {
  const index = argv.findIndex((a) => a === name || a.startsWith(`${name}=`));
  if (index < 0) return undefined;
  const arg = argv[index]!;
  return arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[index + 1];
}

async function main(argv: string[]): Promise<number | undefined> {
  if (argv.includes('--version') || argv.includes('-v')) {
    print(VERSION);
    return 0;
  }
  if (argv.includes('--help') || argv.includes('-h')) {
    print(HELP);
    return 0;
  }
  const logFile = option(argv, '--log-file');
  const valued = new Set(['--log-file', '--language', '--days', '--clientProcessId']);
  const [command, target] = argv.filter((a, i) => !a.startsWith('-') && !valued.has(argv[i - 1] ?? ''));
  if (command === 'doctor' || command === 'complete' || command === 'stats') {
    // One-shot commands close the Redis connections their App opened, so the process can exit.
    try {
      return await runShellCommand(command, target, argv, logFile);
    } finally {
      await closeAllApps();
    }
  }
  if (argv.includes('--stdio') || argv.some((a) => a.startsWith('--node-ipc') || a.startsWith('--socket'))) {
    process.on('unhandledRejection', (reason) => process.stderr.write(`ghostline: unhandled rejection: ${String(reason)}\n`));
    serve({ env: process.env, logFile });
    return undefined;
  }
  printError(HELP);
  return 2;
}

async function runShellCommand(command: 'doctor' | 'complete' | 'stats', target: string | undefined, argv: string[], logFile: string | undefined): Promise<number> {
  if (command === 'doctor') return runDoctor(process.env);
  if (command === 'stats') {
    const days = Number(option(argv, '--days') ?? 1);
    if (!Number.isInteger(days) || days < 1 || days > 40) {
      printError('usage: ghostline stats [--days N (1-40)] [--json]');
      return 2;
    }
    return runStats(process.env, { days, json: argv.includes('--json') });
  }
  if (!target) {
    printError('usage: ghostline complete FILE:LINE:COL');
    return 2;
  }
  return runComplete(target, { env: process.env, language: option(argv, '--language'), logFile });
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== undefined) process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`ghostline: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
