/**
 * The cross-file benchmark: retypes lines that call a function or construct a class defined in
 * another file of a real package (bench/cross-file-cases.ts), against the fake model server whose
 * oracle answers the true arguments only when the prompt holds that definition's signature. Each
 * case runs with the defining file open in a tab, with it only on disk, and with repository context
 * off (the single-file baseline). Reports the share of cases whose definition reached the prompt,
 * the share of argument characters suggested, prompt tokens per call, the cached share of input
 * tokens (the fake server's prompt cache, computed as OpenAI does), and per-keystroke time.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CompletionList } from 'vscode-languageserver-protocol/node';
import { parseCompletionInput } from '../server/src/context/prompt.ts';
import { promptInputOf } from '../test/fake-openai/oracle.ts';
import { startFakeOpenAI, type FakeOpenAI, type Script } from '../test/fake-openai/server.ts';
import { BenchClient } from './client.ts';
import { crossFilePackages, mineCases, type CrossFileCase, type PackageSource } from './cross-file-cases.ts';
import { serverEnv } from './replay.ts';
import { table, type Target } from './report.ts';
import { ratio, round, summarize, type Summary } from './stats.ts';

export type CrossFileMode = 'open' | 'disk' | 'off';

export interface CrossFileModeResult {
  mode: CrossFileMode;
  cases: number;
  /** Share of cases whose definition signature was in the prompt at the call's `(`. */
  definitionInPrompt: number | null;
  /** Share of argument characters (closing parenthesis included) the suggestion got right. */
  argumentsRight: number | null;
  /** Cases whose arguments were suggested entirely. */
  casesRight: number;
  modelCalls: number;
  promptTokensPerCall: number | null;
  /** Cached input tokens / input tokens, over every call of the session (the fake server's prompt cache). */
  cachedPrefixShare: number | null;
  /** Completion round trip per keystroke at the client, instant model (ms). */
  keystrokeMs: Summary;
  /**
   * Ghostline's own share of it: the round trip less the fake model server's time for the
   * keystroke's call (from its headers' arrival to its response's end: the server's JSON parsing
   * and o200k count of the prompt grow with the prompt and are not ghostline's); keystrokes
   * answered without a call count whole.
   */
  overheadMs: Summary;
  /** Snippets per final prompt (mean). */
  contextFiles: number;
  /** Cases whose definition did not reach the prompt (package/file:line name). */
  missed: string[];
}

export interface CrossFileResult {
  packages: { name: string; languageId: string; files: number; source: string }[];
  cases: { pkg: string; file: string; line: number; definitionFile: string; name: string }[];
  modes: CrossFileModeResult[];
}

const strip = (s: string) => s.replace(/\s+/g, '');

/** Copies the packages into a temporary workspace (real files on disk, outside node_modules). */
function workspace(packages: PackageSource[]): string {
  const root = mkdtempSync(join(tmpdir(), 'ghostline-xfile-'));
  for (const pkg of packages)
    for (const file of pkg.files) {
      const target = join(root, pkg.folder, file);
      mkdirSync(dirname(target), { recursive: true });
      cpSync(join(pkg.dir, file), target);
    }
  return root;
}

export async function crossFile(options: { cases: number; seed: number }): Promise<CrossFileResult> {
  const packages = crossFilePackages();
  const cases = mineCases(packages, options.cases, options.seed);
  const root = workspace(packages);
  const modes: CrossFileModeResult[] = [];
  try {
    for (const mode of ['open', 'disk', 'off'] as const) modes.push(await runMode(mode, cases, root));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return {
    packages: packages.map((p) => ({ name: p.name, languageId: p.languageId, files: p.files.length, source: p.dir })),
    cases: cases.map((c) => ({
      pkg: c.pkg,
      file: c.file,
      line: c.line + 1,
      definitionFile: c.definitionFile,
      name: c.name,
    })),
    modes,
  };
}

export async function runMode(mode: CrossFileMode, cases: CrossFileCase[], root: string): Promise<CrossFileModeResult> {
  const byPath = new Map<string, CrossFileCase[]>();
  for (const c of cases)
    byPath.set(join(root, c.folder, c.file), [...(byPath.get(join(root, c.folder, c.file)) ?? []), c]);
  const finals: { found: boolean }[] = [];
  let fake!: FakeOpenAI;
  /** The fake server's time per request id, once its response ended. */
  const modelMs = new Map<number, number>();
  fake = await startFakeOpenAI({
    responder: (req): Script => {
      void req.done.then(() => modelMs.set(req.id, performance.now() - req.receivedAt));
      const input = promptInputOf(req.body) ?? '';
      const prompt = parseCompletionInput(input);
      const c = prompt
        ? byPath.get(prompt.path)?.find((k) => prompt.prefix.endsWith(`\n${k.indent}${k.typed}`))
        : undefined;
      if (!prompt || !c) return { kind: 'text', text: '' };
      const found = strip(input).includes(c.signatureKey);
      finals.push({ found });
      if (process.env.XF_DEBUG && !found)
        process.stderr.write(
          `MISS ${c.file} ${c.name} key=${c.signatureKey}\n${input.slice(0, input.indexOf('<file'))}\n`,
        );
      // Without the definition a model can only guess; the guess here is an empty argument list.
      return { kind: 'text', text: found ? c.args : ')' };
    },
  });
  const env = serverEnv(fake.url, {
    GHOSTLINE_COMPLETION__DEBOUNCE_MS: '0',
    ...(mode === 'off' ? { GHOSTLINE_CONTEXT__ENABLED: 'false' } : {}),
  });
  const { client } = await BenchClient.started(env, false, `bench-cross-file-${mode}`, pathToFileURL(root).href);
  const keystrokeMs: number[] = [];
  const overheadMs: number[] = [];
  let argChars = 0;
  let argCharsRight = 0;
  let casesRight = 0;
  let found = 0;
  let contextFiles = 0;
  const missed: string[] = [];
  try {
    for (const c of cases) {
      const path = join(root, c.folder, c.file);
      const uri = pathToFileURL(path).href;
      const lines = readFileSync(path, 'utf8').replace(/\r\n/g, '\n').split('\n');
      lines[c.line] = c.indent;
      const definitionUri = pathToFileURL(join(root, c.folder, c.definitionFile)).href;
      if (mode === 'open') {
        await client.connection.sendNotification('textDocument/didOpen', {
          textDocument: {
            uri: definitionUri,
            languageId: c.languageId,
            version: 1,
            text: readFileSync(join(root, c.folder, c.definitionFile), 'utf8'),
          },
        });
      }
      await client.connection.sendNotification('textDocument/didOpen', {
        textDocument: { uri, languageId: c.languageId, version: 1, text: lines.join('\n') },
      });
      // A person opens the file and starts typing a moment later.
      await new Promise((resolve) => setTimeout(resolve, 150));
      const before = finals.length;
      let suggestion = '';
      for (let i = 0; i < c.typed.length; i++) {
        const at = { line: c.line, character: c.indent.length + i };
        await client.connection.sendNotification('textDocument/didChange', {
          textDocument: { uri, version: i + 2 },
          contentChanges: [{ range: { start: at, end: at }, text: c.typed[i] }],
        });
        const position = { line: c.line, character: at.character + 1 };
        const callsBefore = fake.requests.length;
        const sent = performance.now();
        const list = await client.connection.sendRequest<CompletionList>('textDocument/completion', {
          textDocument: { uri },
          position,
          context: { triggerKind: 1 },
        });
        const roundTrip = performance.now() - sent;
        keystrokeMs.push(roundTrip);
        // The response's end is seen a turn later than the answer it carried.
        await new Promise((resolve) => setImmediate(resolve));
        const calls = fake.requests.slice(callsBefore);
        const model = calls.reduce((sum, r) => sum + (modelMs.get(r.id) ?? Number.NaN), 0);
        if (!Number.isNaN(model)) overheadMs.push(roundTrip - model);
        const item = list?.items?.[0];
        if (i === c.typed.length - 1 && item?.textEdit && 'range' in item.textEdit)
          suggestion = item.textEdit.newText.slice(position.character - item.textEdit.range.start.character);
      }
      const final = finals[before];
      if (final?.found) found++;
      else missed.push(`${c.pkg}/${c.file}:${c.line + 1} ${c.name}`);
      let right = 0;
      while (right < c.args.length && suggestion[right] === c.args[right]) right++;
      argChars += c.args.length;
      argCharsRight += right;
      if (right === c.args.length) casesRight++;
      const lastInput = promptInputOf(fake.requests.at(-1)?.body) ?? '';
      contextFiles += parseCompletionInput(lastInput)?.snippets?.length ?? 0;
      await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
      if (mode === 'open')
        await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: definitionUri } });
    }
  } finally {
    await client.shutdown();
    await fake.close();
  }
  const calls = fake.requests;
  const input = calls.reduce((sum, r) => sum + r.usage.input, 0);
  const cached = calls.reduce((sum, r) => sum + r.usage.cached, 0);
  return {
    mode,
    cases: cases.length,
    definitionInPrompt: ratio(found, cases.length),
    argumentsRight: ratio(argCharsRight, argChars),
    casesRight,
    modelCalls: calls.length,
    promptTokensPerCall: calls.length === 0 ? null : round(input / calls.length, 0),
    cachedPrefixShare: ratio(cached, input),
    keystrokeMs: summarize(keystrokeMs),
    overheadMs: summarize(overheadMs),
    contextFiles: round(contextFiles / Math.max(1, cases.length), 2) ?? 0,
    missed,
  };
}

/** The targets for repository context, checked against a cross-file run. */
export function crossFileTargets(result: CrossFileResult | undefined): Target[] {
  const open = result?.modes.find((m) => m.mode === 'open');
  const disk = result?.modes.find((m) => m.mode === 'disk');
  const atLeast = (value: number | null | undefined, limit: number) =>
    value === null || value === undefined ? null : value >= limit;
  const atMost = (value: number | null | undefined, limit: number) =>
    value === null || value === undefined ? null : value <= limit;
  const tokens = Math.max(open?.promptTokensPerCall ?? 0, disk?.promptTokensPerCall ?? 0) || null;
  const cached =
    open && disk && open.cachedPrefixShare !== null && disk.cachedPrefixShare !== null
      ? Math.min(open.cachedPrefixShare, disk.cachedPrefixShare)
      : null;
  return [
    {
      name: 'cross-file: definition in the prompt, defining file open',
      target: '≥ 95 %',
      value: open?.definitionInPrompt ?? null,
      pass: atLeast(open?.definitionInPrompt, 0.95),
      source: 'crossFile.modes.open.definitionInPrompt',
    },
    {
      name: 'cross-file: definition in the prompt, defining file on disk only',
      target: '≥ 85 %',
      value: disk?.definitionInPrompt ?? null,
      pass: atLeast(disk?.definitionInPrompt, 0.85),
      source: 'crossFile.modes.disk.definitionInPrompt',
    },
    {
      name: 'cross-file: argument characters right, file open',
      target: '≥ 85 %',
      value: open?.argumentsRight ?? null,
      pass: atLeast(open?.argumentsRight, 0.85),
      source: 'crossFile.modes.open.argumentsRight',
    },
    {
      name: 'cross-file: argument characters right, on disk only',
      target: '≥ 75 %',
      value: disk?.argumentsRight ?? null,
      pass: atLeast(disk?.argumentsRight, 0.75),
      source: 'crossFile.modes.disk.argumentsRight',
    },
    {
      name: 'cross-file: prompt tokens per completion call (worst mode)',
      target: '≤ 2,500',
      value: tokens,
      pass: atMost(tokens, 2500),
      source: 'crossFile.modes.*.promptTokensPerCall',
    },
    {
      name: 'cross-file: cached-prefix share of input tokens (worst mode)',
      target: '≥ 50 %',
      value: cached,
      pass: atLeast(cached, 0.5),
      source: 'crossFile.modes.*.cachedPrefixShare',
    },
  ];
}

export function crossFileTable(result: CrossFileResult): string {
  const pct = (v: number | null) => (v === null ? '–' : `${(v * 100).toFixed(1)} %`);
  const fmt = (v: number | null) => (v === null ? '–' : String(v));
  const label: Record<CrossFileMode, string> = {
    open: 'defining file open',
    disk: 'defining file on disk only',
    off: 'context off (single file)',
  };
  return table(
    [
      'mode',
      'cases',
      'definition in prompt',
      'argument chars right',
      'cases fully right',
      'model calls',
      'prompt tokens per call',
      'cached-prefix share',
      'snippets per prompt',
      'per keystroke ms p50 / p90 / p99',
      'ghostline overhead ms p50 / p90 / p99',
    ],
    result.modes.map((m) => [
      label[m.mode],
      String(m.cases),
      pct(m.definitionInPrompt),
      pct(m.argumentsRight),
      String(m.casesRight),
      String(m.modelCalls),
      fmt(m.promptTokensPerCall),
      pct(m.cachedPrefixShare),
      String(m.contextFiles),
      `${fmt(m.keystrokeMs.p50)} / ${fmt(m.keystrokeMs.p90)} / ${fmt(m.keystrokeMs.p99)}`,
      `${fmt(m.overheadMs.p50)} / ${fmt(m.overheadMs.p90)} / ${fmt(m.overheadMs.p99)}`,
    ]),
  );
}
