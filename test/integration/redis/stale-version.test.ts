/**
 * "A result for a document version that moved on is never returned", on every path: two servers
 * share a real Redis, and a client that never cancels (as Helix) keeps typing while its requests
 * are answered by model calls, typed-ahead and single-flight joins, the memory cache and the
 * shared tier. After every keystroke a barrier request proves the server has read the change; no
 * suggestion for an older version may arrive after that.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CompletionList } from 'vscode-languageserver-protocol';
import { createOracle } from '../../fake-openai/oracle.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../../fake-openai/server.ts';
import type { TestClient } from '../../helpers/lsp-client.ts';
import { startRedis, type RedisServer } from '../../helpers/redis.ts';
import { shutdownAll, shutdownMetrics, startTeam, teamEnv } from './servers.ts';
import { uniqueTeam } from './setup.ts';

const PATH = '/work/demo/src/wrap.py';
const URI = `file://${PATH}`;
const BEFORE = 'import textwrap\n\n\ndef indent(text, prefix):\n';
const TYPED = '    lines = text.splitlines(True)\n    return "".join(prefix + line for line in lines)';
const AFTER = '\n\n\ndef dedent(text):\n    return textwrap.dedent(text)\n';

let redis: RedisServer;
let fake: FakeOpenAI;
const clients: TestClient[] = [];

beforeAll(async () => {
  redis = await startRedis();
  const oracle = createOracle();
  oracle.register(PATH, BEFORE + TYPED + AFTER);
  // Fenced, streamed slowly enough that the typist overtakes most calls.
  fake = await startFakeOpenAI({
    responder: (req) => {
      const script = oracle.responder(req);
      const text = script.kind === 'text' && script.text !== '' ? `\`\`\`python\n${script.text}\n\`\`\`` : '';
      return { kind: 'text', text, chunkChars: 3, firstTokenDelayMs: 40, chunkDelayMs: 12 };
    },
  });
}, 30_000);
afterAll(async () => {
  await fake.close();
  await redis.stop();
});
afterEach(async () => {
  await shutdownAll(clients);
  fake.reset();
});

interface Tally {
  sent: number;
  nonEmpty: number;
  sources: Record<string, number>;
  /** Non-empty answers for version v that arrived after the server had read version v+1. */
  staleDelivered: { sentVersion: number; confirmedVersion: number; text: string }[];
  /** Suggestions that still carried the model's fence. */
  fenced: string[];
}

/** Types `text` at the end of BEFORE like Helix: a completion after every key, never cancelled. */
async function typeLikeHelix(client: TestClient, tally: Tally, rounds: number): Promise<void> {
  let version = 1;
  let confirmed = 1;
  await client.open(URI, BEFORE + AFTER.slice(1), 'python', version);
  const pending: Promise<void>[] = [];
  const startLine = BEFORE.split('\n').length - 1;
  const record = (sentVersion: number) => (list: CompletionList) => {
    const item = list.items[0];
    if (!item) return;
    tally.nonEmpty++;
    const source = (item.command?.arguments?.[0] as { source?: string } | undefined)?.source ?? 'unknown';
    tally.sources[source] = (tally.sources[source] ?? 0) + 1;
    if ((item.textEdit?.newText ?? '').includes('```')) tally.fenced.push(item.textEdit!.newText);
    if (confirmed > sentVersion)
      tally.staleDelivered.push({ sentVersion, confirmedVersion: confirmed, text: item.textEdit?.newText ?? '' });
  };
  // A request in the first line, then a key there before its model call answered, with no new
  // request (Helix asks only after an idle delay): that answer is for text that moved on. The key
  // is undone before the typing below.
  if (rounds > 1) {
    const at = { line: 0, character: 'import'.length };
    tally.sent++;
    const early = client.completion(URI, at).then(record(version));
    version++;
    await client.change(URI, version, [{ range: { start: at, end: at }, text: 'x' }]);
    confirmed = version;
    await early;
    version++;
    await client.change(URI, version, [
      { range: { start: at, end: { line: 0, character: at.character + 1 } }, text: '' },
    ]);
  }
  // The user stops on the empty line first: a model call answers that request.
  tally.sent++;
  await client.completion(URI, { line: startLine, character: 0 }).then(record(version));
  for (let round = 0; round < rounds; round++) {
    let line = startLine;
    let character = 0;
    const keys = [...TYPED];
    const backspaces = round < rounds - 1 ? keys.length : 0;
    for (const key of keys) {
      version++;
      await client.change(URI, version, [
        { range: { start: { line, character }, end: { line, character } }, text: key },
      ]);
      if (key === '\n') {
        line++;
        character = 0;
      } else character++;
      const sentVersion = version;
      tally.sent++;
      pending.push(client.completion(URI, { line, character }).then(record(sentVersion)));
      // The barrier: answered only after the server has read this change (messages are read in order).
      const barrierVersion = version;
      await client.request('workspace/executeCommand', { command: 'ghostline.stats', arguments: [] });
      confirmed = Math.max(confirmed, barrierVersion);
      // Mostly fast keys; now and then a pause long enough for a model call to finish.
      await new Promise((resolve) => setTimeout(resolve, character % 11 === 0 ? 700 : 8 + (character % 5) * 6));
    }
    // Delete what was typed, key by key, so the next round retypes the same text (memory cache).
    for (let i = 0; i < backspaces; i++) {
      version++;
      const typed = TYPED.slice(0, TYPED.length - i);
      const lines = typed.split('\n');
      const endLine = startLine + lines.length - 1;
      const endChar = lines.at(-1)!.length;
      const start =
        endChar === 0
          ? { line: endLine - 1, character: lines.at(-2)!.length }
          : { line: endLine, character: endChar - 1 };
      await client.change(URI, version, [{ range: { start, end: { line: endLine, character: endChar } }, text: '' }]);
    }
  }
  await Promise.all(pending);
}

describe('the stale-version invariant under a client that never cancels', () => {
  it('never delivers a suggestion for an older version, whether it comes from the model, typed-ahead, the memory cache or the shared tier', async () => {
    const team = uniqueTeam();
    const env = teamEnv({
      modelUrl: fake.url,
      redisUrl: redis.url,
      team,
      extra: { GHOSTLINE_COMPLETION__DEBOUNCE_MS: '0', GHOSTLINE_COMPLETION__MULTILINE: 'never' },
    });
    const [first] = await startTeam(1, env);
    clients.push(first!);
    const firstTally: Tally = { sent: 0, nonEmpty: 0, sources: {}, staleDelivered: [], fenced: [] };
    await typeLikeHelix(first!, firstTally, 2);
    const firstMetrics = await shutdownMetrics(clients.pop()!);

    // A second editor of the same team types the same text: the shared tier holds the answers.
    const [second] = await startTeam(1, env);
    clients.push(second!);
    const secondTally: Tally = { sent: 0, nonEmpty: 0, sources: {}, staleDelivered: [], fenced: [] };
    await typeLikeHelix(second!, secondTally, 1);
    const secondMetrics = await shutdownMetrics(clients.pop()!);

    expect(firstTally.staleDelivered).toEqual([]);
    expect(secondTally.staleDelivered).toEqual([]);
    // Every path was exercised, and answers for moved-on text were dropped rather than delivered.
    const sources = (name: string) => (firstTally.sources[name] ?? 0) + (secondTally.sources[name] ?? 0);
    expect(sources('model')).toBeGreaterThan(0);
    expect(sources('typed-ahead')).toBeGreaterThan(0);
    expect(sources('cache')).toBeGreaterThan(0);
    expect(secondMetrics.sharedCacheHits ?? 0).toBeGreaterThan(0);
    expect((firstMetrics.stale ?? 0) + (secondMetrics.stale ?? 0)).toBeGreaterThan(0);
    // No suggestion carries the model's fence.
    expect([...firstTally.fenced, ...secondTally.fenced]).toEqual([]);
  }, 120_000);
});
