/**
 * Runs the quick benchmark (`bench/run.ts --quick`, what `npm run bench -- --quick` runs after
 * building) against the built server so the benchmark cannot rot, and checks that its JSON and
 * markdown are complete and the counts consistent. No timing is asserted, only that it was measured.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'ghostline-bench-test-'));
let result: any;
let markdown = '';

beforeAll(async () => {
  await new Promise<void>((resolve, reject) => {
    execFile(
      process.execPath,
      [join(ROOT, 'bench', 'run.ts'), '--quick', '--out', out],
      { cwd: ROOT, timeout: 150_000 },
      (error, _stdout, stderr) => {
        if (error) reject(new Error(`bench --quick failed: ${error.message}\n${stderr}`));
        else resolve();
      },
    );
  });
  result = JSON.parse(readFileSync(join(out, 'quick.json'), 'utf8'));
  markdown = readFileSync(join(out, 'quick.md'), 'utf8');
}, 180_000);

afterAll(() => rmSync(out, { recursive: true, force: true }));

const SUMMARY_KEYS = ['count', 'mean', 'p50', 'p90', 'p99', 'max'];

function expectSummary(summary: any, withSamples: boolean): void {
  expect(Object.keys(summary).sort()).toEqual([...SUMMARY_KEYS].sort());
  if (withSamples) {
    expect(summary.count).toBeGreaterThan(0);
    expect(summary.p50).toBeLessThanOrEqual(summary.p90);
    expect(summary.p90).toBeLessThanOrEqual(summary.p99);
    expect(summary.p99).toBeLessThanOrEqual(summary.max);
  }
}

describe('npm run bench -- --quick', () => {
  it('records the run: mode, defaults, latency and typing models, and the real files it typed', () => {
    expect(result.mode).toBe('quick');
    expect(result.defaults).toMatchObject({
      debounceMs: expect.any(Number),
      maxPromptTokens: expect.any(Number),
      cacheMaxEntries: expect.any(Number),
    });
    expect(result.latencyModel['gpt-4o-mini']).toMatchObject({
      ttftMs: expect.any(Number),
      tokensPerSec: expect.any(Number),
      jitterMs: expect.any(Number),
    });
    expect(result.corpus.length).toBeGreaterThanOrEqual(2);
    for (const file of result.corpus) expect(file.sha256).toMatch(/^[0-9a-f]{16}$/);
    expect(new Set(result.corpus.map((f: any) => f.path.split('.').pop())).size).toBe(result.corpus.length);
  });

  it('replays answer styles under editor patterns: saved share, calls per keystroke, no unanswered request', () => {
    const matrix = result.styleMatrix;
    expect(matrix.styles).toEqual(['clean', 'fenced', 'echo-line']);
    expect(matrix.results).toHaveLength(matrix.styles.length * matrix.editors.length);
    for (const cell of matrix.results) {
      expect(cell.typedChars).toBeGreaterThan(10);
      expect(cell.savedChars).toBeLessThanOrEqual(cell.typedChars);
      expect(cell.savedShare).toBeGreaterThanOrEqual(0);
      expect(cell.callsPerKeystroke).toBeGreaterThan(0);
      expect(cell.unanswered).toBe(0);
    }
    expect(markdown).toContain('## Answer styles × editor patterns');
  });

  it('replays the three editor patterns with consistent counts', () => {
    expect(Object.keys(result.profiles).sort()).toEqual(['helix', 'neovim', 'vscode']);
    for (const profile of Object.values<any>(result.profiles)) {
      expect(profile.keystrokes).toBeGreaterThan(10);
      expect(profile.lspRequests).toBe(profile.answered + profile.empty + profile.cancelled + profile.errors);
      expect(profile.errors).toBe(0);
      expect(profile.modelCalls).toBeGreaterThan(0);
      expect(profile.modelCallsAborted).toBeLessThanOrEqual(profile.modelCalls);
      // ghostline counts a call when it starts one; a call cancelled before its HTTP request left
      // never reaches the model server, so the server-side count can only be higher.
      expect(profile.serverModelCalls).toBeGreaterThanOrEqual(profile.modelCalls);
      expect(profile.promptTokens.total).toBeGreaterThan(0);
      expectSummary(profile.promptTokens.perCall, true);
      expectSummary(profile.latencyMs, true);
      expectSummary(profile.overheadMs, true);
      expectSummary(profile.modelTimeMs, true);
      expect(profile.correct).toBeLessThanOrEqual(profile.shown);
      expect(profile.shown).toBeLessThanOrEqual(profile.answered);
      for (const rate of [profile.cacheHitRate, profile.typedAheadHitRate, profile.correctRate]) {
        expect(rate).toBeGreaterThanOrEqual(0);
        expect(rate).toBeLessThanOrEqual(1);
      }
      expect(profile.pauses).toBeGreaterThan(0);
      expect(profile.callsPerPause).toBeGreaterThan(0);
      expect(profile.peakRssMB).toBeGreaterThan(10);
    }
  });

  it('follows each editor pattern: VS Code asks on every key and cancels, Helix never cancels', () => {
    const { vscode, neovim, helix } = result.profiles;
    expect(vscode.lspRequests).toBe(vscode.keystrokes);
    expect(vscode.cancelled).toBeGreaterThan(0);
    expect(neovim.lspRequests).toBeLessThan(neovim.keystrokes);
    expect(helix.cancelled).toBe(0);
    expect(helix.lspRequests).toBeLessThan(helix.keystrokes);
  });

  it('counts suggestions that match the real continuation (the oracle answers with the file)', () => {
    const correct = Object.values<any>(result.profiles).reduce((n, p) => n + p.correct, 0);
    expect(correct).toBeGreaterThan(0);
  });

  it('runs every micro-benchmark', () => {
    const micro = result.micro;
    for (const key of [
      'coldStartMs',
      'firstCompletionMs',
      'completionOverheadMs',
      'warmupOverheadMs',
      'cacheHitRoundTripMs',
      'rpcRoundTripMs',
    ])
      expectSummary(micro[key], true);
    expect(micro.cacheHitAnswers).toBe(micro.cacheHitRoundTripMs.count);
    expect(micro.documents).toBeGreaterThan(0);
    expect(micro.rssAfterOpenMB).toBeGreaterThan(0);
    expect(micro.peakRssMB).toBeGreaterThanOrEqual(micro.rssAfterOpenMB);
    // Start-up against the reference server, both started in the same run.
    for (const side of [micro.startup.ghostline, micro.startup.reference]) {
      expectSummary(side.initializeMs, true);
      expectSummary(side.rssAfterInitializeMB, true);
      expect(side.initializeMs.count).toBe(micro.startup.starts);
    }
    expect(micro.startup.ratio).toBeGreaterThan(0);
  });

  it('runs the cross-file benchmark in three modes on real packages', () => {
    const modes = result.crossFile.modes;
    expect(modes.map((m: any) => m.mode)).toEqual(['open', 'disk', 'off']);
    expect(result.crossFile.cases.length).toBeGreaterThan(0);
    for (const mode of modes) {
      expect(mode.cases).toBe(result.crossFile.cases.length);
      expect(mode.modelCalls).toBeGreaterThan(0);
      expect(mode.definitionInPrompt).toBeGreaterThanOrEqual(0);
      expect(mode.definitionInPrompt).toBeLessThanOrEqual(1);
      expectSummary(mode.keystrokeMs, true);
      expectSummary(mode.overheadMs, true);
      expect(mode.overheadMs.p50).toBeLessThanOrEqual(mode.keystrokeMs.p50);
    }
    // Without repository context the definition is never in the prompt; with it, it is for some case.
    expect(modes[2].definitionInPrompt).toBeLessThan(modes[1].definitionInPrompt);
    expect(markdown).toContain('## Cross-file (repository context)');
  });

  it('types the same keys against ghostline and the plain pipeline, under every editor pattern', () => {
    const cells = result.baseline.cells;
    for (const pipeline of ['ghostline', 'plain'])
      for (const editor of ['vscode', 'neovim', 'helix', 'helix-manual']) {
        const cell = cells.find((c: any) => c.pipeline === pipeline && c.result.editor === editor);
        expect(cell, `${pipeline} ${editor}`).toBeDefined();
        expect(cell.result.keystrokes).toBeGreaterThan(0);
        expect(cell.result.lspRequests).toBeGreaterThan(0);
        expect(cell.result.unanswered).toBe(0);
      }
    // Same typing: both pipelines saw the same keystrokes under each pattern.
    const keys = (pipeline: string) =>
      cells.filter((c: any) => c.pipeline === pipeline).map((c: any) => `${c.result.editor}:${c.result.keystrokes}`);
    expect(keys('plain').sort()).toEqual(keys('ghostline').sort());
    // The plain pipeline calls the model for every inline request (VS Code), never fewer than ghostline.
    const calls = (pipeline: string) =>
      cells.find((c: any) => c.pipeline === pipeline && c.result.editor === 'vscode').result.modelCalls;
    expect(calls('plain')).toBeGreaterThan(calls('ghostline'));
    expect(markdown).toContain('## Against the plain pipeline');
    expect(markdown).toContain('ceiling (ghostline / plain)');
    expect(result.targets.map((t: any) => t.name).join('\n')).toContain('at or above the plain pipeline');
  });

  it('sweeps every answer style at cursors of real files offline (the shape sweep)', () => {
    expect(result.shapes.files.length).toBeGreaterThan(0);
    expect(result.shapes.cases).toBeGreaterThan(0);
    expect(result.shapes.cells.map((cell: any) => cell.style)).toContain('mix');
    expect(markdown).toContain('## Answer shapes at many cursors (offline sweep)');
  });

  it('checks every target and writes the markdown tables', () => {
    const names = result.targets.map((t: any) => t.name).join('\n');
    for (const words of [
      'overhead p99',
      'cache-hit round trip',
      'per typing pause',
      'memory growth',
      'against the reference server',
      'RSS after initialize',
      'peak RSS in the typing replay',
      'open documents',
    ])
      expect(names).toContain(words);
    for (const target of result.targets) expect([true, false, null]).toContain(target.pass);
    for (const heading of ['## Replay', '## Micro-benchmarks', '## Targets']) expect(markdown).toContain(heading);
    expect(markdown).toMatch(/\| metric \| vscode .* \| neovim .* \| helix .* \|/);
  });
});
