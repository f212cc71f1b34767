/**
 * Micro-benchmarks of ghostline alone, against a model server that answers at once: cold start
 * to the initialize response, memory with many large open documents, completion overhead with
 * those documents open, a cache-hit round trip over stdio, and the bare JSON-RPC round trip.
 */
import type { CompletionList } from 'vscode-languageserver-protocol/node';
import { BenchClient } from './client.ts';
import type { CorpusFile } from './corpus.ts';
import { BenchModel, INSTANT } from './model.ts';
import { serverEnv } from './replay.ts';
import { mulberry32 } from '../test/fake-openai/rng.ts';
import { round, summarize, type Summary } from './stats.ts';
import { startup, type StartupResult } from './startup.ts';

const MB = 1024 * 1024;

/**
 * Completions a fresh server answers before overhead is recorded: the first ones pay for JIT
 * compilation and lazily built regular expressions (reported separately as warm-up).
 */
export const WARMUP = 40;

export interface MicroOptions {
  corpus: CorpusFile[];
  seed: number;
  coldStarts: number;
  /** Starts of ghostline and of the reference server each, alternating (median of these). */
  referenceStarts: number;
  documents: number;
  linesPerDocument: number;
  overheadRequests: number;
  cachePositions: number;
  cacheRounds: number;
  env?: Record<string, string>;
}

export interface MicroResult {
  /** ghostline against bench/reference-server.ts: spawn → initialize and RSS after initialize. */
  startup: StartupResult;
  coldStartMs: Summary;
  /** First completion after initialize (loads the tokenizer and the HTTP client). */
  firstCompletionMs: Summary;
  documents: number;
  linesPerDocument: number;
  documentTextMB: number | null;
  rssBeforeOpenMB: number | null;
  rssAfterOpenMB: number | null;
  peakRssMB: number | null;
  /** Ghostline's time per completion with the documents open: round trip minus the model's time. */
  completionOverheadMs: Summary;
  /** The same for the first WARMUP completions of the process, not part of the figure above. */
  warmupOverheadMs: Summary;
  /** Completion answered from the cache, measured at the client over stdio. */
  cacheHitRoundTripMs: Summary;
  cacheHitAnswers: number;
  /** workspace/executeCommand ghostline.stats: the JSON-RPC and pipe cost alone. */
  rpcRoundTripMs: Summary;
}

/** A document of `lines` lines of real code: the file's lines repeated from a shifted start. */
export function makeDocument(file: CorpusFile, index: number, lines: number): string {
  const source = file.text.split('\n');
  const out = [`// ghostline bench document ${index}`];
  for (let i = 0; out.length < lines; i++) out.push(source[(index * 37 + i) % source.length]!);
  return `${out.join('\n')}\n`;
}

function lineEnd(text: string, line: number): { line: number; character: number } {
  const lines = text.split('\n');
  return { line, character: (lines[line] ?? '').length };
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T; sentAt: number; doneAt: number }> {
  const sentAt = performance.now();
  const value = await work();
  const doneAt = performance.now();
  return { ms: doneAt - sentAt, value, sentAt, doneAt };
}

export interface OpenDoc {
  uri: string;
  text: string;
  languageId: string;
}

/** Opens `count` documents of real code and waits until the server has handled them all. */
export async function openDocuments(
  client: BenchClient,
  corpus: CorpusFile[],
  count: number,
  lines: number,
): Promise<{ docs: OpenDoc[]; textBytes: number }> {
  const docs: OpenDoc[] = [];
  let textBytes = 0;
  for (let i = 0; i < count; i++) {
    const file = corpus[i % corpus.length]!;
    const text = makeDocument(file, i, lines);
    const uri = `file:///bench/many/doc${i}${file.path.slice(file.path.lastIndexOf('.'))}`;
    docs.push({ uri, text, languageId: file.languageId });
    textBytes += Buffer.byteLength(text);
    await client.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: file.languageId, version: 1, text },
    });
  }
  // Requests are answered in order, so this returns once every didOpen was handled.
  await client.stats();
  return { docs, textBytes };
}

/**
 * Sequential invoked completions at line ends of random open documents (seeded), each one model
 * call: ghostline's overhead is the round trip minus the model server's time for the call, counted
 * from the arrival of its headers (the fake server's JSON parsing and o200k count of the prompt
 * grow with the prompt and are not ghostline's).
 */
export async function measureCompletions(
  client: BenchClient,
  model: BenchModel,
  docs: OpenDoc[],
  count: number,
  seed: number,
  warmup = WARMUP,
): Promise<{ overhead: number[]; tokens: number[]; warmupOverhead: number[] }> {
  const random = mulberry32(seed);
  const overhead: number[] = [];
  const warmupOverhead: number[] = [];
  let first = model.calls.length;
  for (let i = 0; i < warmup + count; i++) {
    if (i === warmup) first = model.calls.length;
    const doc = docs[Math.floor(random() * docs.length)]!;
    const lines = doc.text.split('\n').length;
    const line = 50 + Math.floor(random() * Math.max(1, lines - 100));
    const params = { textDocument: { uri: doc.uri }, position: lineEnd(doc.text, line), context: { triggerKind: 1 } };
    const callsBefore = model.calls.length;
    const t = await timed(() => client.connection.sendRequest<CompletionList>('textDocument/completion', params));
    await new Promise((resolve) => setImmediate(resolve));
    const call = model.calls[callsBefore];
    if (call?.endedAt !== undefined && model.calls.length === callsBefore + 1)
      (i < warmup ? warmupOverhead : overhead).push(t.ms - (call.endedAt - call.receivedAt));
  }
  model.countTokens();
  const tokens = model.calls.slice(first).flatMap((c) => (c.promptTokens === undefined ? [] : [c.promptTokens]));
  return { overhead, tokens, warmupOverhead };
}

export async function coldStarts(
  count: number,
  modelUrl: string,
  env: Record<string, string>,
): Promise<{ init: number[]; first: number[] }> {
  const init: number[] = [];
  const first: number[] = [];
  for (let i = 0, failures = 0; i < count; i++) {
    const started = performance.now();
    const client = BenchClient.start(serverEnv(modelUrl, env));
    try {
      try {
        await client.initialize(false, 'bench-cold-start');
      } catch (error) {
        // A start that overlapped a rebuild of dist/ is retried once, not measured.
        if (++failures > 1) throw new Error(`ghostline did not start: ${client.died ?? String(error)}`);
        i--;
        continue;
      }
      init.push(performance.now() - started);
      const uri = 'file:///bench/cold/start.ts';
      await client.connection.sendNotification('textDocument/didOpen', {
        textDocument: { uri, languageId: 'typescript', version: 1, text: `const value${i} = \n` },
      });
      const t = await timed(() =>
        client.connection.sendRequest('textDocument/completion', {
          textDocument: { uri },
          position: { line: 0, character: 15 + String(i).length },
          context: { triggerKind: 1 },
        }),
      );
      first.push(t.ms);
    } finally {
      await client.shutdown();
    }
  }
  return { init, first };
}

export async function micro(options: MicroOptions): Promise<MicroResult> {
  const model = await BenchModel.start({ latency: INSTANT, seed: options.seed, fixed: 'value + 1;' });
  const env = options.env ?? {};
  try {
    // Zero starts (`--only micro`) skips start-up entirely, zero documents (`--only startup`) the rest.
    const startupResult =
      options.referenceStarts > 0 ? await startup(options.referenceStarts, model.url, env) : notMeasured();
    const cold = await coldStarts(options.coldStarts, model.url, env);
    const { client } = await BenchClient.started(serverEnv(model.url, env), false, 'bench-micro');
    try {
      const rpc: number[] = [];
      for (let i = 0; i < 50; i++) rpc.push((await timed(() => client.stats())).ms);
      const before = client.memory();
      if (options.documents === 0) {
        return {
          ...emptyDocumentsPart(options),
          startup: startupResult,
          coldStartMs: summarize(cold.init, 1),
          firstCompletionMs: summarize(cold.first, 1),
          rssBeforeOpenMB: round(before.rss / MB, 1),
          rpcRoundTripMs: summarize(rpc, 3),
        };
      }
      const { docs, textBytes } = await openDocuments(
        client,
        options.corpus,
        options.documents,
        options.linesPerDocument,
      );
      const after = client.memory();
      const { overhead, warmupOverhead } = await measureCompletions(
        client,
        model,
        docs,
        options.overheadRequests,
        options.seed,
      );

      // Positions on different lines, more than the typed-ahead memory holds (8 per document), so
      // a repeated request misses typed-ahead and is answered from the cache.
      const cacheDoc = docs[0]!;
      const positions = Array.from({ length: options.cachePositions }, (_, k) => lineEnd(cacheDoc.text, 100 + k * 7));
      const ask = (position: { line: number; character: number }) =>
        client.connection.sendRequest<CompletionList>('textDocument/completion', {
          textDocument: { uri: cacheDoc.uri },
          position,
          context: { triggerKind: 1 },
        });
      for (const position of positions) await ask(position);
      const cacheHits: number[] = [];
      let cacheAnswers = 0;
      for (let round = 0; round < options.cacheRounds; round++) {
        for (const position of positions) {
          const t = await timed(() => ask(position));
          const source = (t.value.items[0]?.command?.arguments?.[0] as { source?: string } | undefined)?.source;
          if (source === 'cache') {
            cacheAnswers++;
            cacheHits.push(t.ms);
          }
        }
      }
      const peak = client.memory().peak;
      return {
        startup: startupResult,
        coldStartMs: summarize(cold.init, 1),
        firstCompletionMs: summarize(cold.first, 1),
        documents: options.documents,
        linesPerDocument: options.linesPerDocument,
        documentTextMB: round(textBytes / MB, 1),
        rssBeforeOpenMB: round(before.rss / MB, 1),
        rssAfterOpenMB: round(after.rss / MB, 1),
        peakRssMB: round(peak / MB, 1),
        completionOverheadMs: summarize(overhead, 3),
        warmupOverheadMs: summarize(warmupOverhead, 3),
        cacheHitRoundTripMs: summarize(cacheHits, 3),
        cacheHitAnswers: cacheAnswers,
        rpcRoundTripMs: summarize(rpc, 3),
      };
    } finally {
      await client.shutdown();
    }
  } finally {
    await model.close();
  }
}

function notMeasured(): StartupResult {
  const side = { initializeMs: summarize([]), rssAfterInitializeMB: summarize([]) };
  return { starts: 0, ghostline: side, reference: side, ratio: null };
}

function emptyDocumentsPart(options: MicroOptions) {
  return {
    documents: 0,
    linesPerDocument: options.linesPerDocument,
    documentTextMB: null,
    rssAfterOpenMB: null,
    peakRssMB: null,
    completionOverheadMs: summarize([]),
    warmupOverheadMs: summarize([]),
    cacheHitRoundTripMs: summarize([]),
    cacheHitAnswers: 0,
  };
}
