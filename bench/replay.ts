/**
 * Replays typing under one editor pattern in real time: a fresh server and model server per
 * profile, each corpus segment opened, retyped key by key on the typing model's schedule, left
 * idle for a final pause until every request is answered, then closed.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import type { InitializeResult } from 'vscode-languageserver-protocol/node';
import { BenchClient } from './client.ts';
import type { CorpusFile, Segment } from './corpus.ts';
import { createEditor, type EditorName } from './editors.ts';
import { BenchModel, type ModelCall } from './model.ts';
import { EditSession } from './session.ts';
import { startTabbyShim, tabbyAgentHome, tabbyAgentScript, type TabbyShim } from './tabby-shim.ts';
import { typeSegment, type Keystroke } from './typing.ts';
import type { LatencyModel } from '../test/fake-openai/server.ts';
import type { AnswerStyle } from '../test/fake-openai/styles.ts';

export interface ReplayOptions {
  editor: EditorName;
  corpus: CorpusFile[];
  /** Documents to retype in order; may be endless when `deadline` is set. */
  segments: Iterable<Segment>;
  /** performance.now() after which no new document starts. */
  deadline?: number;
  seed: number;
  latency: Record<string, LatencyModel>;
  /** How the fake model shapes its answers (default clean). */
  style?: AnswerStyle;
  /** Extra server environment, e.g. GHOSTLINE_COMPLETION__DEBOUNCE_MS for a sweep. */
  env?: Record<string, string>;
  /** Idle time after the last key of a document before it closes. */
  finalPauseMs?: number;
  /**
   * Runs the server with debug logs to a file and gives each request the server's account of it
   * (outcome, why it was empty), to attribute unsaved characters (profile-metrics.ts `lossBreakdown`).
   */
  explain?: boolean;
  /** Called once the server is initialized, e.g. to sample its memory in a soak. */
  onStart?: (client: BenchClient) => void;
  /**
   * The server typed against: ghostline (default), the plain pipeline (bench/plain-server.ts), or
   * Tabby's agent (`tabby-agent --lsp --stdio`) in front of bench/tabby-shim.ts. Tabby's agent serves
   * only `textDocument/completion`, so it cannot run under the VS Code (inline) pattern.
   */
  server?: 'ghostline' | 'plain' | 'tabby';
}

/** The plain pipeline's script, run with the same Node as the benchmark. */
const PLAIN_SERVER = fileURLToPath(new URL('./plain-server.ts', import.meta.url));

export interface ReplayedSegment {
  session: EditSession;
  keys: Keystroke[];
  /** performance.now() when the final pause ended. */
  endedAt: number;
}

export interface ReplayRun {
  editor: EditorName;
  style: AnswerStyle;
  description: string;
  segments: ReplayedSegment[];
  calls: ModelCall[];
  stats: Record<string, number>;
  peakRss: number;
  finalRss: number;
  durationMs: number;
}

/** Environment that points the server at the model server with a dummy key and quiet logs. */
export function serverEnv(modelUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return { OPENAI_API_KEY: 'sk-bench-0000', OPENAI_BASE_URL: modelUrl, ...extra };
}

async function sleepUntil(at: number): Promise<void> {
  const wait = at - performance.now();
  if (wait > 0) await sleep(wait);
}

export async function replay(options: ReplayOptions): Promise<ReplayRun> {
  const started = performance.now();
  const tabbyAgent = options.server === 'tabby' ? tabbyAgentScript() : undefined;
  if (options.server === 'tabby') {
    if (!tabbyAgent) throw new Error('tabby-agent is not installed (npm ci installs it as a dev dependency)');
    if (options.editor === 'vscode')
      throw new Error("tabby-agent's LSP mode serves no textDocument/inlineCompletion: no VS Code pattern for it");
  }
  const model = await BenchModel.start({
    latency: options.latency,
    seed: options.seed,
    ...(options.style ? { style: options.style } : {}),
  });
  for (const file of options.corpus) model.oracle.register(file.path, file.text);
  let client: BenchClient;
  let init: InitializeResult;
  const logDir = options.explain ? mkdtempSync(join(tmpdir(), 'ghostline-explain-')) : undefined;
  const logFile = logDir ? join(logDir, 'server.log') : undefined;
  const segments: ReplayedSegment[] = [];
  let env = logFile
    ? { ...options.env, GHOSTLINE_LOG_LEVEL: 'debug', GHOSTLINE_LOG_FILE: logFile }
    : (options.env ?? {});
  // Tabby's agent talks to the shim, which asks the fake model; its HOME holds the shim's address.
  let shim: TabbyShim | undefined;
  let tabbyHome: string | undefined;
  try {
    if (tabbyAgent) {
      shim = await startTabbyShim({ modelUrl: model.url });
      tabbyHome = tabbyAgentHome(shim.url);
      env = { ...env, HOME: tabbyHome, XDG_CONFIG_HOME: join(tabbyHome, '.config') };
    }
    ({ client, init } = await BenchClient.started(
      serverEnv(model.url, env),
      options.editor === 'vscode',
      `bench-${options.editor}`,
      null,
      options.server === 'plain'
        ? [PLAIN_SERVER, '--stdio']
        : tabbyAgent
          ? [tabbyAgent, '--lsp', '--stdio']
          : undefined,
    ));
  } catch (error) {
    await shim?.close();
    if (tabbyHome) rmSync(tabbyHome, { recursive: true, force: true });
    await model.close();
    throw error;
  }
  try {
    const editor = createEditor(options.editor, init.capabilities.completionProvider?.triggerCharacters ?? []);
    options.onStart?.(client);
    let index = 0;
    for (const segment of options.segments) {
      if (options.deadline !== undefined && performance.now() >= options.deadline) break;
      index++;
      const session = new EditSession(client, segment);
      const keys = typeSegment(segment.typed, options.seed * 1000 + index);
      const firstCall = model.calls.length;
      await session.open();
      await sleep(200);
      const t0 = performance.now();
      for (const key of keys) {
        await sleepUntil(t0 + key.atMs);
        await session.apply(key);
        editor.keystroke(session, key);
      }
      await sleep(options.finalPauseMs ?? 1500);
      const deadline = performance.now() + 15_000;
      while ((editor.waiting || session.pending.length > 0) && performance.now() < deadline) await sleep(20);
      editor.stop();
      // A Tabby server is not told the file's path (the agent sends none without a workspace):
      // the calls made while this document was typed are its calls.
      for (const call of model.calls.slice(firstCall)) if (call.path === '') call.path = segment.file.path;
      segments.push({ session, keys, endedAt: performance.now() });
      await session.close();
      model.countTokens();
    }
    // Tabby's agent has no counters command; the shim counts the model calls it made.
    const stats = shim ? shim.stats() : await client.stats();
    const memory = client.memory();
    // Let the last HTTP responses settle so every call has an end time.
    await sleep(50);
    model.countTokens();
    return {
      editor: options.editor,
      style: options.style ?? 'clean',
      description: editor.description,
      segments,
      calls: model.calls,
      stats,
      peakRss: memory.peak,
      finalRss: memory.rss,
      durationMs: performance.now() - started,
    };
  } catch (error) {
    throw new Error(`replay ${options.editor} failed: ${String(error)}\nserver stderr:\n${client.stderrTail}`);
  } finally {
    await client.shutdown();
    await shim?.close();
    if (tabbyHome) rmSync(tabbyHome, { recursive: true, force: true });
    await model.close();
    if (logFile) {
      attachOutcomes(segments, logFile);
      rmSync(logDir!, { recursive: true, force: true });
    }
  }
}

/** Gives each request the outcome the server logged for it (matched by document, version, offset and task). */
function attachOutcomes(segments: readonly ReplayedSegment[], logFile: string): void {
  let text = '';
  try {
    text = readFileSync(logFile, 'utf8');
  } catch {
    return;
  }
  const outcomes = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    if (!line.includes('"event":"outcome"')) continue;
    const entry = JSON.parse(line) as {
      uri: string;
      version: number;
      offset: number;
      task: string;
      kind: string;
      reason?: string;
    };
    const key = `${entry.uri}|${entry.version}|${entry.offset}|${entry.task}`;
    const list = outcomes.get(key) ?? [];
    list.push(entry.kind === 'empty' ? `empty: ${entry.reason ?? '?'}` : entry.kind);
    outcomes.set(key, list);
  }
  for (const { session } of segments) {
    for (const record of session.records) {
      const key = `${session.uri}|${record.version}|${record.cursor}|${record.method}`;
      record.serverOutcome = outcomes.get(key)?.shift();
    }
  }
}
