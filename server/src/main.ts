/**
 * Composition root and command line: `ghostline --stdio` serves LSP; `ghostline doctor`,
 * `ghostline complete FILE:LINE:COL` and `ghostline stats` are for people at a shell and for scripts.
 */
import { parseArgs } from 'node:util';
import { print, printError } from './cli/print.ts';
import { serve } from './lsp/server.ts';
import { VERSION } from './version.ts';

const HELP = `ghostline ${VERSION} — an AI language server backed by OpenAI models

Usage:
  ghostline --stdio [--log-file PATH]     serve the Language Server Protocol on stdin/stdout
  ghostline doctor                        check configuration, API key, model endpoint and Redis
  ghostline complete FILE:LINE:COL        print one completion (1-based line and column)
  ghostline complete FILE:LINE:COL --show-context
                                          print the prompt input that completion would send
                                          (repository snippets, file window; redacted), no model call
  ghostline stats [--days N | --range 7d|30d|90d] [--json]
                                          the team's cache hit rate, savings, spend, suggestions and errors
  ghostline dashboard [--port N]          a read-only dashboard on 127.0.0.1 (charts, JSON, Prometheus)
  ghostline --version | --help

Options:
  --stdio                 speak LSP over stdin/stdout (what editors start)
  --log-file PATH         write logs to PATH instead of stderr
  --clientProcessId PID   exit when the editor process PID dies
  --language ID           (complete) language id, default from the file extension

Environment: OPENAI_API_KEY, OPENAI_BASE_URL, OPENAI_ORG_ID, OPENAI_PROJECT_ID, REDIS_URL,
GHOSTLINE_LOG_LEVEL, GHOSTLINE_LOG_FILE, GHOSTLINE_<SECTION>__<KEY> (see docs/configuration.md).
`;

/** The command line; unknown options are tolerated (editors add their own, e.g. --socket). */
function parse(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: false,
    options: {
      stdio: { type: 'boolean' },
      'node-ipc': { type: 'boolean' },
      socket: { type: 'string' },
      'log-file': { type: 'string' },
      clientProcessId: { type: 'string' },
      language: { type: 'string' },
      days: { type: 'string' },
      range: { type: 'string' },
      port: { type: 'string' },
      json: { type: 'boolean' },
      'show-context': { type: 'boolean' },
      version: { type: 'boolean', short: 'v' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  return {
    values: {
      ...values,
      logFile: text(values['log-file']),
      language: text(values.language),
      days: text(values.days),
      range: text(values.range),
      port: text(values.port),
    },
    command: positionals[0],
    target: positionals[1],
  };
}

async function main(argv: string[]): Promise<number | undefined> {
  const { values, command, target } = parse(argv);
  if (values.version) {
    print(VERSION);
    return 0;
  }
  if (values.help) {
    print(HELP);
    return 0;
  }
  // The shell commands load when they run (import() stays lazy in the bundle): the language server
  // never pays for the dashboard's node:http and node:crypto, nor for the others' code.
  if (command === 'doctor') return (await import('./cli/doctor.ts')).runDoctor(process.env);
  if (command === 'stats') {
    const days =
      values.range !== undefined ? Number(/^(\d+)d?$/.exec(values.range)?.[1] ?? NaN) : Number(values.days ?? 1);
    if (!Number.isInteger(days) || days < 1 || days > 90) {
      printError('usage: ghostline stats [--days N (1-90) | --range 7d|30d|90d] [--json]');
      return 2;
    }
    return (await import('./cli/stats.ts')).runStats(process.env, { days, json: values.json === true });
  }
  if (command === 'dashboard') {
    const port = Number(values.port ?? 0);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      printError('usage: ghostline dashboard [--port N (0-65535, 0 picks a free port)]');
      return 2;
    }
    return (await import('./cli/dashboard.ts')).runDashboard(process.env, { port });
  }
  if (command === 'complete') {
    if (!target) {
      printError('usage: ghostline complete FILE:LINE:COL');
      return 2;
    }
    return (await import('./cli/complete.ts')).runComplete(target, {
      env: process.env,
      language: values.language,
      logFile: values.logFile,
      showContext: values['show-context'] === true,
    });
  }
  if (values.stdio || values['node-ipc'] || values.socket !== undefined) {
    process.on('unhandledRejection', (reason) =>
      process.stderr.write(`ghostline: unhandled rejection: ${String(reason)}\n`),
    );
    serve({ env: process.env, logFile: values.logFile, stdio: values.stdio === true });
    return undefined;
  }
  printError(HELP);
  return 2;
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
