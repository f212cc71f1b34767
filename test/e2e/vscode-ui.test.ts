/**
 * The VS Code extension end to end, through the real UI: code-server (VS Code 1.139) with the
 * packaged .vsix installed as docs/clients.md says, driven in headless Chromium, the extension
 * pointed at the built server (absolute path in settings: the extension host takes PATH from a login
 * shell) and the model at the fake OpenAI server. What a user sees is checked on screen: the status
 * bar item, ghost text accepted with Tab, ghostline's item among the visible rows of the suggest
 * widget beside the TypeScript extension's own, the code-action menu and a refactor applied in one
 * step, an explanation streamed into the "ghostline: actions" output, and no error notification.
 * A screenshot of each step is kept in test/e2e/.artifacts/vscode/ (gitignored; the path is printed).
 *
 * code-server comes from .ci/install-code-server (cached under ~/.cache/ghostline-ci); when it is
 * not installed the test installs it (about 2 minutes) and fails if that fails: it never skips.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseCompletionInput } from '../../server/src/context/prompt.ts';
import { startFakeOpenAI, type FakeOpenAI, type FakeRequest } from '../fake-openai/server.ts';
import { codeServerEntry, launchBrowser, startCodeServer, type CodeServer } from './helpers/code-server.ts';
import { makeProject, removeProjects, ROOT, type Project } from './helpers/editor.ts';
import { EXPLANATION, TOTAL_REWRITTEN, TOTAL_SOURCE } from '../helpers/total-fixture.ts';

const EXTENSION = join(ROOT, 'clients/vscode');
const ARTIFACTS = join(ROOT, 'test/e2e/.artifacts/vscode');
/** Node 24 first on PATH, so npm scripts and vsce's shebangs run on the project's Node. */
const ENV = { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH}` };

const APP_SOURCE = ['const values: number[] = [1, 2, 3];', '', ''].join('\n');

/** What the fake model answers to a completion prompt, by the text before the cursor. */
function continuation(prefix: string): string {
  if (prefix.endsWith('const doubled = ')) return 'values.map((value) => value * 2);';
  if (prefix.endsWith('values.')) return 'filter((value) => value > 1).length;';
  return '';
}

function respond(request: FakeRequest) {
  const input =
    typeof request.body.input === 'string'
      ? request.body.input
      : JSON.stringify(request.body.input ?? request.body.messages ?? '');
  const completion = parseCompletionInput(input);
  if (completion) return { kind: 'text' as const, text: continuation(completion.prefix) };
  if (request.body.model === 'gpt-4.1') return { kind: 'text' as const, text: TOTAL_REWRITTEN };
  return { kind: 'text' as const, text: EXPLANATION, chunkChars: 7 };
}

let fake: FakeOpenAI;
let server: CodeServer | undefined;
let context: BrowserContext | undefined;
let page: Page;
let project: Project;
let step = 0;

async function shot(name: string): Promise<void> {
  step++;
  await page.screenshot({ path: join(ARTIFACTS, `${String(step).padStart(2, '0')}-${name}.png`) });
}

/** Runs a command from the palette (F1), by its title. */
async function palette(title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
}

/** Opens a workspace file with Quick Open and waits for its editor to have focus. */
async function openFile(name: string): Promise<void> {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(name);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.tab.active', { hasText: name }).waitFor();
  // Focus the text (VS Code 1.139 reads keys through an EditContext element, not a textarea).
  await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().click();
}

/** Saves the active editor and returns the file's text on disk. */
async function saved(name: string, until: (text: string) => boolean): Promise<string> {
  let text = '';
  await expect
    .poll(
      async () => {
        await page.keyboard.press('Control+S');
        text = readFileSync(project.path(name), 'utf8');
        return until(text);
      },
      { timeout: 30_000, interval: 500 },
    )
    .toBe(true);
  return text;
}

/** Opens the code-action menu (Ctrl+.) on the selection; asks again if the editor was not ready. */
async function codeActionMenu() {
  const menu = page.locator('.action-widget:not(.action-list-submenu-panel)');
  await expect
    .poll(
      async () => {
        if (await menu.isVisible()) return true;
        await page.keyboard.press('Control+.');
        await menu.waitFor({ timeout: 5_000 }).catch(() => undefined);
        return menu.isVisible();
      },
      { timeout: 60_000, interval: 500 },
    )
    .toBe(true);
  return menu;
}

/** Every notification so far (toasts and the notification center), with its severity. */
async function notifications(): Promise<{ severity: string; text: string }[]> {
  await palette('Notifications: Show Notifications');
  await page.locator('.notifications-center').waitFor({ state: 'visible' });
  const rows = page.locator('.notifications-center .notification-list-item');
  const out: { severity: string; text: string }[] = [];
  for (let i = 0; i < (await rows.count()); i++) {
    const row = rows.nth(i);
    const icon = (await row.locator('.notification-list-item-icon').getAttribute('class')) ?? '';
    const severity = /codicon-error/.test(icon) ? 'error' : /codicon-warning/.test(icon) ? 'warning' : 'info';
    out.push({ severity, text: (await row.innerText()).replace(/\s+/g, ' ').trim() });
  }
  return out;
}

beforeAll(async () => {
  rmSync(ARTIFACTS, { recursive: true, force: true });
  mkdirSync(ARTIFACTS, { recursive: true });
  const entry = codeServerEntry();
  if (!existsSync(join(EXTENSION, 'node_modules/.package-lock.json'))) {
    execFileSync('npm', ['ci', '--prefix', EXTENSION, '--no-audit', '--no-fund'], {
      cwd: ROOT,
      env: ENV,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }
  const work = mkdtempSync(join(tmpdir(), 'ghostline-vscode-'));
  const vsix = join(work, 'ghostline.vsix');
  execFileSync(
    process.execPath,
    ['node_modules/@vscode/vsce/vsce', 'package', '--allow-missing-repository', '--out', vsix],
    { cwd: EXTENSION, env: ENV, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  fake = await startFakeOpenAI({ responder: respond });
  project = makeProject({ 'total.ts': TOTAL_SOURCE, 'app.ts': APP_SOURCE });
  server = await startCodeServer({
    entry,
    dir: work,
    vsix,
    env: {
      OPENAI_API_KEY: 'sk-test-e2e-0000',
      OPENAI_BASE_URL: fake.url,
      GHOSTLINE_LOG_FILE: join(ARTIFACTS, 'server.log'),
      GHOSTLINE_LOG_LEVEL: 'debug',
    },
    settings: {
      // The built server, by absolute path (docs/clients.md: set it when `ghostline` is not on the PATH VS Code sees).
      'ghostline.server.path': process.execPath,
      'ghostline.server.args': [join(ROOT, 'bin/ghostline.js'), '--stdio'],
      'ghostline.providers': { openai: { baseUrl: fake.url } },
      'ghostline.completion.debounceMs': 0,
      // A quiet workbench: no welcome page, tips, chat or update checks covering the editor.
      'workbench.startupEditor': 'none',
      'workbench.tips.enabled': false,
      'workbench.enableExperiments': false,
      'security.workspace.trust.enabled': false,
      'extensions.autoCheckUpdates': false,
      'extensions.autoUpdate': false,
      'extensions.ignoreRecommendations': true,
      'update.mode': 'none',
      'telemetry.telemetryLevel': 'off',
      'chat.disableAIFeatures': true,
      'window.restoreWindows': 'none',
      'files.autoSave': 'off',
    },
  });
  ({ context } = await launchBrowser(join(work, 'chromium-profile')));
  page = context.pages()[0]!;
  await page.goto(`${server.url}?folder=${encodeURIComponent(project.dir)}`);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
}, 20 * 60_000);

afterEach(async ({ task }) => {
  if (task.result?.state === 'fail' && context) await shot(`FAILED-${task.name.slice(0, 40).replace(/\W+/g, '-')}`);
});

afterAll(async () => {
  await context?.close();
  await server?.close();
  await fake?.close();
  removeProjects();
  console.info(`VS Code screenshots: ${ARTIFACTS}`);
});

describe('VS Code (code-server 4.139, VS Code 1.139) with the packaged extension', { timeout: 120_000 }, () => {
  it('shows the status bar item once the server answers, with no error notification on start', async () => {
    const item = page.locator('.statusbar-item', { hasText: 'ghostline' });
    await item.first().waitFor({ timeout: 60_000 });
    // The item's text changes from "ghostline" to the server's counters after the first stats call.
    await expect.poll(async () => item.first().innerText(), { timeout: 60_000 }).toMatch(/cache \d+% · \$0\.0000/);
    await shot('status-bar');
    expect(await notifications()).toEqual([]);
    await page.keyboard.press('Escape');
  });

  it('shows ghost text while typing, and Tab accepts it', async () => {
    await openFile('app.ts');
    await page.keyboard.press('Control+End');
    await page.keyboard.type('const doubled = ', { delay: 20 });
    const ghost = page.locator('.monaco-editor .ghost-text-decoration, .monaco-editor .ghost-text');
    await ghost.first().waitFor({ timeout: 30_000 });
    await shot('ghost-text');
    expect((await ghost.allInnerTexts()).join('').replaceAll('\u00a0', ' ')).toContain(
      'values.map((value) => value * 2);',
    );
    await page.keyboard.press('Tab');
    const text = await saved('app.ts', (t) => t.includes('const doubled = values'));
    await shot('ghost-text-accepted');
    expect(text.split('\n')[2]).toBe('const doubled = values.map((value) => value * 2);');
  });

  it("lists ghostline's completion among the visible rows of the suggest widget, beside TypeScript's", async () => {
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('const bigger = values.', { delay: 20 });
    const widget = page.locator('.suggest-widget.visible');
    await widget.waitFor({ timeout: 30_000 });
    // The rows the widget shows (its list renders only the rows in view).
    const visibleRows = async () => {
      const box = (await widget.locator('.monaco-list').boundingBox())!;
      const out: string[] = [];
      for (const row of await widget.locator('.monaco-list-row').all()) {
        const r = await row.boundingBox();
        if (r && r.y >= box.y - 1 && r.y + r.height <= box.y + box.height + 1)
          out.push((await row.innerText()).replace(/\s+/g, ' ').trim());
      }
      return out;
    };
    await expect
      .poll(async () => (await visibleRows()).join('\n'), { timeout: 30_000 })
      .toMatch(/filter\(\(value\) => value > 1\)\.length; ghostline/);
    const rows = await visibleRows();
    await shot('suggest-widget');
    // First: it matches `.` as TypeScript's members do (the extension puts the dot in its range) and
    // its sortText "0" sorts before their "11".
    expect(rows[0]).toMatch(/^filter\(\(value\) => value > 1\)\.length; ghostline/);
    // TypeScript's own members of number[] are listed too: the normal setup, both providers at work.
    expect(
      rows.filter((row) => /^(at|concat|copyWithin|entries|every|fill|filter|find)\b/.test(row)).length,
    ).toBeGreaterThan(0);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
  });

  it("lists ghostline's actions in the code-action menu, and a refactor applies in one step (no Refactor Preview)", async () => {
    await openFile('total.ts');
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('ArrowDown');
    for (let i = 0; i < 7; i++) await page.keyboard.press('Shift+ArrowDown');
    const menu = await codeActionMenu();
    await expect.poll(async () => menu.innerText(), { timeout: 30_000 }).toContain('ghostline: Refactor');
    const listed = await menu.innerText();
    await shot('code-action-menu');
    // "Generate unit tests" is a source action (`source.generate.tests`): VS Code lists those under
    // Source Action… in the context menu, not here.
    for (const title of [
      'ghostline: Refactor',
      'ghostline: Refactor with instruction…',
      'ghostline: Refactor (3 variants)',
      'ghostline: Explain',
      'ghostline: Add or update doc comment',
    ]) {
      expect(listed).toContain(title);
    }
    await menu
      .locator('.monaco-list-row', { hasText: /^\s*ghostline: Refactor\s*$/ })
      .first()
      .click();
    const text = await saved('total.ts', (t) => t.includes('for (const item of items)'));
    await shot('refactor-applied');
    expect(text).toBe(['// Sums prices.', TOTAL_REWRITTEN, ''].join('\n'));
    // Applied straight away: no Refactor Preview waiting for the edit to be ticked.
    expect(await page.locator('.bulk-edit-panel, .refactor-preview').count()).toBe(0);
  });

  it('streams an explanation into the "ghostline: actions" output, leaving the file as it was', async () => {
    // The refactor's streamed output opened the panel; back to the editor.
    await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('ArrowDown');
    for (let i = 0; i < 7; i++) await page.keyboard.press('Shift+ArrowDown');
    const menu = await codeActionMenu();
    await menu
      .locator('.monaco-list-row', { hasText: /^\s*ghostline: Explain\s*$/ })
      .first()
      .click();
    const output = page.locator('.part.panel .monaco-editor .view-lines');
    const shown = async () => (await output.allInnerTexts()).join('\n').replaceAll('\u00a0', ' ');
    await expect.poll(shown, { timeout: 30_000 }).toContain('- Returns 0 for an empty list.');
    await shot('explanation-streamed');
    const text = await shown();
    expect(text).toContain('## explain');
    expect(text).toContain('Adds up the `price` of every item.');
    expect(await page.locator('.part.panel').innerText()).toMatch(/ghostline: actions|OUTPUT/i);
    expect(readFileSync(project.path('total.ts'), 'utf8')).toBe(['// Sums prices.', TOTAL_REWRITTEN, ''].join('\n'));
  });

  it('showed no error or warning notification during the whole session', async () => {
    const all = await notifications();
    await shot('notifications');
    expect(all.filter((n) => n.severity !== 'info')).toEqual([]);
  });
});
