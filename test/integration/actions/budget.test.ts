/**
 * Budgets around code actions over stdio, without Redis (the counters live in the process): a
 * built-in model declared with only its context window keeps its price, so the soft cap is reached;
 * past it, a refactor moves to the cheaper model of its SSOT.md chain and the user is told which
 * task moved.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI } from '../../fake-openai/server.ts';
import { Editor, find, RESOLVE_CAPABILITIES } from './editor.ts';

const URI = 'file:///work/demo/src/total.ts';
const SOURCE = [
  'export function total(items: { price: number }[]): number {',
  '  let sum = 0;',
  '  for (let i = 0; i < items.length; i++) sum += items[i].price;',
  '  return sum;',
  '}',
  '',
].join('\n');
const REWRITTEN =
  'export function total(items: { price: number }[]): number {\n  return items.reduce((sum, item) => sum + item.price, 0);\n}';
const CURSOR = { start: { line: 1, character: 4 }, end: { line: 1, character: 4 } };

let fake: FakeOpenAI;
let editor: Editor | undefined;

beforeAll(async () => {
  fake = await startFakeOpenAI();
});
afterAll(async () => {
  await fake.close();
});
afterEach(async () => {
  await editor?.client.shutdown();
  editor = undefined;
  fake.reset();
});

describe('a soft cap under code actions', () => {
  it('counts a built-in model declared with only its context window at its list price, then moves refactors inside their chain', async () => {
    // 10,000 input and 1,000 output tokens on gpt-4.1 cost $0.028 at list price, past a $0.01 soft cap.
    fake.setResponder(() => ({ kind: 'text', text: REWRITTEN, usage: { input: 10_000, output: 1_000 } }));
    const settings = { models: { 'gpt-4.1': { contextWindow: 1_047_576 } }, budget: { team: { softCostUsd: 0.01 } } };
    editor = await Editor.start(
      { OPENAI_API_KEY: 'sk-test-key-0000', OPENAI_BASE_URL: fake.url },
      RESOLVE_CAPABILITIES,
      settings,
    );
    await editor.open(URI, SOURCE);

    await editor.resolve(find(await editor.codeActions(URI, CURSOR), /^ghostline: Refactor$/));
    expect(fake.requests.at(-1)!.body.model).toBe('gpt-4.1');
    await editor.resolve(find(await editor.codeActions(URI, CURSOR), /^ghostline: Refactor$/));
    // gpt-4.1-mini is refactor's fallback in SSOT.md; gpt-4.1-nano is in no refactor chain.
    expect(fake.requests.at(-1)!.body.model).toBe('gpt-4.1-mini');
    await editor.client.waitForMessage(
      /passed its soft daily cap of \$0\.01; refactors use the cheaper gpt-4\.1-mini until 00:00 UTC/,
    );
    expect(editor.client.messages.filter((m) => /soft daily cap/.test(m.message))).toHaveLength(1);
  });
});
