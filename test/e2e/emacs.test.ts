/**
 * Emacs (Debian's 28 with eglot 1.9 in CI) in batch mode loading clients/emacs unmodified,
 * against the built server and the fake OpenAI server: completion-at-point inserts the item's
 * textEdit and reports the accept, a refactor chosen in Eglot's code-action menu is applied, and
 * an explanation streams into its buffer. Editor-side steps: test/e2e/emacs/driver.el.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI, type Responder } from '../fake-openai/server.ts';
import {
  describeRun,
  makeProject,
  removeProjects,
  ROOT,
  runEditor,
  SERVER_CMD,
  type EditorRun,
  type Project,
} from './helpers/editor.ts';

let fake: FakeOpenAI;
let responder: Responder = () => ({ kind: 'text', text: '' });

const EMACS_VERSION = execFileSync('emacs', ['--version'], {
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'ignore'],
}).split('\n')[0];
const EGLOT_VERSION =
  /eglot-([\d.]+)/.exec(
    execFileSync('emacs', ['--batch', '--eval', '(princ (locate-library "eglot"))'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }),
  )?.[1] ?? 'built in';

const TOTAL_SOURCE = [
  '// Sums prices.',
  'export function total(items) {',
  '  let sum = 0;',
  '  for (let i = 0; i < items.length; i++) {',
  '    sum = sum + items[i].price;',
  '  }',
  '  return sum;',
  '}',
  '',
].join('\n');
const TOTAL_REWRITTEN = [
  'export function total(items) {',
  '  let sum = 0;',
  '  for (const item of items) {',
  '    sum += item.price;',
  '  }',
  '  return sum;',
  '}',
].join('\n');
const EXPLANATION = 'Adds up the `price` of every item.\n\n- Returns 0 for an empty list.';

beforeAll(async () => {
  fake = await startFakeOpenAI({ responder: (request) => responder(request) });
});
afterAll(async () => {
  await fake.close();
  removeProjects();
});

const TOTAL_PY = [
  '# Sums prices.',
  'def total(items):',
  '    result = 0',
  '    for i in range(len(items)):',
  '        result = result + items[i]["price"]',
  '    return result',
  '',
].join('\n');
const TOTAL_PY_REWRITTEN = [
  'def total(items):',
  '    result = 0',
  '    for item in items:',
  '        result += item["price"]',
  '    return result',
].join('\n');

/** README.md's Emacs snippet, as a reader copies it. */
const README_SNIPPET = /\*\*Emacs \(eglot\)\*\*\n```elisp\n([\s\S]*?)```/.exec(
  readFileSync(join(ROOT, 'README.md'), 'utf8'),
)![1]!;

async function emacs(scenario: string, project: Project, extraEnv: Record<string, string> = {}): Promise<EditorRun> {
  const run = await runEditor({
    command: 'emacs',
    args: ['--batch', '-L', join(ROOT, 'clients/emacs'), '-l', join(ROOT, 'test/e2e/emacs/driver.el')],
    project,
    env: {
      OPENAI_API_KEY: 'sk-test-e2e-0000',
      OPENAI_BASE_URL: fake.url,
      GHOSTLINE_COMPLETION__DEBOUNCE_MS: '0',
      GHOSTLINE_LOG_LEVEL: 'warn',
      GHOSTLINE_E2E_SCENARIO: scenario,
      GHOSTLINE_E2E_CMD: JSON.stringify(SERVER_CMD),
      ...extraEnv,
    },
  });
  if (!run.ok) throw new Error(describeRun(run));
  return run;
}

describe(`Emacs (${EMACS_VERSION}, eglot ${EGLOT_VERSION})`, { timeout: 90_000 }, () => {
  it('completes `corner.` + `x` with completion-at-point over the item range and reports the accept', async () => {
    responder = () => ({ kind: 'text', text: '_coordinate * 2' });
    const project = makeProject({ 'corner.py': 'def area(corner):\n    return corner.\n' });
    const run = await emacs('completion', project);
    expect(run.observations.lines).toEqual(['def area(corner):', '    return corner.x_coordinate * 2', '']);
    expect(run.observations.accepted).toBe(1);
  });

  it('applies a refactor chosen in the code-action menu and streams an explanation into its buffer', async () => {
    responder = (request) =>
      request.body.model === 'gpt-4.1'
        ? { kind: 'text', text: TOTAL_REWRITTEN }
        : { kind: 'text', text: EXPLANATION, chunkChars: 7 };
    const project = makeProject({ 'total.js': TOTAL_SOURCE });
    const run = await emacs('actions', project);
    const o = run.observations;
    // `ghostline-settings` reached the server: 2 variants instead of the default 3.
    expect(o.menu).toEqual(
      expect.arrayContaining([
        'ghostline: Refactor',
        'ghostline: Refactor (2 variants)',
        'ghostline: Explain',
        'ghostline: Generate unit tests',
      ]),
    );
    expect(o.refactored).toEqual(['// Sums prices.', ...TOTAL_REWRITTEN.split('\n'), '']);
    expect(o.stream_lines.join('\n')).toBe(EXPLANATION);
    expect(o.stream_buffer).toMatch(/^\*ghostline explain /);
    expect(o.stream_displayed).toBe(true);
    expect(o.unchanged_by_explain).toBe(true);
  });

  it('starts only in the modes of `ghostline-major-modes`: a Python file yes, init.el no', async () => {
    responder = () => ({ kind: 'text', text: '' });
    const project = makeProject({
      'init.el': '(setq inhibit-startup-screen t)\n',
      'corner.py': 'def area(corner):\n    return corner\n',
    });
    const o = (await emacs('modes', project)).observations;
    expect(o.init_mode).toBe('emacs-lisp-mode');
    expect(o.init_managed).toBe(false);
    expect(o.python_managed).toBe(true);
    expect(o.init_managed_after).toBe(false);
  });

  it('says what to do with a TypeScript file on an Emacs without a TypeScript mode, and the documented js-mode way works', async () => {
    responder = () => ({ kind: 'text', text: '' });
    const project = makeProject({ 'total.ts': 'export const total = (items: number[]): number => 0;\n' });
    const o = (await emacs('typescript', project)).observations;
    if (Number(/GNU Emacs (\d+)/.exec(EMACS_VERSION ?? '')?.[1]) < 29) {
      expect(o.ts_mode).toBe('fundamental-mode');
      expect(o.ts_message).toBe(true);
      // A user-error naming the way out, not `(wrong-type-argument processp nil)`.
      expect(o.start_error).toMatch(/^\(user-error "Emacs 28 has no TypeScript mode.*typescript-mode.*js-mode/);
    }
    expect(o.mapped_mode).toBe('js-mode');
    expect(o.mapped_managed).toBe(true);
  });

  it("applies a refactor through README.md's plain Eglot snippet while the model takes longer than jsonrpc's 10 s default", {
    timeout: 120_000,
  }, async () => {
    // About 13 s of streaming: 5-character chunks every 450 ms (within the server's idle timeout).
    responder = (request) =>
      request.body.model === 'gpt-4.1'
        ? { kind: 'text', text: TOTAL_PY_REWRITTEN, chunkChars: 5, chunkDelayMs: 450 }
        : { kind: 'text', text: '' };
    const run = await emacs('readme', makeProject({ 'total.py': TOTAL_PY }), { GHOSTLINE_E2E_SNIPPET: README_SNIPPET });
    // The snippet's line: Emacs 28's jsonrpc gives up on a request after 10 s (jsonrpc.el), and this
    // answer streams for longer (27 chunks, 450 ms apart).
    expect(run.observations.timeout).toBeGreaterThanOrEqual(60);
    expect(run.observations.menu).toContain('ghostline: Refactor');
    expect(run.observations.action_error).toBe('no error');
    expect(run.observations.refactored).toEqual(['# Sums prices.', ...TOTAL_PY_REWRITTEN.split('\n'), '']);
  });
});
