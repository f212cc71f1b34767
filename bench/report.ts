/**
 * The benchmark's output: the targets docs/performance.md promises, checked against a run, and
 * markdown tables for people next to the JSON for machines.
 */
import type { MicroResult } from './micro.ts';
import type { ProfileResult } from './profile-metrics.ts';
import type { Summary } from './stats.ts';

export interface Target {
  name: string;
  target: string;
  value: number | null;
  /** null when this run did not measure it. */
  pass: boolean | null;
  source: string;
}

export interface SoakSummary {
  minutes: number;
  growthMB: number | null;
  slopeMBPer10Min: number | null;
  pass: boolean | null;
}

export function targets(
  profiles: ProfileResult[],
  micro: MicroResult | undefined,
  soak: SoakSummary | undefined,
): Target[] {
  const list: Target[] = [];
  const worst = (values: (number | null)[]) => {
    const present = values.filter((v): v is number => v !== null);
    return present.length === 0 ? null : Math.max(...present);
  };
  const check = (value: number | null, limit: number) => (value === null ? null : value <= limit);
  const replayP99 = worst(profiles.map((p) => p.overheadMs.p99));
  list.push({
    name: 'server overhead p99, replay (worst profile)',
    target: '≤ 1 ms',
    value: replayP99,
    pass: check(replayP99, 1),
    source: 'profiles.*.overheadMs.p99',
  });
  const microP99 = micro?.completionOverheadMs.p99 ?? null;
  list.push({
    name: `server overhead p99, ${micro?.documents ?? 0} open documents`,
    target: '≤ 1 ms',
    value: microP99,
    pass: check(microP99, 1),
    source: 'micro.completionOverheadMs.p99',
  });
  const cacheP99 = micro?.cacheHitRoundTripMs.p99 ?? null;
  list.push({
    name: 'cache-hit round trip p99 over stdio',
    target: '≤ 2 ms',
    value: cacheP99,
    pass: check(cacheP99, 2),
    source: 'micro.cacheHitRoundTripMs.p99',
  });
  const vscode = profiles.find((p) => p.editor === 'vscode');
  const perPause = vscode?.callsPerPause ?? null;
  list.push({
    name: 'model calls per typing pause, VS Code pattern',
    target: '≤ 1',
    value: perPause,
    pass: check(perPause, 1),
    source: 'profiles.vscode.callsPerPause',
  });
  const start = micro?.startup;
  list.push({
    name: 'spawn → initialize answer against the reference server (median ratio)',
    target: '≤ 1.2',
    value: start?.ratio ?? null,
    pass: check(start?.ratio ?? null, 1.2),
    source: 'micro.startup.ratio',
  });
  const restingRss = start?.ghostline.rssAfterInitializeMB.p50 ?? null;
  list.push({
    name: 'RSS after initialize (MB, median)',
    target: '≤ 60',
    value: restingRss,
    pass: check(restingRss, 60),
    source: 'micro.startup.ghostline.rssAfterInitializeMB.p50',
  });
  const typingPeak = worst(profiles.map((p) => p.peakRssMB));
  list.push({
    name: 'peak RSS in the typing replay (MB, worst profile)',
    target: '≤ 90',
    value: typingPeak,
    pass: check(typingPeak, 90),
    source: 'profiles.*.peakRssMB',
  });
  const textMB = micro?.documentTextMB ?? null;
  const openRss = micro?.rssAfterOpenMB ?? null;
  const openLimit = textMB === null ? null : 2 * textMB + 60;
  list.push({
    name: `RSS with ${micro?.documents ?? 0} open documents (MB)`,
    target: `≤ 2 × text + 60${openLimit === null ? '' : ` = ${fmt(openLimit, 1)}`}`,
    value: openRss,
    pass: openLimit === null ? null : check(openRss, openLimit),
    source: 'micro.rssAfterOpenMB',
  });
  list.push({
    name: `memory growth over the soak${soak ? ` (${soak.minutes} min)` : ''}`,
    target: 'none (live heap ≤ 2 MB)',
    value: soak?.growthMB ?? null,
    pass: soak?.pass ?? null,
    source: 'soak.json growthMB',
  });
  return list;
}

const fmt = (value: number | null | undefined, digits = 2): string =>
  value === null || value === undefined ? '–' : Number(value.toFixed(digits)).toString();
const pct = (value: number | null): string => (value === null ? '–' : `${(value * 100).toFixed(1)} %`);
const trio = (s: Summary, digits = 1): string =>
  `${fmt(s.p50, digits)} / ${fmt(s.p90, digits)} / ${fmt(s.p99, digits)}`;

export function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export function profilesTable(profiles: ProfileResult[]): string {
  const rows: [string, (p: ProfileResult) => string][] = [
    ['documents / keystrokes', (p) => `${p.documents} / ${p.keystrokes}`],
    ['LSP requests', (p) => String(p.lspRequests)],
    ['answered / empty / cancelled', (p) => `${p.answered} / ${p.empty} / ${p.cancelled}`],
    ['model calls started / aborted', (p) => `${p.modelCalls} / ${p.modelCallsAborted}`],
    ['prompt tokens total', (p) => String(p.promptTokens.total)],
    [
      'prompt tokens per call (mean / p50 / max)',
      (p) =>
        `${fmt(p.promptTokens.perCall.mean, 0)} / ${fmt(p.promptTokens.perCall.p50, 0)} / ${fmt(p.promptTokens.perCall.max, 0)}`,
    ],
    ['request → non-empty answer ms (p50 / p90 / p99)', (p) => trio(p.latencyMs)],
    ['ghostline overhead ms (p50 / p90 / p99)', (p) => trio(p.overheadMs, 2)],
    [
      'overhead samples (model / cache / typed-ahead)',
      (p) => ['model', 'cache', 'typed-ahead'].map((s) => String(p.overheadBySource[s]?.count ?? 0)).join(' / '),
    ],
    ['model time per call ms (p50 / p90 / p99)', (p) => trio(p.modelTimeMs, 0)],
    [
      'answers from model / cache / typed-ahead',
      (p) => ['model', 'cache', 'typed-ahead'].map((s) => String(p.answersBySource[s] ?? 0)).join(' / '),
    ],
    ['cache hit rate', (p) => pct(p.cacheHitRate)],
    ['typed-ahead hit rate', (p) => pct(p.typedAheadHitRate)],
    ['suggestions shown / correct', (p) => `${p.shown} / ${p.correct} (${pct(p.correctRate)})`],
    [
      'typing pauses / model calls per pause (max)',
      (p) => `${p.pauses} / ${fmt(p.callsPerPause)} (${p.maxCallsInPause})`,
    ],
    ['completed (not aborted) model calls per pause', (p) => fmt(p.completedCallsPerPause)],
    ['pauses with a suggestion shown', (p) => pct(p.pausesWithSuggestion)],
    [
      'last key → suggestion shown in a pause ms (p50 / p90)',
      (p) => `${fmt(p.pauseToSuggestionMs.p50, 0)} / ${fmt(p.pauseToSuggestionMs.p90, 0)}`,
    ],
    ['peak RSS MB (VmHWM)', (p) => fmt(p.peakRssMB, 1)],
  ];
  return table(
    ['metric', ...profiles.map((p) => `${p.editor} (debounce ${p.debounceMs} ms)`)],
    rows.map(([name, get]) => [name, ...profiles.map(get)]),
  );
}

export function microTable(m: MicroResult): string {
  return table(
    ['micro-benchmark', 'p50', 'p90', 'p99', 'max', 'n'],
    [
      ['cold start to initialize response (ms)', m.coldStartMs],
      ['first completion after start (ms)', m.firstCompletionMs],
      [`completion overhead, ${m.documents} open ${m.linesPerDocument}-line documents (ms)`, m.completionOverheadMs],
      ['the same, first completions of the process (warm-up, ms)', m.warmupOverheadMs],
      ['cache-hit round trip over stdio (ms)', m.cacheHitRoundTripMs],
      ['bare JSON-RPC round trip, ghostline.stats (ms)', m.rpcRoundTripMs],
    ].map(([name, s]) => {
      const summary = s as Summary;
      return [
        name as string,
        fmt(summary.p50, 3),
        fmt(summary.p90, 3),
        fmt(summary.p99, 3),
        fmt(summary.max, 3),
        String(summary.count),
      ];
    }),
  );
}

export function startupTable(m: MicroResult): string {
  const { ghostline, reference, starts, ratio } = m.startup;
  return table(
    [
      `start-up (${starts} starts each, alternating; median / max)`,
      'ghostline',
      'reference server (bench/reference-server.ts)',
    ],
    [
      [
        'spawn → initialize answer (ms)',
        `${fmt(ghostline.initializeMs.p50, 1)} / ${fmt(ghostline.initializeMs.max, 1)}`,
        `${fmt(reference.initializeMs.p50, 1)} / ${fmt(reference.initializeMs.max, 1)}`,
      ],
      [
        'RSS after initialize (MB)',
        `${fmt(ghostline.rssAfterInitializeMB.p50, 1)} / ${fmt(ghostline.rssAfterInitializeMB.max, 1)}`,
        `${fmt(reference.rssAfterInitializeMB.p50, 1)} / ${fmt(reference.rssAfterInitializeMB.max, 1)}`,
      ],
      ['ratio of the medians (start-up)', fmt(ratio, 2), '1'],
    ],
  );
}

export function memoryTable(m: MicroResult): string {
  return table(
    ['memory', 'MB'],
    [
      ['RSS after initialize', fmt(m.rssBeforeOpenMB, 1)],
      [`RSS with ${m.documents} open documents (${fmt(m.documentTextMB, 1)} MB of text)`, fmt(m.rssAfterOpenMB, 1)],
      ['peak RSS (VmHWM)', fmt(m.peakRssMB, 1)],
    ],
  );
}

export function targetsTable(list: Target[]): string {
  return table(
    ['target', 'goal', 'measured', 'met'],
    list.map((t) => [t.name, t.target, fmt(t.value, 3), t.pass === null ? 'not measured' : t.pass ? 'yes' : '**no**']),
  );
}
