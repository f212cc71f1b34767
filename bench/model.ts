/**
 * The simulated model: the project's fake OpenAI server in this process, answering with the
 * corpus oracle under a latency model per model, and a timeline of every call (arrival, end,
 * whether ghostline hung up) that the metrics line up with the editor's requests.
 */
import { countTokens } from '../server/src/context/tokens.ts';
import {
  createOracle,
  cursorWindowOf,
  promptInputOf,
  promptInstructionsOf,
  type Oracle,
} from '../test/fake-openai/oracle.ts';
import type { AnswerStyle } from '../test/fake-openai/styles.ts';
import { jittered, mulberry32 } from '../test/fake-openai/rng.ts';
import { startFakeOpenAI, type FakeOpenAI, type LatencyModel, type Script } from '../test/fake-openai/server.ts';

/**
 * Roughly what OpenAI's small models show from a nearby region: time to first token, output speed
 * and noise. Completion routes to gpt-4.1-mini and inline ghost text to gpt-4o-mini (SSOT.md).
 */
export const LATENCY: Record<string, LatencyModel> = {
  'gpt-4.1-mini': { ttftMs: 450, tokensPerSec: 80, jitterMs: 120 },
  'gpt-4o-mini': { ttftMs: 350, tokensPerSec: 100, jitterMs: 100 },
  'gpt-4.1-nano': { ttftMs: 300, tokensPerSec: 150, jitterMs: 80 },
  '*': { ttftMs: 500, tokensPerSec: 70, jitterMs: 150 },
};

/** Instant answers, for micro-benchmarks that measure ghostline alone. */
export const INSTANT: Record<string, LatencyModel> = { '*': { ttftMs: 0, tokensPerSec: 0, jitterMs: 0 } };

export interface ModelCall {
  model: string;
  /** performance.now() when the request reached the model server, and when its response ended. */
  arrivedAt: number;
  endedAt?: number;
  /**
   * When its headers reached the fake server, before the server parsed the body and counted the
   * prompt's tokens (its own work, growing with the prompt): the model's share of a round trip
   * starts here.
   */
  receivedAt: number;
  /** Ghostline closed the connection before the answer was complete (a cancelled call). */
  clientClosed: boolean;
  path: string;
  /** The last characters of the prompt's prefix: identifies the cursor the call was made for. */
  prefixTail: string;
  answer: string;
  promptTokens?: number;
  /** Kept until the tokens are counted, then dropped. */
  body?: { instructions: string; input: string };
}

/** Characters of the prompt prefix kept to match a call with the editor request that caused it. */
export const TAIL = 256;

export class BenchModel {
  readonly fake: FakeOpenAI;
  readonly oracle: Oracle;
  readonly calls: ModelCall[] = [];

  private constructor(fake: FakeOpenAI, oracle: Oracle) {
    this.fake = fake;
    this.oracle = oracle;
  }

  /** Starts the server; `fixed` answers every call with that text instead of the oracle. */
  static async start(options: {
    latency: Record<string, LatencyModel>;
    seed: number;
    fixed?: string;
    style?: AnswerStyle;
  }): Promise<BenchModel> {
    const oracle = createOracle({ style: options.style ?? 'clean', seed: options.seed });
    const random = mulberry32(options.seed + 7919);
    let model!: BenchModel;
    const fake = await startFakeOpenAI({
      latency: options.latency,
      seed: options.seed,
      responder: (req): Script | Promise<Script> => {
        const arrivedAt = performance.now();
        const input = promptInputOf(req.body) ?? '';
        const parsed = cursorWindowOf(input);
        const script =
          options.fixed !== undefined ? ({ kind: 'text', text: options.fixed } as const) : oracle.responder(req);
        const call: ModelCall = {
          model: String(req.body?.model),
          arrivedAt,
          receivedAt: req.receivedAt,
          clientClosed: false,
          path: parsed?.path ?? '',
          prefixTail: (parsed?.prefix ?? '').slice(-TAIL),
          answer: script.kind === 'text' ? script.text : '',
          body: { instructions: promptInstructionsOf(req.body), input },
        };
        model.calls.push(call);
        void req.done.then(() => {
          call.endedAt = performance.now();
          call.clientClosed = req.clientClosed;
        });
        // The fake server sends an empty answer at once; a real model still takes its time to first token.
        if (script.kind !== 'text' || script.text !== '') return script;
        const latency = options.latency[call.model] ?? options.latency['*'];
        const waitMs = latency ? jittered(latency.ttftMs, latency.jitterMs, random) : 0;
        return waitMs <= 0
          ? script
          : new Promise<Script>((resolve) => {
              const timer = setTimeout(() => resolve(script), waitMs);
              void req.done.then(() => {
                clearTimeout(timer);
                resolve(script);
              });
            });
      },
    });
    model = new BenchModel(fake, oracle);
    return model;
  }

  get url(): string {
    return this.fake.url;
  }

  /** Counts prompt tokens of finished calls with the server's own tokenizer and drops their bodies. */
  countTokens(): void {
    for (const call of this.calls) {
      if (!call.body || call.endedAt === undefined) continue;
      call.promptTokens = countTokens(call.body.instructions) + countTokens(call.body.input);
      delete call.body;
    }
    // The fake server keeps every request; the timeline above is all the benchmark needs.
    this.fake.requests.length = 0;
  }

  close(): Promise<void> {
    return this.fake.close();
  }
}
