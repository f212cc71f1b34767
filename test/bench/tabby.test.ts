/**
 * Tabby's agent in the bench: the shim (bench/tabby-shim.ts) answers as a chat-backed Tabby server
 * would — the model's raw text, one model call per `/v1/completions`, the call aborted when the
 * agent hangs up — and a short comparison replay types real keys against `tabby-agent --lsp`.
 */
import { request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { baseline, baselineTable, baselineTargets } from '../../bench/baseline.ts';
import { BenchModel } from '../../bench/model.ts';
import { startTabbyShim, TABBY_MODEL, tabbyAgentScript, type TabbyShim } from '../../bench/tabby-shim.ts';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function started(options: { fixed: string; ttftMs: number }): Promise<{ model: BenchModel; shim: TabbyShim }> {
  const model = await BenchModel.start({
    latency: { '*': { ttftMs: options.ttftMs, tokensPerSec: 0, jitterMs: 0 } },
    seed: 1,
    fixed: options.fixed,
  });
  const shim = await startTabbyShim({ modelUrl: model.url });
  closers.push(
    () => shim.close(),
    () => model.close(),
  );
  return { model, shim };
}

const BODY = JSON.stringify({
  language: 'typescript',
  segments: { prefix: 'function add(a: number, b: number) {\n  return ', suffix: '\n}\n' },
});

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await sleep(10);
}

describe("the Tabby server stand-in for Tabby's agent", () => {
  it('answers health and settings, and turns a completion into one call whose raw text is the choice', async () => {
    const fenced = '```typescript\na + b;\n```';
    const { model, shim } = await started({ fixed: fenced, ttftMs: 0 });
    const health = (await (await fetch(`${shim.url}/v1/health`)).json()) as { model: string; device: string };
    expect(health.model).toContain(TABBY_MODEL);
    expect(health.device).toBe('remote');
    const settings = (await (await fetch(`${shim.url}/v1beta/server_setting`)).json()) as Record<string, unknown>;
    expect(settings.disable_client_side_telemetry).toBe(true);

    const response = await fetch(`${shim.url}/v1/completions`, { method: 'POST', body: BODY });
    const answer = (await response.json()) as { id: string; choices: { index: number; text: string }[] };
    // Nothing is cleaned on the server side: the fence reaches the agent as the model wrote it.
    expect(answer.choices).toEqual([{ index: 0, text: fenced }]);
    expect(model.calls).toHaveLength(1);
    expect(model.calls[0]!.model).toBe(TABBY_MODEL);
    // The plain pipeline's prompt: the cursor between the segments, multi-line at the end of a line.
    expect(model.calls[0]!.prefixTail.endsWith('  return ')).toBe(true);
    expect(shim.stats()).toEqual({ modelCalls: 1, modelCallsAborted: 0 });
  });

  it('aborts the model call when the agent closes its request', async () => {
    const { model, shim } = await started({ fixed: 'a + b;', ttftMs: 60_000 });
    const req = request(`${shim.url}/v1/completions`, { method: 'POST' });
    req.on('error', () => undefined);
    req.end(BODY);
    await until(() => model.calls.length === 1);
    req.destroy();
    await until(() => shim.stats().modelCallsAborted === 1);
    await until(() => model.calls[0]!.endedAt !== undefined);
    expect(model.calls[0]!.clientClosed).toBe(true);
    expect(shim.stats()).toEqual({ modelCalls: 1, modelCallsAborted: 1 });
  });
});

describe("a replay against Tabby's agent", () => {
  it('types real keys against tabby-agent --lsp, whose calls reach the model through the shim', async () => {
    expect(tabbyAgentScript()).toMatch(/tabby-agent[/\\]dist[/\\]cli\.js$/);
    const data = await baseline({
      seeds: [1],
      editors: ['helix', 'vscode'],
      styles: ['clean'],
      chars: 60,
      files: 1,
      pipelines: ['tabby'],
      debounceMs: 250,
      run: async (tasks) => {
        const results = [];
        for (const task of tasks) results.push(await task());
        return results;
      },
    });
    // No inline completion in tabby-agent's LSP mode: only the Helix cell runs.
    expect(data.cells.map((cell) => `${cell.pipeline}:${cell.result.editor}`)).toEqual(['tabby:helix']);
    const result = data.cells[0]!.result;
    expect(result.keystrokes).toBeGreaterThan(0);
    expect(result.lspRequests).toBeGreaterThan(0);
    expect(result.answered).toBeGreaterThan(0);
    expect(result.unanswered).toBe(0);
    expect(result.errors).toBe(0);
    // The shim made the calls the fake model saw (a call it aborted before sending never arrives).
    expect(result.modelCalls).toBeGreaterThanOrEqual(1);
    expect(result.serverModelCalls).toBeGreaterThanOrEqual(result.modelCalls);
    // The oracle answers with the file, so some right suggestion was shown and saved characters.
    expect(result.correct).toBeGreaterThan(0);
    expect(result.savedChars).toBeGreaterThan(0);
    expect(result.savedChars).toBeLessThanOrEqual(result.typedChars);

    const rows = baselineTable(data).split('\n');
    expect(rows[0]).toContain("Tabby's agent");
    expect(rows.find((row) => row.includes('| vscode |'))).toContain('no inline completion');
    expect(rows.find((row) => row.includes('| helix |'))).toContain(`${(result.savedShare! * 100).toFixed(1)} %`);
    expect(
      baselineTargets(data)
        .map((target) => target.name)
        .join('\n'),
    ).toContain("at or above Tabby's agent");
  }, 90_000);
});
