/**
 * ghostline against the plain pipeline (bench/plain-server.ts) on the same typing: every editor
 * pattern, clean and mixed answer shapes, over several seeds (each seed retypes other lines of the
 * corpus files on another typing schedule), so a saved % is not one lucky sample of ~380
 * characters. Reported pooled over the seeds (characters saved / characters typed) and per seed.
 * Tabby's agent (bench/tabby-shim.ts) types the same keys too, under every pattern but VS Code's.
 */
import { loadCorpus, pickSegment, type CorpusFile } from './corpus.ts';
import { ALL_EDITORS, type EditorName } from './editors.ts';
import { LATENCY } from './model.ts';
import { profileResult, type ProfileResult } from './profile-metrics.ts';
import { table, type Target } from './report.ts';
import { replay } from './replay.ts';
import { SAVED_TARGET, STYLE_RATIO_TARGET } from './styles-report.ts';
import { tabbyAgentScript } from './tabby-shim.ts';
import type { AnswerStyle } from '../test/fake-openai/styles.ts';

export type Pipeline = 'ghostline' | 'plain' | 'tabby';
export const PIPELINES: Pipeline[] = ['ghostline', 'plain', 'tabby'];
export const BASELINE_STYLES: AnswerStyle[] = ['clean', 'mix'];

export interface BaselineCell {
  pipeline: Pipeline;
  seed: number;
  result: ProfileResult;
}

export interface Baseline {
  seeds: number[];
  /** Characters per retyped segment (one per file). */
  chars: number;
  editors: EditorName[];
  styles: AnswerStyle[];
  cells: BaselineCell[];
}

/** The lines each seed retypes: one segment of about `chars` characters per corpus file. */
export function segmentsForSeed(corpus: CorpusFile[], seed: number, chars = 100, files = 4) {
  return corpus.slice(0, files).map((file, i) => pickSegment(file, chars, seed * 100 + i));
}

export async function baseline(options: {
  seeds: number[];
  editors?: EditorName[];
  styles?: AnswerStyle[];
  /** Characters per retyped segment and files typed (one segment each); default 100 and 4, as the replay. */
  chars?: number;
  files?: number;
  /**
   * Seeds the answer styles other than clean are typed with: the first this many (default all).
   * The full bench types the mixed shapes with the first seed only, to stay within its time.
   */
  otherStyleSeeds?: number;
  /** The servers typed against (default PIPELINES); Tabby's agent is left out when not installed. */
  pipelines?: Pipeline[];
  debounceMs: number;
  run: <T>(tasks: (() => Promise<T>)[]) => Promise<T[]>;
}): Promise<Baseline> {
  const corpus = loadCorpus();
  const editors = options.editors ?? ALL_EDITORS;
  const styles = options.styles ?? BASELINE_STYLES;
  let pipelines = options.pipelines ?? PIPELINES;
  if (pipelines.includes('tabby') && !tabbyAgentScript()) {
    process.stderr.write("bench: tabby-agent is not installed (npm ci); Tabby's agent is left out of the comparison\n");
    pipelines = pipelines.filter((pipeline) => pipeline !== 'tabby');
  }
  // Tabby's agent serves no inline completion: it has no VS Code cell.
  const runs = (pipeline: Pipeline) => editors.filter((editor) => pipeline !== 'tabby' || editor !== 'vscode');
  const seedsOf = (style: AnswerStyle) =>
    style === 'clean' ? options.seeds : options.seeds.slice(0, options.otherStyleSeeds ?? options.seeds.length);
  const tasks = styles.flatMap((style) =>
    seedsOf(style).flatMap((seed) =>
      pipelines.flatMap((pipeline) =>
        runs(pipeline).map((editor) => async (): Promise<BaselineCell> => {
          const run = await replay({
            editor,
            corpus,
            segments: segmentsForSeed(corpus, seed, options.chars, options.files),
            seed,
            latency: LATENCY,
            style,
            server: pipeline,
          });
          return { pipeline, seed, result: profileResult(run, options.debounceMs) };
        }),
      ),
    ),
  );
  return { seeds: options.seeds, chars: options.chars ?? 100, editors, styles, cells: await options.run(tasks) };
}

/**
 * Losses no server can avoid under a pattern: the character came before any request of its
 * document (Helix's manual trigger asks only once the typist stops), or the last request before it
 * was sent while a typo was on screen (profile-metrics.ts `lossBreakdown`).
 */
export const UNREACHABLE_CAUSES = ['no request', 'typo on screen'];

interface Pooled {
  saved: number | null;
  /** The share of typed characters not lost to UNREACHABLE_CAUSES: the most any server could save here. */
  ceiling: number | null;
  callsPerKeystroke: number | null;
  unanswered: number;
  artifacts: number;
  perSeed: (number | null)[];
}

function pooled(data: Baseline, pipeline: Pipeline, editor: string, style: string, seeds?: number[]): Pooled {
  const cells = data.cells.filter(
    (c) =>
      c.pipeline === pipeline &&
      c.result.editor === editor &&
      c.result.style === style &&
      (seeds === undefined || seeds.includes(c.seed)),
  );
  const sum = (pick: (r: ProfileResult) => number) => cells.reduce((n, c) => n + pick(c.result), 0);
  const typed = sum((r) => r.typedChars);
  const keys = sum((r) => r.keystrokes);
  return {
    saved: typed === 0 ? null : sum((r) => r.savedChars) / typed,
    ceiling:
      typed === 0
        ? null
        : 1 - sum((r) => UNREACHABLE_CAUSES.reduce((n, cause) => n + (r.losses[cause] ?? 0), 0)) / typed,
    callsPerKeystroke: keys === 0 ? null : sum((r) => r.modelCalls) / keys,
    unanswered: sum((r) => r.unanswered),
    artifacts: sum((r) => r.suggestionsWithArtifacts),
    perSeed: data.seeds.map((seed) => cells.find((c) => c.seed === seed)?.result.savedShare ?? null),
  };
}

const pct = (value: number | null): string => (value === null ? '–' : `${(value * 100).toFixed(1)} %`);
const num = (value: number | null): string => (value === null ? '–' : Number(value.toFixed(3)).toString());

/** Tabby's agent in one cell: saved % · calls per key, then its suggestions with an artifact and unanswered requests. */
function tabbyCell(data: Baseline, editor: string, style: string): string {
  if (editor === 'vscode') return 'no inline completion';
  const tabby = pooled(data, 'tabby', editor, style);
  if (tabby.saved === null) return '–';
  return `${pct(tabby.saved)} · ${num(tabby.callsPerKeystroke)} · ${tabby.artifacts} with an artifact · ${tabby.unanswered} unanswered`;
}

export function baselineTable(data: Baseline): string {
  const withTabby = data.cells.some((cell) => cell.pipeline === 'tabby');
  const rows: string[][] = [];
  for (const style of data.styles)
    for (const editor of data.editors) {
      const ours = pooled(data, 'ghostline', editor, style);
      const plain = pooled(data, 'plain', editor, style);
      rows.push([
        style,
        editor,
        `${pct(ours.saved)} · ${num(ours.callsPerKeystroke)}`,
        `${pct(plain.saved)} · ${num(plain.callsPerKeystroke)}`,
        ...(withTabby ? [tabbyCell(data, editor, style)] : []),
        ours.perSeed.map(pct).join(' / '),
        plain.perSeed.map(pct).join(' / '),
        `${pct(ours.ceiling)} / ${pct(plain.ceiling)}`,
        `${ours.artifacts} / ${plain.artifacts}`,
        `${ours.unanswered} / ${plain.unanswered}`,
      ]);
    }
  return table(
    [
      'answer style',
      'editor pattern',
      'ghostline: saved % · calls per key',
      'plain pipeline',
      ...(withTabby ? ["Tabby's agent (bench/tabby-shim.ts)"] : []),
      `ghostline per seed (${data.seeds.join(' / ')})`,
      'plain per seed',
      'ceiling (ghostline / plain)',
      'suggestions with an artifact (ghostline / plain)',
      'unanswered (ghostline / plain)',
    ],
    rows,
  );
}

/** ghostline's clean saved % over all seeds against the goals, and against the plain pipeline. */
export function baselineTargets(data: Baseline): Target[] {
  const list: Target[] = [];
  if (!data.styles.includes('clean')) return list;
  for (const editor of data.editors) {
    const ours = pooled(data, 'ghostline', editor, 'clean');
    const plain = pooled(data, 'plain', editor, 'clean');
    const goal = SAVED_TARGET[editor];
    if (goal !== undefined)
      list.push({
        name: `saved % of typed characters, ${editor}, clean answers, seeds ${data.seeds.join(', ')} pooled, ~${data.chars} characters per file`,
        target: `≥ ${goal * 100} %`,
        value: ours.saved,
        pass: ours.saved === null ? null : ours.saved >= goal,
        source: `baseline ghostline ${editor}/clean pooled savedChars / typedChars`,
      });
    list.push({
      name: `saved % at or above the plain pipeline, ${editor}, clean answers, seeds pooled (plain: ${pct(plain.saved)})`,
      target: '≥ plain',
      value: ours.saved,
      pass: ours.saved === null || plain.saved === null ? null : ours.saved >= plain.saved,
      source: `baseline ${editor}/clean pooled, ghostline vs plain`,
    });
    const tabby = pooled(data, 'tabby', editor, 'clean');
    if (tabby.saved !== null)
      list.push({
        name: `saved % at or above Tabby's agent (informational: a modelled Tabby server), ${editor}, clean answers, seeds pooled (Tabby: ${pct(tabby.saved)})`,
        target: "≥ Tabby's agent",
        value: ours.saved,
        pass: ours.saved === null ? null : ours.saved >= tabby.saved,
        source: `baseline ${editor}/clean pooled, ghostline vs tabby-agent`,
      });
  }
  // Each other answer style against clean answers on the same seeds (the others may run on fewer).
  for (const style of data.styles.filter((s) => s !== 'clean'))
    for (const editor of data.editors) {
      const seeds = [...new Set(data.cells.filter((c) => c.result.style === style).map((c) => c.seed))];
      const ours = pooled(data, 'ghostline', editor, style, seeds);
      const clean = pooled(data, 'ghostline', editor, 'clean', seeds);
      if (ours.saved === null || clean.saved === null || clean.saved === 0) continue;
      const ratio = ours.saved / clean.saved;
      list.push({
        name: `saved % with ${style} answers ≥ ${STYLE_RATIO_TARGET * 100} % of clean, ${editor}, seeds ${seeds.join(', ')} pooled, ~${data.chars} characters per file (${pct(ours.saved)} vs ${pct(clean.saved)})`,
        target: `≥ ${STYLE_RATIO_TARGET * 100} % of clean`,
        value: ratio,
        pass: ratio >= STYLE_RATIO_TARGET,
        source: `baseline ghostline ${editor}/${style} vs ${editor}/clean pooled over the same seeds`,
      });
    }
  return list;
}
