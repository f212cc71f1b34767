/**
 * Headless Neovim (Debian's 0.7.2 in CI) loading clients/nvim unmodified, against the built
 * server and the fake OpenAI server: completion inserted where the item's range says, ghost text
 * accepted and dismissed with the plugin's keys, :checkhealth. The editor-side steps are in
 * test/e2e/nvim/scenarios.lua; the assertions are here.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI, type FakeRequest, type Responder } from '../fake-openai/server.ts';
import { parseCompletionInput } from '../../server/src/context/prompt.ts';
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
import { EXPLANATION, TOTAL_REWRITTEN, TOTAL_SOURCE } from '../helpers/total-fixture.ts';

let fake: FakeOpenAI;
let continuation: (prefix: string) => string = () => '';
let responder: Responder | undefined;

const NVIM_VERSION = execFileSync('nvim', ['--version'], { encoding: 'utf8' }).split('\n')[0];

function prefixOf(request: FakeRequest): string {
  return parseCompletionInput(request.body.input)?.prefix ?? '';
}

beforeAll(async () => {
  fake = await startFakeOpenAI({
    responder: (request) => responder?.(request) ?? { kind: 'text', text: continuation(prefixOf(request)) },
  });
});
afterAll(async () => {
  await fake.close();
  removeProjects();
});

async function nvim(
  scenario: string,
  project: Project,
  file: string,
  opts: Record<string, unknown> = {},
  env: Record<string, string> = {},
  answer?: Responder,
): Promise<EditorRun> {
  responder = answer;
  const run = await runEditor({
    command: 'nvim',
    args: ['--headless', '-n', '-i', 'NONE', '-u', join(ROOT, 'test/e2e/nvim/init.lua'), project.path(file)],
    project,
    env: {
      OPENAI_API_KEY: 'sk-test-e2e-0000',
      OPENAI_BASE_URL: fake.url,
      GHOSTLINE_COMPLETION__DEBOUNCE_MS: '0',
      GHOSTLINE_LOG_LEVEL: 'warn',
      GHOSTLINE_E2E_SCENARIO: scenario,
      GHOSTLINE_E2E_CMD: JSON.stringify(SERVER_CMD),
      GHOSTLINE_E2E_OPTS: JSON.stringify(opts),
      ...env,
    },
  });
  if (!run.ok) throw new Error(describeRun(run));
  return run;
}

describe(`Neovim (${NVIM_VERSION})`, { timeout: 90_000 }, () => {
  it('inserts a completion over its textEdit range: `corner.` + `x` gives `corner.x…`, and CSS `margin-to` gives `margin-top`', async () => {
    continuation = (prefix) =>
      prefix.endsWith('margin-to') ? 'p: 0;' : prefix.endsWith('corner.x') ? 'Coordinate * 2;' : '';
    const project = makeProject({
      'corner.ts': 'function area(corner: Point) {\n  return corner.\n}\n',
      'box.css': '.box {\n  margin-to\n}\n',
    });
    const run = await nvim(
      'completion',
      project,
      'corner.ts',
      { ghost_text: { enabled: false } },
      { GHOSTLINE_E2E_CSS: project.path('box.css') },
    );
    const o = run.observations;
    expect(o.popup).toEqual(['xCoordinate * 2;']);
    expect(o.ts).toEqual(['function area(corner: Point) {', '  return corner.xCoordinate * 2;', '}']);
    expect(o.ts[1]).not.toContain('..');
    expect(o.accepted_after_ts).toBe(1);
    // Vim's CSS keyword includes '-', the server's word does not: only the range gets this right.
    expect(o.css_iskeyword_has_dash).toBe(true);
    expect(o.css).toEqual(['.box {', '  margin-top: 0;', '}']);
  });

  it('inserts every line of a multi-line completion item, cursor at its end', async () => {
    continuation = () => 'const sum = a + b;\n  return sum;';
    const project = makeProject({ 'add.ts': 'function add(a: number, b: number) {\n  \n}\n' });
    const run = await nvim('multiline', project, 'add.ts', { ghost_text: { enabled: false } });
    const o = run.observations;
    expect(o.popup).toEqual(['const sum = a + b;']);
    expect(o.lines).toEqual(['function add(a: number, b: number) {', '  const sum = a + b;', '  return sum;', '}']);
    expect(o.cursor).toEqual([3, '  return sum;'.length]);
  });

  it('shows ghost text while typing, accepts a word then the rest, reports the accept, and dismisses', async () => {
    // Only after a typed `r`: the request that follows an accept (after `;`) gets no suggestion.
    continuation = (prefix) => (prefix.endsWith('r') ? 'educe((sum, x) => sum + x, 0);' : '');
    const project = makeProject({ 'total.ts': 'const total = values.\n' });
    const run = await nvim('ghost', project, 'total.ts');
    const o = run.observations;
    expect(o.ghost).toEqual(['educe((sum, x) => sum + x, 0);']);
    // Ghost text is virtual: the buffer holds only what was typed.
    expect(o.before_accept).toEqual(['const total = values.r']);
    expect(o.after_word).toEqual(['const total = values.reduce']);
    expect(o.ghost_after_word).toEqual(['((sum, x) => sum + x, 0);']);
    expect(o.after_accept).toEqual(['const total = values.reduce((sum, x) => sum + x, 0);']);
    expect(o.cursor_after_accept).toEqual([1, 'const total = values.reduce((sum, x) => sum + x, 0);'.length]);
    expect(o.ghost_after_accept).toEqual([]);
    expect(o.accepted).toBe(1);
    expect(o.ghost_after_dismiss).toEqual([]);
    expect(o.after_dismiss).toEqual(['const total = values.reduce((sum, x) => sum + x, 0);', 'r']);
  });

  it('applies a refactor chosen in the native code-action menu, and streams an explanation into a float', async () => {
    continuation = () => '';
    const project = makeProject({ 'total.ts': TOTAL_SOURCE });
    const run = await nvim(
      'actions',
      project,
      'total.ts',
      { ghost_text: { enabled: false }, settings: { actions: { variants: 4 } } },
      {},
      (request) =>
        request.body.model === 'gpt-4.1'
          ? { kind: 'text', text: TOTAL_REWRITTEN }
          : { kind: 'text', text: EXPLANATION, chunkChars: 7 },
    );
    const o = run.observations;
    // setup({ settings }) reached the server: 4 variants instead of the default 3.
    expect(o.menu).toEqual(
      expect.arrayContaining([
        'ghostline: Refactor',
        'ghostline: Refactor (4 variants)',
        'ghostline: Explain',
        'ghostline: Generate unit tests',
      ]),
    );
    expect(o.refactored).toEqual(['// Sums prices.', ...TOTAL_REWRITTEN.split('\n')]);
    // Progress of the resolve (server-created token) was shown: a begin and an end.
    expect(o.progress[0]).toMatchObject({ title: 'ghostline: Refactor', done: false });
    expect(o.progress.at(-1)).toMatchObject({ done: true });
    // The explanation arrived in pieces and was rendered live in a floating window.
    expect(o.stream_lines.join('\n')).toBe(EXPLANATION);
    expect(o.stream_notifications).toBeGreaterThan(2);
    expect(o.stream_state).toBe('done');
    expect(o.stream_window_floating).toBe(true);
    expect(o.unchanged_by_explain).toBe(true);
  });

  it('reports a healthy setup in :checkhealth ghostline, answers :help ghostline from the shipped tags, and ships lsp/ghostline.lua for vim.lsp.enable', async () => {
    const project = makeProject({ 'a.ts': 'const a = 1;\n' });
    const run = await nvim('health', project, 'a.ts');
    const text = (run.observations.health as string[]).join('\n');
    expect(text).toMatch(/ghostline: Neovim/);
    expect(text).toMatch(/OK:? .*ghostline \d+\.\d+\.\d+/);
    expect(text).toMatch(/OK:? an OpenAI API key is set/);
    expect(text).toMatch(/OK:? client \d+ .*completionProvider.*inlineCompletionProvider/);
    expect(text).not.toMatch(/ERROR/);
    // :help ghostline works from the shipped doc/tags, which match what :helptags builds.
    expect(run.observations.help_main_line).toMatch(/\*ghostline\*/);
    expect(run.observations.help_main_file).toBe(join(ROOT, 'clients/nvim/doc/ghostline.txt'));
    expect(run.observations.help_line).toMatch(/\*ghostline-setup\*/);
    expect(run.observations.help_tags_current).toBe(true);
    expect(run.observations.lsp_config).toEqual({
      name: 'ghostline',
      cmd: SERVER_CMD,
      roots: [project.dir],
      stream: true,
    });
    expect(run.observations.lsp_config_declines_help).toBe(true);
  });

  it('advises only install commands that work when the server is not installed', async () => {
    const project = makeProject({ 'a.ts': 'const a = 1;\n' });
    const run = await nvim(
      'health_missing',
      project,
      'a.ts',
      {},
      { GHOSTLINE_E2E_CMD: JSON.stringify(['ghostline-not-installed', '--stdio']) },
    );
    const text = (run.observations.health as string[]).join('\n');
    expect(text).toMatch(/ERROR:? ghostline-not-installed is not executable/);
    expect(text).toContain('npm ci && npm pack && npm install -g ./ghostline-*.tgz');
    expect(text).toContain("cmd = { 'node', '/path/to/ghostline/bin/ghostline.js', '--stdio' }");
    // There is no `ghostline` package in the npm registry to install by name.
    expect(text).not.toMatch(/npm install -g ghostline(?![-.\w])/);
  });

  it("keeps the server's info lines out of lsp.log, where Neovim files all of stderr under [ERROR]", async () => {
    // Nothing chosen: the plugin starts the server at `warn`, and a session leaves no [ERROR] lines.
    const quiet = await nvim('log', makeProject({ 'a.ts': 'const a = 1;\n' }), 'a.ts', {}, { GHOSTLINE_LOG_LEVEL: '' });
    expect(quiet.observations.server_env_level).toBe('warn');
    expect(quiet.observations.stderr_errors).toEqual([]);
    // The same session with the user's choice of `info` (honoured): the server's info lines arrive
    // as [ERROR], which is what the default avoids.
    const chatty = await nvim(
      'log',
      makeProject({ 'a.ts': 'const a = 1;\n' }),
      'a.ts',
      { cmd_env: { GHOSTLINE_LOG_LEVEL: 'info' } },
      { GHOSTLINE_LOG_LEVEL: '' },
    );
    expect(chatty.observations.server_env_level).toBe('info');
    expect((chatty.observations.stderr_errors as string[]).join('\n')).toMatch(/initialize/);
  });
});
