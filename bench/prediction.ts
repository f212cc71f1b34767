/**
 * `node bench/prediction.ts`: what Predicted Outputs do to a code action's latency, through the
 * real provider (openai SDK, Chat Completions) against the fake model server. The fake server does
 * not model predictions itself, so this script's responder does, with stated assumptions: answer
 * tokens that repeat the prediction stream PREDICTED_SPEEDUP times faster; the rest at the normal
 * rate. The numbers show the effect under that model, not OpenAI's measured behaviour.
 */
import { parseArgs } from 'node:util';
import { diffText } from '../server/src/actions/diff.ts';
import { createOpenAIProvider } from '../server/src/providers/openai-provider.ts';
import { jittered, mulberry32 } from '../test/fake-openai/rng.ts';
import { startFakeOpenAI, type FakeRequest, type Script } from '../test/fake-openai/server.ts';

/** gpt-4.1 roughly as seen from a nearby region (assumed). */
const TTFT_MS = 600;
const TOKENS_PER_SEC = 60;
const JITTER_MS = 80;
/** Assumed speed-up for accepted prediction tokens (OpenAI describes 2–4× and more for close matches). */
const PREDICTED_SPEEDUP = 4;
const CHUNK_CHARS = 4;

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '5' }, seed: { type: 'string', default: '1' } },
});
const RUNS = Number(values.runs);

const ORIGINAL = Array.from(
  { length: 40 },
  (_, i) => `  const value${i} = compute(input.field${i}, options); // step ${i}`,
).join('\n');
const SCENARIOS: { name: string; answer: string }[] = [
  { name: 'rename one identifier (small change)', answer: ORIGINAL.replace(/options/g, 'settings') },
  {
    name: 'add a doc comment (all code kept)',
    answer: `  /**\n   * Computes every derived value from the input fields.\n   */\n${ORIGINAL}`,
  },
  {
    name: 'rewrite as a loop (little kept)',
    answer:
      '  const values = [];\n  for (let i = 0; i < 40; i++) {\n    values.push(compute(input[`field${i}`], options));\n  }',
  },
];

/** Characters of the answer that repeat the prediction (what the API would accept). */
function acceptedChars(prediction: string, answer: string): number {
  return answer.length - diffText(prediction, answer).reduce((n, change) => n + change.text.length, 0);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const random = mulberry32(Number(values.seed));
let answer = '';
/** Times each answer: accepted characters at the predicted rate, the rest at the normal rate, spread evenly over the chunks. */
const responder = (request: FakeRequest): Script => {
  const prediction: string | undefined = request.body?.prediction?.content;
  const accepted = prediction ? acceptedChars(prediction, answer) : 0;
  const msPerChar = 1000 / (TOKENS_PER_SEC * 4);
  const totalMs = (answer.length - accepted) * msPerChar + (accepted * msPerChar) / PREDICTED_SPEEDUP;
  const chunks = Math.max(1, Math.ceil(answer.length / CHUNK_CHARS));
  return {
    kind: 'text',
    text: answer,
    chunkChars: CHUNK_CHARS,
    firstTokenDelayMs: jittered(TTFT_MS, JITTER_MS, random),
    chunkDelayMs: totalMs / chunks,
  };
};

const fake = await startFakeOpenAI({ responder });
const provider = createOpenAIProvider({
  name: 'bench',
  api: 'chat',
  baseUrl: fake.url,
  apiKey: 'sk-bench',
  sendPromptCacheKey: false,
  supportsPrediction: true,
  timeouts: { firstTokenMs: 30_000, idleMs: 30_000, totalMs: 120_000 },
  retry: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0, maxRetryAfterMs: 0 },
});

async function timeOnce(prediction: string | undefined): Promise<number> {
  const started = performance.now();
  const result = await provider.complete({
    model: 'gpt-4.1',
    instructions: 'Rewrite the region.',
    input: ORIGINAL,
    temperature: 0.2,
    maxOutputTokens: 4096,
    ...(prediction !== undefined ? { prediction } : {}),
    signal: new AbortController().signal,
  });
  if (result.text !== answer) throw new Error('the answer came back changed');
  return performance.now() - started;
}

const rows: string[] = [
  '| scenario | answer chars | repeats prediction | median without | median with | change |',
  '| --- | --- | --- | --- | --- | --- |',
];
for (const scenario of SCENARIOS) {
  answer = scenario.answer;
  const without: number[] = [];
  const withPrediction: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    without.push(await timeOnce(undefined));
    withPrediction.push(await timeOnce(ORIGINAL));
  }
  const a = median(without);
  const b = median(withPrediction);
  const share = Math.round((acceptedChars(ORIGINAL, answer) / answer.length) * 100);
  rows.push(
    `| ${scenario.name} | ${answer.length} | ${share}% | ${Math.round(a)} ms | ${Math.round(b)} ms | ${Math.round(((b - a) / a) * 100)}% |`,
  );
}
const sent = fake.requests.filter((r) => r.body.prediction).length;
await fake.close();
process.stdout.write(
  `${rows.join('\n')}\n\nModel: TTFT ${TTFT_MS} ms ±${JITTER_MS}, ${TOKENS_PER_SEC} tokens/s, accepted prediction tokens ${PREDICTED_SPEEDUP}× faster (assumed). ` +
    `${RUNS} runs per cell; ${sent} requests carried a prediction.\n`,
);
