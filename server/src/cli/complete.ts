/**
 * `ghostline complete FILE:LINE:COL`: one completion through the whole pipeline (config, router,
 * provider, post-processing), printed to stdout. Line and column are 1-based; the column counts
 * characters (UTF-16 code units) as editors do. With `--show-context` it prints, without calling
 * a model, the prompt input that completion would send: the repository snippets and the file
 * window, after redaction — what leaves the machine.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { compose, type Services } from '../compose.ts';
import { createLogger } from '../telemetry/logger.ts';
import { languageIdOf } from '../context/languages.ts';
import { print, printError } from './print.ts';

export interface CompleteOptions {
  env: NodeJS.ProcessEnv;
  language?: string | undefined;
  logFile?: string | undefined;
  /** Print the prompt input that would be sent (repository context included) instead of completing. */
  showContext?: boolean;
}

/** Splits `path:line:col` from the right, so paths containing ':' still work. */
export function parseTarget(target: string): { path: string; line: number; column: number } | undefined {
  const match = /^(.*):(\d+):(\d+)$/.exec(target);
  if (!match) return undefined;
  return { path: match[1]!, line: Number(match[2]), column: Number(match[3]) };
}

export function offsetOf(text: string, line: number, column: number): number | undefined {
  let offset = 0;
  for (let current = 1; current < line; current++) {
    const next = text.indexOf('\n', offset);
    if (next < 0) return undefined;
    offset = next + 1;
  }
  const end = text.indexOf('\n', offset);
  const lineLength = (end < 0 ? text.length : end) - offset;
  return offset + Math.min(Math.max(column - 1, 0), lineLength);
}

export async function runComplete(target: string, options: CompleteOptions): Promise<number> {
  const parsed = parseTarget(target);
  if (!parsed) {
    printError(`ghostline complete: expected FILE:LINE:COL, got "${target}"`);
    return 2;
  }
  let text: string;
  try {
    text = readFileSync(parsed.path, 'utf8');
  } catch (error) {
    printError(`ghostline complete: cannot read ${parsed.path}: ${(error as Error).message}`);
    return 2;
  }
  const offset = offsetOf(text, parsed.line, parsed.column);
  if (offset === undefined) {
    printError(`ghostline complete: ${parsed.path} has no line ${parsed.line}`);
    return 2;
  }
  const messages: string[] = [];
  const level = options.env.GHOSTLINE_LOG_LEVEL ?? 'warn';
  const uri = `file://${resolve(parsed.path)}`;
  const composition = compose({
    env: options.env,
    workspaceRoot: process.cwd(),
    logger: createLogger({ level, file: options.logFile }),
    report: (_severity, message) => messages.push(message),
    // The file is the one open document: its imports are resolved and outlined before completing.
    documentText: (asked) => (asked === uri ? { text, version: 0 } : undefined),
  });
  try {
    return await completeWith(composition.services, parsed.path, text, offset, options, messages);
  } finally {
    await composition.close();
  }
}

async function completeWith(
  app: Services,
  file: string,
  text: string,
  offset: number,
  options: CompleteOptions,
  messages: string[],
): Promise<number> {
  const path = resolve(file);
  const uri = `file://${path}`;
  const languageId = options.language ?? languageIdOf(path);
  const request = {
    uri,
    path,
    languageId,
    version: 0,
    text,
    offset,
    task: 'completion' as const,
    automatic: false,
    signal: new AbortController().signal,
  };
  app.indexer.opened(uri, path, languageId, 0);
  await app.indexer.flush(uri);
  if (options.showContext) {
    const preview = app.engine.previewPrompt(request);
    if ('refused' in preview) {
      printError(`ghostline complete: nothing would be sent: ${preview.refused}`);
      return 0;
    }
    printError(
      `ghostline: context from ${preview.contextFiles.length === 0 ? 'no other file' : preview.contextFiles.join(', ')}; about ${preview.promptTokens} prompt tokens with the instructions`,
    );
    print(preview.input);
    return 0;
  }
  if (!app.hasCredentials()) {
    printError(
      'ghostline complete: no API key. Set OPENAI_API_KEY, or OPENAI_BASE_URL for a local OpenAI-compatible server. Run `ghostline doctor`.',
    );
    return 1;
  }
  const outcome = await app.engine.suggest(request);
  for (const message of messages) printError(`${message}`);
  if (outcome.kind === 'ok') {
    print(outcome.text);
    return 0;
  }
  printError(`ghostline complete: no suggestion (${outcome.kind === 'empty' ? outcome.reason : outcome.kind})`);
  return outcome.kind === 'empty' && outcome.reason.startsWith('model error') ? 1 : 0;
}
