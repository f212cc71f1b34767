/**
 * The answer-style matrix of the benchmark: every fake-model answer style (clean, fenced, echoing,
 * chatty…) replayed under every editor pattern, reported as saved % of typed characters and model
 * calls per keystroke, with the suggestions that leaked an artifact, and checked against targets.
 */
import type { ProfileResult } from './profile-metrics.ts';
import { table, type Target } from './report.ts';

export interface StyleMatrix {
  styles: string[];
  editors: string[];
  results: ProfileResult[];
}

/** Saved % each editor pattern must reach on clean answers. */
export const SAVED_TARGET: Record<string, number> = { vscode: 0.95, neovim: 0.9, helix: 0.9, 'helix-manual': 0.9 };
/** Every style's saved % relative to the clean style's, per editor pattern. */
export const STYLE_RATIO_TARGET = 0.95;
export const CALLS_PER_KEYSTROKE_TARGET = 0.05;

const pct = (value: number | null | undefined): string =>
  value === null || value === undefined ? '–' : `${(value * 100).toFixed(1)} %`;
const num = (value: number | null | undefined, digits = 3): string =>
  value === null || value === undefined ? '–' : Number(value.toFixed(digits)).toString();

function cell(matrix: StyleMatrix, editor: string, style: string): ProfileResult | undefined {
  return matrix.results.find((r) => r.editor === editor && r.style === style);
}

export function stylesTable(matrix: StyleMatrix): string {
  const rows = matrix.styles.map((style) => [
    style,
    ...matrix.editors.map((editor) => {
      const r = cell(matrix, editor, style);
      if (!r) return '–';
      const clean = cell(matrix, editor, 'clean')?.savedShare;
      const relative = style !== 'clean' && clean ? ` (${Math.round(((r.savedShare ?? 0) / clean) * 100)} %)` : '';
      return `${pct(r.savedShare)}${relative} · ${num(r.callsPerKeystroke)}`;
    }),
  ]);
  const totals = (get: (r: ProfileResult) => number) =>
    matrix.editors.map((editor) =>
      String(matrix.results.filter((r) => r.editor === editor).reduce((n, r) => n + get(r), 0)),
    );
  const artifactKinds = [...new Set(matrix.results.flatMap((r) => Object.keys(r.artifacts)))].sort();
  return [
    'Each cell: saved % of typed characters (relative to the clean style) · model calls per keystroke.',
    '',
    table(['answer style', ...matrix.editors], rows),
    '',
    table(
      ['over all styles', ...matrix.editors],
      [
        [
          'keystrokes per style',
          ...matrix.editors.map((editor) => String(cell(matrix, editor, matrix.styles[0]!)?.keystrokes ?? '–')),
        ],
        ['unanswered requests', ...totals((r) => r.unanswered)],
        ['suggestions with an artifact', ...totals((r) => r.suggestionsWithArtifacts)],
        ...artifactKinds.map((kind) => [`… ${kind}`, ...totals((r) => r.artifacts[kind] ?? 0)]),
        [
          'suggestions shown / right',
          ...matrix.editors.map((editor) => {
            const rs = matrix.results.filter((r) => r.editor === editor);
            return `${rs.reduce((n, r) => n + r.shown, 0)} / ${rs.reduce((n, r) => n + r.correct, 0)}`;
          }),
        ],
      ],
    ),
  ].join('\n');
}

export function styleTargets(matrix: StyleMatrix): Target[] {
  const list: Target[] = [];
  for (const editor of matrix.editors) {
    const rows = matrix.results.filter((r) => r.editor === editor);
    const clean = cell(matrix, editor, 'clean')?.savedShare ?? null;
    const goal = SAVED_TARGET[editor];
    if (goal !== undefined) {
      list.push({
        name: `saved % of typed characters, ${editor}, clean answers, the style matrix's seed (~100 characters per file)`,
        target: `≥ ${goal * 100} %`,
        value: clean,
        pass: clean === null ? null : clean >= goal,
        source: `styleMatrix ${editor}/clean savedShare`,
      });
    }
    if (clean && rows.length > 1) {
      const worst = rows
        .filter((r) => r.style !== 'clean')
        .reduce<ProfileResult | undefined>(
          (w, r) => (w === undefined || (r.savedShare ?? 0) < (w.savedShare ?? 0) ? r : w),
          undefined,
        );
      const relative = worst ? (worst.savedShare ?? 0) / clean : null;
      list.push({
        name: `worst answer style vs clean, ${editor}${worst ? ` (${worst.style})` : ''}`,
        target: `≥ ${STYLE_RATIO_TARGET * 100} %`,
        value: relative,
        pass: relative === null ? null : relative >= STYLE_RATIO_TARGET,
        source: `styleMatrix ${editor} min savedShare / clean`,
      });
    }
  }
  const perKey = matrix.results.map((r) => r.callsPerKeystroke ?? 0);
  const worstPerKey = perKey.length === 0 ? null : Math.max(...perKey);
  list.push({
    name: 'model calls per keystroke (worst cell)',
    target: `≤ ${CALLS_PER_KEYSTROKE_TARGET}`,
    value: worstPerKey,
    pass: worstPerKey === null ? null : worstPerKey <= CALLS_PER_KEYSTROKE_TARGET,
    source: 'styleMatrix max callsPerKeystroke',
  });
  const unanswered = matrix.results.reduce((n, r) => n + r.unanswered, 0);
  list.push({
    name: 'unanswered requests (all cells)',
    target: '0',
    value: unanswered,
    pass: unanswered === 0,
    source: 'styleMatrix sum unanswered',
  });
  const leaked = matrix.results.reduce((n, r) => n + r.suggestionsWithArtifacts, 0);
  list.push({
    name: 'suggestions with a fence, tag, prose, echo or suffix duplicate (all cells)',
    target: '0',
    value: leaked,
    pass: leaked === 0,
    source: 'styleMatrix sum suggestionsWithArtifacts',
  });
  return list;
}

/** Unsaved typed characters by cause, one column per cell of the matrix (profile-metrics.ts `lossBreakdown`). */
export function lossesTable(matrix: StyleMatrix): string {
  const cells = matrix.styles.flatMap((style) =>
    matrix.editors.flatMap((editor) => {
      const r = cell(matrix, editor, style);
      return r ? [r] : [];
    }),
  );
  const causes = [...new Set(cells.flatMap((r) => Object.keys(r.losses)))].sort(
    (a, b) => cells.reduce((n, r) => n + (r.losses[b] ?? 0), 0) - cells.reduce((n, r) => n + (r.losses[a] ?? 0), 0),
  );
  const rows = causes.map((cause) => [cause, ...cells.map((r) => String(r.losses[cause] ?? 0))]);
  rows.push(['typed characters', ...cells.map((r) => String(r.typedChars))]);
  rows.push(['saved', ...cells.map((r) => String(r.savedChars))]);
  return [
    'Unsaved typed characters by cause (the last request sent before each character was typed).',
    '',
    table(['cause', ...cells.map((r) => `${r.editor} ${r.style}`)], rows),
  ].join('\n');
}
