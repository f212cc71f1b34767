/**
 * `npm run bench`: replays typing under the VS Code, Neovim and Helix trigger patterns against the
 * built server and the fake model server, runs the micro-benchmarks, checks the targets and writes
 * JSON and markdown under bench/results/. `--quick` is the under-a-minute run the tests use;
 * `--only micro,cross-file` runs some parts alone (written to only-<parts>.{json,md});
 * `--sweep` measures the trade-offs behind the defaults; `--soak --minutes N` watches memory.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultConfig } from '../server/src/config/schema.ts';
import { loadCorpus, pickSegment, ROOT } from './corpus.ts';
import { ALL_EDITORS, EDITORS, type EditorName } from './editors.ts';
import { lossesTable, styleTargets, stylesTable, type StyleMatrix } from './styles-report.ts';
import { ANSWER_STYLES, type AnswerStyle } from '../test/fake-openai/styles.ts';
import { crossFile, crossFileTable, crossFileTargets } from './cross-file.ts';
import { micro } from './micro.ts';
import { LATENCY } from './model.ts';
import { profileResult, type ProfileResult } from './profile-metrics.ts';
import { replay } from './replay.ts';
import { loadShapeFiles, SHAPE_CORPUS, shapeSweep, shapesExamples, shapesTable } from './shapes.ts';
import {
  memoryTable,
  microTable,
  profilesTable,
  startupTable,
  table,
  targets,
  targetsTable,
  type SoakSummary,
} from './report.ts';
import { soak } from './soak.ts';
import { dashboardBench } from './dashboard.ts';
import {
  BASELINE_STYLES,
  baseline,
  baselineTable,
  baselineTargets,
  PIPELINES,
  type Baseline,
  type Pipeline,
} from './baseline.ts';
import { cacheSizing, contextSweep, debounceSweep, type CacheSizing, type ContextPoint } from './sweep.ts';
import { HUMAN, PAUSE_MS } from './typing.ts';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    sweep: { type: 'boolean', default: false },
    soak: { type: 'boolean', default: false },
    /** Times the dashboard page with 90 days of counters for 50 users. */
    dashboard: { type: 'boolean', default: false },
    minutes: { type: 'string', default: '30' },
    out: { type: 'string', default: join(ROOT, 'bench', 'results') },
    seed: { type: 'string', default: '1' },
    editors: { type: 'string', default: EDITORS.join(',') },
    /** Overrides completion.debounceMs for the replay, to compare with the default. */
    debounce: { type: 'string' },
    /** Answer styles of the style matrix (default: all; quick: a few), and its editor patterns. */
    styles: { type: 'string' },
    'style-editors': { type: 'string' },
    /** Only the style matrix (no main replay, no micro-benchmarks): a faster loop while tuning. */
    'styles-only': { type: 'boolean', default: false },
    /** Replays of the style matrix run at once (they mostly wait on the typing schedule). */
    parallel: { type: 'string', default: '12' },
    /** Runs only these parts of the main run (comma-separated, see PARTS), e.g. `micro,cross-file` or `shapes`. */
    only: { type: 'string' },
    /** Cases of the cross-file benchmark (default 60; quick: 6). */
    cases: { type: 'string' },
    /** The style matrix's servers log each request's outcome; the report adds unsaved characters by cause. */
    explain: { type: 'boolean', default: false },
    /** Seeds of the comparison with the plain pipeline (each retypes other lines on another schedule). */
    'baseline-seeds': { type: 'string', default: '1,2,3' },
    /**
     * Characters each seed retypes per file in that comparison (default 400, about ten lines: a
     * stretch of a real file rather than the style matrix's 100-character sample).
     */
    'baseline-chars': { type: 'string', default: '400' },
    /**
     * Replays of that comparison at once (11: one seed's cells, ghostline 4, plain 4, Tabby 3). Not
     * more: ghostline's answers on two cores slow down more than the plain pipeline's when 24
     * servers share them (Helix, seeds 1-3: 93.8 % with 24 at once, 95.7 % with 6, 95.2 % with 11;
     * the plain pipeline 94.3 / 94.9 / 94.7 %).
     */
    'baseline-parallel': { type: 'string', default: '11' },
    /** Seeds the mixed answer shapes are typed with in that comparison (the first N of --baseline-seeds). */
    'baseline-mix-seeds': { type: 'string', default: '1' },
    /**
     * Answer styles of that comparison (default clean and the seeded mix), e.g. every style for one
     * editor pattern to check each against clean on the longer typing.
     */
    'baseline-styles': { type: 'string', default: BASELINE_STYLES.join(',') },
    /** Editor patterns of that comparison (default all four). */
    'baseline-editors': { type: 'string', default: ALL_EDITORS.join(',') },
    /** Servers of that comparison (default ghostline, plain, tabby). */
    'baseline-pipelines': { type: 'string', default: PIPELINES.join(',') },
  },
});

/**
 * The parts of the main run: the typing replay under each editor pattern, the answer-style matrix,
 * start-up against the reference server (with the cold starts), the many-open-documents
 * micro-benchmarks (memory, overhead, cache hit, JSON-RPC), the cross-file benchmark, and the
 * offline shape sweep (every answer style at many cursors of many real files, no servers), and
 * ghostline against the plain pipeline on the same typing over several seeds.
 */
const PARTS = ['replay', 'styles', 'startup', 'micro', 'cross-file', 'shapes', 'baseline'] as const;
type Part = (typeof PARTS)[number];

function selectedParts(): Set<Part> {
  if (values.only === undefined) return new Set(PARTS);
  const asked = values.only
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  const unknown = asked.filter((p) => !(PARTS as readonly string[]).includes(p));
  if (unknown.length > 0 || asked.length === 0) {
    process.stderr.write(`bench: --only takes some of ${PARTS.join(', ')} (got ${values.only})\n`);
    process.exit(2);
  }
  return new Set(asked as Part[]);
}

const seed = Number(values.seed);
const outDir = values.out;
const defaults = defaultConfig();
const START_LOAD = loadavg().map((v) => Number(v.toFixed(2)));
const log = (message: string) => process.stderr.write(`bench: ${message}\n`);

function meta(mode: string) {
  let commit: string | null = null;
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    commit = null;
  }
  return {
    tool: 'ghostline bench',
    mode,
    date: new Date().toISOString(),
    commit,
    node: process.version,
    cpu: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}`,
    /** Load averages (1, 5, 15 min) at the start and the end: other work on the machine skews timings. */
    loadAverage: { start: START_LOAD, end: loadavg().map((v) => Number(v.toFixed(2))) },
    seed,
    defaults: {
      debounceMs: defaults.completion.debounceMs,
      prefixLines: defaults.completion.prefixLines,
      suffixLines: defaults.completion.suffixLines,
      maxPromptTokens: defaults.completion.maxPromptTokens,
      cacheMaxEntries: defaults.cache.maxEntries,
      cacheTtlSeconds: defaults.cache.ttlSeconds,
    },
    latencyModel: LATENCY,
    typingModel: HUMAN,
    pauseMs: PAUSE_MS,
  };
}

function write(name: string, json: unknown, markdown: string): void {
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, `${name}.json`), `${JSON.stringify(json, null, 2)}\n`);
  writeFileSync(join(outDir, `${name}.md`), `${markdown}\n`);
  log(`wrote ${join(outDir, `${name}.json`)} and ${name}.md`);
}

function segmentsFor(chars: number, files: number) {
  const corpus = loadCorpus();
  const segments = corpus.slice(0, files).map((file, i) => pickSegment(file, chars, seed * 100 + i));
  return { corpus, segments };
}

function corpusInfo(segments: ReturnType<typeof segmentsFor>['segments']) {
  return segments.map((s) => ({
    path: s.file.path,
    source: s.file.source,
    sha256: s.file.sha256,
    lines: s.file.lines,
    segmentLine: s.line + 1,
    segmentChars: s.typed.length,
  }));
}

/** The last soak result in the output directory, so the main report can show that target too. */
function lastSoak(): SoakSummary | undefined {
  const path = join(outDir, 'soak.json');
  if (!existsSync(path)) return undefined;
  try {
    const soakJson = JSON.parse(readFileSync(path, 'utf8')) as { soak: SoakSummary };
    return soakJson.soak;
  } catch {
    return undefined;
  }
}

const QUICK_STYLES: AnswerStyle[] = ['clean', 'fenced', 'echo-line'];
const QUICK_STYLE_EDITORS: EditorName[] = ['vscode', 'helix'];

/** Runs tasks with at most `limit` at a time, results in order. */
async function pool<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await tasks[index]!();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, tasks.length)) }, worker));
  return results;
}

/**
 * Appends every suggestion that carried an artifact to `path` (JSON lines), with the text around
 * the cursor and the answers of the model calls made for that document up to then, to find the
 * rule that let it through. Set GHOSTLINE_BENCH_ARTIFACTS=<file> to write them.
 */
function dumpArtifacts(path: string, run: Awaited<ReturnType<typeof replay>>): void {
  const lines: string[] = [];
  for (const { session } of run.segments)
    for (const r of session.records) {
      if ((r.artifacts?.length ?? 0) === 0) continue;
      const calls = run.calls
        .filter((c) => c.path === r.path && c.arrivedAt <= (r.doneAt ?? Infinity))
        .filter((c) => r.prefixTail.includes(c.prefixTail.slice(-40)))
        .slice(-2)
        .map((c) => ({ prefixTail: c.prefixTail.slice(-80), answer: c.answer }));
      lines.push(
        JSON.stringify({
          style: run.style,
          editor: run.editor,
          artifacts: r.artifacts,
          source: r.source,
          prefixTail: r.prefixTail.slice(-160),
          realNext: r.realNext?.slice(0, 160),
          suggestion: r.suggestion,
          calls,
        }),
      );
    }
  if (lines.length > 0) appendFileSync(path, `${lines.join('\n')}\n`);
}

/** Every answer style under every editor pattern, on the same typing: saved %, calls, artifacts. */
async function styleMatrix(
  corpus: ReturnType<typeof segmentsFor>['corpus'],
  segments: ReturnType<typeof segmentsFor>['segments'],
  quick: boolean,
  env: Record<string, string>,
  debounceMs: number,
): Promise<StyleMatrix> {
  const styles = (values.styles ? values.styles.split(',') : quick ? QUICK_STYLES : [...ANSWER_STYLES]).filter(
    (s): s is AnswerStyle => (ANSWER_STYLES as readonly string[]).includes(s),
  );
  const editors = (
    values['style-editors'] ? values['style-editors'].split(',') : quick ? QUICK_STYLE_EDITORS : ALL_EDITORS
  ).filter((e): e is EditorName => (ALL_EDITORS as string[]).includes(e));
  log(`style matrix: ${styles.length} answer styles × ${editors.length} editor patterns, ${values.parallel} at a time`);
  // Interleaved, so the replays running at the same moment are of different editor patterns.
  const tasks = styles.flatMap((style) =>
    editors.map((editor) => async () => {
      const run = await replay({
        editor,
        corpus,
        segments,
        seed,
        latency: LATENCY,
        env,
        style,
        explain: values.explain,
      });
      if (process.env.GHOSTLINE_BENCH_ARTIFACTS) dumpArtifacts(process.env.GHOSTLINE_BENCH_ARTIFACTS, run);
      return profileResult(run, debounceMs);
    }),
  );
  const results = await pool(tasks, Number(values.parallel));
  return { styles, editors, results };
}

async function main(): Promise<void> {
  if (values.soak) return runSoak();
  if (values.dashboard) return runDashboardBench();
  if (values.sweep) return runSweep();
  const quick = values.quick;
  const parts = selectedParts();
  const partial = values.only !== undefined;
  const { corpus, segments } = segmentsFor(quick ? 30 : 100, quick ? 2 : 4);
  const editors = values.editors.split(',').filter((e): e is EditorName => (EDITORS as string[]).includes(e));
  const debounceMs = values.debounce === undefined ? defaults.completion.debounceMs : Number(values.debounce);
  const env: Record<string, string> =
    values.debounce === undefined ? {} : { GHOSTLINE_COMPLETION__DEBOUNCE_MS: String(debounceMs) };
  if (values['styles-only']) {
    const matrix = await styleMatrix(corpus, segments, quick, env, debounceMs);
    const header = meta(quick ? 'styles-quick' : 'styles');
    const checked = styleTargets(matrix);
    write(
      quick ? 'styles-quick' : 'styles',
      { ...header, corpus: corpusInfo(segments), styleMatrix: matrix, styleTargets: checked },
      [
        `# ghostline bench (answer styles) — ${header.date}`,
        '',
        `commit ${header.commit ?? '?'} · load ${header.loadAverage.start[0]} → ${header.loadAverage.end[0]} · seed ${seed}`,
        '',
        stylesTable(matrix),
        '',
        ...(values.explain ? [lossesTable(matrix), ''] : []),
        targetsTable(checked),
      ].join('\n'),
    );
    return;
  }
  const profile = async (editor: EditorName) => {
    log(`replaying ${segments.length} documents under the ${editor} pattern`);
    const run = await replay({ editor, corpus, segments, seed, latency: LATENCY, env });
    return profileResult(run, debounceMs);
  };
  // The replay mostly waits on the typing schedule (the CPU is idle over 90 % of the time), so the
  // quick run plays the editors side by side to stay under a minute; the full run plays them in turn.
  const profiles: ProfileResult[] = [];
  if (!parts.has('replay')) log('replay skipped (--only)');
  else if (quick) profiles.push(...(await Promise.all(editors.map(profile))));
  else for (const editor of editors) profiles.push(await profile(editor));
  const startupToo = parts.has('startup');
  const documentsToo = parts.has('micro');
  if (startupToo || documentsToo)
    log(`micro-benchmarks${startupToo ? '' : ' (no start-up)'}${documentsToo ? '' : ' (start-up only)'}`);
  const microOptions = quick
    ? {
        corpus,
        seed,
        coldStarts: 2,
        referenceStarts: 3,
        documents: 50,
        linesPerDocument: 2000,
        overheadRequests: 40,
        cachePositions: 20,
        cacheRounds: 2,
      }
    : {
        corpus,
        seed,
        coldStarts: 5,
        referenceStarts: 7,
        documents: 500,
        linesPerDocument: 2000,
        overheadRequests: 300,
        cachePositions: 20,
        cacheRounds: 10,
      };
  const microResult =
    startupToo || documentsToo
      ? await micro({
          ...microOptions,
          ...(startupToo ? {} : { coldStarts: 0, referenceStarts: 0 }),
          ...(documentsToo ? {} : { documents: 0 }),
        })
      : undefined;
  const matrix = parts.has('styles')
    ? await styleMatrix(corpus, segments, quick, env, debounceMs)
    : { styles: [], editors: [], results: [] };
  if (parts.has('cross-file')) log('cross-file benchmark (repository context)');
  const crossFileResult = parts.has('cross-file')
    ? await crossFile({ cases: values.cases === undefined ? (quick ? 6 : 60) : Number(values.cases), seed })
    : undefined;
  if (parts.has('shapes')) log('shape sweep (answer styles × cursors of real files, offline)');
  const shapesResult = parts.has('shapes')
    ? shapeSweep({ files: loadShapeFiles(SHAPE_CORPUS), cursors: quick ? 10 : 40, seed })
    : undefined;
  let baselineResult: Baseline | undefined;
  if (parts.has('baseline')) {
    const seeds = quick ? [seed] : values['baseline-seeds'].split(',').map(Number);
    const chars = Number(values['baseline-chars']);
    log(
      `ghostline against the plain pipeline, seeds ${seeds.join(', ')}, ${chars} characters per file, ${values['baseline-parallel']} replays at a time`,
    );
    baselineResult = await baseline({
      seeds,
      debounceMs,
      chars,
      // Tabby's agent is left out of the quick run (test/bench/tabby.test.ts types against it).
      ...(quick
        ? { styles: ['clean' as const], chars: 30, files: 2, pipelines: ['ghostline' as const, 'plain' as const] }
        : {}),
      otherStyleSeeds: Number(values['baseline-mix-seeds']),
      ...(quick
        ? {}
        : {
            styles: values['baseline-styles']
              .split(',')
              .filter((s): s is AnswerStyle => (ANSWER_STYLES as readonly string[]).includes(s)),
            editors: values['baseline-editors']
              .split(',')
              .filter((e): e is EditorName => (ALL_EDITORS as string[]).includes(e)),
            pipelines: values['baseline-pipelines']
              .split(',')
              .filter((p): p is Pipeline => (PIPELINES as string[]).includes(p)),
          }),
      run: (tasks) => pool(tasks, Number(values['baseline-parallel'])),
    });
  }
  const soakSummary = quick || partial ? undefined : lastSoak();
  const checked = [
    ...targets(profiles, microResult, soakSummary),
    ...(parts.has('styles') ? styleTargets(matrix) : []),
    ...(baselineResult ? baselineTargets(baselineResult) : []),
    ...crossFileTargets(crossFileResult),
  ];
  const mode = quick ? 'quick' : 'full';
  const header = meta(partial ? `${mode}, only ${[...parts].join(', ')}` : mode);
  const json = {
    ...header,
    corpus: corpusInfo(segments),
    profiles: Object.fromEntries(profiles.map((p) => [p.editor, p])),
    styleMatrix: matrix,
    micro: microResult,
    crossFile: crossFileResult,
    shapes: shapesResult,
    baseline: baselineResult,
    targets: checked,
  };
  const markdown = [
    `# ghostline bench (${header.mode}) — ${header.date}`,
    '',
    ...(quick
      ? [
          'Quick run: the editor patterns replay side by side and the micro-benchmarks are small; use `npm run bench` for numbers to quote.',
          '',
        ]
      : []),
    `commit ${header.commit ?? '?'} · Node ${header.node} · ${header.cpu} (load ${header.loadAverage.start[0]} → ${header.loadAverage.end[0]}) · seed ${seed} · debounce ${header.defaults.debounceMs} ms, prefix ${header.defaults.prefixLines} / suffix ${header.defaults.suffixLines} lines, ${header.defaults.maxPromptTokens} prompt tokens, cache ${header.defaults.cacheMaxEntries} entries`,
    '',
    `Files: ${json.corpus.map((c) => `${c.path} (line ${c.segmentLine}, ${c.segmentChars} chars)`).join(', ')}`,
    '',
    ...(parts.has('replay') ? ['## Replay', '', profilesTable(profiles), ''] : []),
    ...(parts.has('styles') ? ['## Answer styles × editor patterns', '', stylesTable(matrix), ''] : []),
    ...(microResult
      ? [
          '## Micro-benchmarks',
          '',
          microTable(microResult),
          '',
          ...(startupToo ? [startupTable(microResult), ''] : []),
          ...(documentsToo ? [memoryTable(microResult), ''] : []),
        ]
      : []),
    ...(crossFileResult
      ? [
          '## Cross-file (repository context)',
          '',
          `${crossFileResult.cases.length} lines that call a function or construct a class defined in another file of ${crossFileResult.packages.map((p) => p.name).join(', ')}; the model answers the arguments only when the definition's signature is in the prompt. Instant model, one completion per keystroke.`,
          '',
          crossFileTable(crossFileResult),
          '',
        ]
      : []),
    ...(shapesResult
      ? [
          '## Answer shapes at many cursors (offline sweep)',
          '',
          `Files: ${shapesResult.files.map((f) => `${f.source} (${f.lines} lines)`).join(', ')}`,
          '',
          shapesTable(shapesResult),
          '',
          shapesExamples(shapesResult),
          '',
        ]
      : []),
    ...(baselineResult
      ? [
          '## Against the plain pipeline',
          '',
          `The same typing against ghostline and against the plain pipeline (\`bench/plain-server.ts\`: one model call per request at once, the current line only, nothing removed but a fence around the whole answer), seeds ${baselineResult.seeds.join(', ')} for clean answers and the first ${values['baseline-mix-seeds']} for the other styles (each seed retypes about ${baselineResult.chars} characters of other lines of each of the four files on another schedule); saved % pooled over the seeds (characters saved / typed) · model calls per keystroke. The ceiling is the share of typed characters any server could save under the pattern: not typed before the document's first request, nor while a typo was on screen.`,
          '',
          ...(baselineResult.cells.some((cell) => cell.pipeline === 'tabby')
            ? [
                "Tabby's agent: `tabby-agent` 1.5.0 (`--lsp --stdio`, completion requests only, so no VS Code cell) in front of `bench/tabby-shim.ts`, a modelled Tabby server that turns each `/v1/completions` request into one call to the same model in the plain pipeline's prompt format and returns its raw text.",
                '',
              ]
            : []),
          baselineTable(baselineResult),
          '',
        ]
      : []),
    '## Targets',
    '',
    targetsTable(checked),
  ].join('\n');
  if (partial) {
    // A partial run never replaces the full results; its name says what it holds.
    write(`only-${[...parts].join('-')}${quick ? '-quick' : ''}`, json, markdown);
    process.stdout.write(`${markdown}\n`);
  } else write(quick ? 'quick' : 'latest', json, markdown);
}

async function runDashboardBench(): Promise<void> {
  const result = await dashboardBench({ seed, log });
  const header = meta('dashboard');
  const markdown = [
    '# ghostline dashboard bench',
    '',
    `commit ${header.commit ?? '?'} · ${header.date} · ${header.cpu} · load ${header.loadAverage.start.join(' / ')} → ${header.loadAverage.end.join(' / ')}`,
    '',
    `A page of ${result.days} days for ${result.users} users (real redis-server, the built \`ghostline dashboard\`, headless Chromium), ${result.runs} loads after a warm-up, each reading Redis afresh.`,
    '',
    '| measure | value | target |',
    '| --- | --- | --- |',
    `| page loaded, every chart drawn (median) | ${result.pageMedianMs} ms | < ${result.targetMs} ms ${result.met ? '✓' : '✗'} |`,
    `| page loaded (slowest run) | ${result.pageMaxMs} ms | |`,
    `| in the page: fetching the charts' JSON / drawing them (median) | ${median(result.fetchMs)} ms / ${median(result.renderMs)} ms | |`,
    `| /api/charts?days=90 alone (median) | ${median(result.jsonMs)} ms, ${(result.jsonBytes / 1024).toFixed(0)} KiB | |`,
    '',
    `Runs: page ${result.pageMs.join(', ')} ms; JSON ${result.jsonMs.join(', ')} ms. Load averages above: other helpers' work on the same two cores skews these timings.`,
  ].join('\n');
  write('dashboard', { ...header, ...result }, markdown);
  process.stdout.write(`${markdown}\n`);
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}

async function runSweep(): Promise<void> {
  const { corpus, segments } = segmentsFor(150, 4);
  const debounces = [0, 75, 150, 250, 350, 450, 600];
  const seeds = [seed, seed + 1, seed + 2];
  const parts: { debounce?: ProfileResult[]; context?: ContextPoint[]; cache?: CacheSizing } = {};
  // Each stage is written as soon as it is done, so a long sweep that fails late keeps its results.
  const save = () => {
    const header = meta('sweep');
    write('sweep', { ...header, seeds, corpus: corpusInfo(segments), ...parts }, sweepMarkdown(header, seeds, parts));
  };
  log(`debounce sweep ${debounces.join('/')} ms under the VS Code pattern, seeds ${seeds.join(', ')}`);
  parts.debounce = await debounceSweep(
    corpus,
    (s) => corpus.slice(0, 4).map((file, i) => pickSegment(file, 150, s * 100 + i)),
    seeds,
    debounces,
  );
  save();
  log('context-window sweep');
  parts.context = await contextSweep(
    corpus,
    seed,
    [
      [50, 25, 1024],
      [100, 50, 2048],
      [200, 100, 4096],
      [400, 200, 8192],
    ],
    150,
  );
  save();
  log('cache sizing');
  parts.cache = cacheSizing([40, 200]);
  save();
}

function sweepMarkdown(
  header: ReturnType<typeof meta>,
  seeds: number[],
  parts: { debounce?: ProfileResult[]; context?: ContextPoint[]; cache?: CacheSizing },
): string {
  const fmt = (v: number | null | undefined, d = 2) =>
    v === null || v === undefined ? '–' : Number(v.toFixed(d)).toString();
  const sweep = parts.debounce ?? [];
  const lines = [
    `# ghostline sweep — ${header.date}`,
    '',
    `commit ${header.commit ?? '?'} · Node ${header.node} · ${header.cpu} (load ${header.loadAverage.start[0]} → ${header.loadAverage.end[0]}) · seeds ${seeds.join(', ')}`,
    '',
    '## Debounce under the VS Code pattern',
    '',
    `${sweep[0]?.documents ?? 0} documents (${sweep[0]?.keystrokes ?? 0} keystrokes) per value: four files × three seeds, each seed's values replayed side by side.`,
    '',
    table(
      [
        'debounce ms',
        'requests',
        'model calls',
        'aborted',
        'calls per pause (max)',
        'completed calls per pause',
        'pauses with a suggestion',
        'last key → suggestion ms p50 / p90',
        'shown',
        'correct',
        'prompt tokens',
      ],
      sweep.map((p) => [
        String(p.debounceMs),
        String(p.lspRequests),
        String(p.modelCalls),
        String(p.modelCallsAborted),
        `${fmt(p.callsPerPause)} (${p.maxCallsInPause})`,
        fmt(p.completedCallsPerPause),
        p.pausesWithSuggestion === null ? '–' : `${(p.pausesWithSuggestion * 100).toFixed(0)} %`,
        `${fmt(p.pauseToSuggestionMs.p50, 0)} / ${fmt(p.pauseToSuggestionMs.p90, 0)}`,
        String(p.shown),
        String(p.correct),
        String(p.promptTokens.total),
      ]),
    ),
  ];
  if (parts.context) {
    lines.push(
      '',
      '## Context windows (20 open 2,000-line documents, instant model)',
      '',
      table(
        [
          'prefix / suffix lines',
          'token budget',
          'prompt tokens mean / max',
          'overhead ms p50 / p99',
          'USD per 1k calls (uncached / cached)',
        ],
        parts.context.map((c) => [
          `${c.prefixLines} / ${c.suffixLines}`,
          String(c.maxPromptTokens),
          `${fmt(c.promptTokens.mean, 0)} / ${fmt(c.promptTokens.max, 0)}`,
          `${fmt(c.overheadMs.p50, 2)} / ${fmt(c.overheadMs.p99, 2)}`,
          `${fmt(c.costPer1kCalls, 3)} / ${fmt(c.costPer1kCallsCached, 3)}`,
        ]),
      ),
    );
  }
  if (parts.cache) {
    lines.push(
      '',
      '## Cache memory',
      '',
      table(
        ['cached answer length (chars)', 'heap bytes per entry'],
        parts.cache.points.map((p) => [String(p.answerChars), String(p.bytesPerEntry)]),
      ),
    );
  }
  return lines.join('\n');
}

async function runSoak(): Promise<void> {
  const minutes = Number(values.minutes);
  log(`soak: ${minutes} minutes of the VS Code pattern on one server`);
  const corpus = loadCorpus();
  const result = await soak({ corpus, minutes, seed, chars: 120, debounceMs: defaults.completion.debounceMs });
  const header = meta('soak');
  const { samples, heapSamples, profile, ...summary } = result;
  const json = { ...header, soak: summary, samples, heapSamples, profile };
  const v = (x: number | null) => (x === null ? '–' : String(x));
  const markdown = [
    `# ghostline soak — ${header.date}`,
    '',
    `commit ${header.commit ?? '?'} · Node ${header.node} · ${header.cpu} (load ${header.loadAverage.start[0]} → ${header.loadAverage.end[0]}) · seed ${seed} · ${minutes} minutes, VS Code pattern`,
    '',
    table(
      [
        'minutes',
        'warm-up',
        'live heap after GC MB (first → last fifth)',
        'heap growth MB',
        'RSS MB (first → last fifth)',
        'RSS growth MB',
        'RSS slope MB / 10 min',
        'no growth',
      ],
      [
        [
          String(minutes),
          String(summary.warmupMinutes),
          `${v(summary.heapEarlyMB)} → ${v(summary.heapLateMB)}`,
          v(summary.heapGrowthMB),
          `${v(summary.earlyMB)} → ${v(summary.lateMB)}`,
          v(summary.rssGrowthMB),
          v(summary.slopeMBPer10Min),
          summary.pass === null ? '–' : summary.pass ? 'yes' : '**no**',
        ],
      ],
    ),
    '',
    'No growth means the live heap after a forced full collection grew by at most 2 MB between the first and the last fifth after warm-up (RSS at most 5 MB when the heap could not be read).',
    '',
    `${profile.documents} documents, ${profile.keystrokes} keystrokes, ${profile.lspRequests} requests, ${profile.modelCalls} model calls (${profile.modelCallsAborted} aborted), peak RSS ${profile.peakRssMB} MB.`,
  ].join('\n');
  write('soak', json, markdown);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
