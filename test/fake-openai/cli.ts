/**
 * Runs the fake OpenAI server as its own process for benchmarks and editor end-to-end tests:
 * prints one JSON line `{"url": "..."}` to stdout once listening, serves until SIGTERM or SIGINT.
 * Usage: node test/fake-openai/cli.ts --port 0 [--text "..."] [--latency ttft,tps,jitter] [--seed N] [--responder ./mod.ts]
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_TEXT, startFakeOpenAI, type LatencyModel, type Responder } from './server.ts';

function parseLatency(value: string | undefined): Record<string, LatencyModel> | undefined {
  if (value === undefined) return undefined;
  const [ttftMs, tokensPerSec, jitterMs] = value.split(',').map(Number);
  if (![ttftMs, tokensPerSec, jitterMs].every((n) => n !== undefined && Number.isFinite(n) && n >= 0)) {
    throw new Error(`--latency wants ttft,tps,jitter (numbers), got ${value}`);
  }
  return { '*': { ttftMs: ttftMs!, tokensPerSec: tokensPerSec!, jitterMs: jitterMs! } };
}

async function loadResponder(path: string | undefined, text: string): Promise<Responder> {
  if (path === undefined) return () => ({ kind: 'text', text });
  const module = (await import(pathToFileURL(resolve(path)).href)) as { default?: unknown };
  if (typeof module.default !== 'function') throw new Error(`${path} must export a default responder function`);
  return module.default as Responder;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      text: { type: 'string', default: DEFAULT_TEXT },
      latency: { type: 'string' },
      seed: { type: 'string', default: '1' },
      responder: { type: 'string' },
    },
  });
  const fake = await startFakeOpenAI({
    port: Number(values.port),
    seed: Number(values.seed),
    latency: parseLatency(values.latency),
    responder: await loadResponder(values.responder, values.text),
  });
  process.stdout.write(`${JSON.stringify({ url: fake.url })}\n`);
  const stop = () => {
    fake.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`fake-openai: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
