/**
 * The provider's log: one debug line per attempt with model, attempt, outcome and duration, and
 * never the API key or the prompt text.
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { inOrder, modelRequest, useProviderHarness } from './setup.ts';

const harness = useProviderHarness();

function capturingLogger(): { logger: pino.Logger; lines: () => Record<string, unknown>[]; raw: () => string } {
  let text = '';
  const sink = new Writable({
    write(chunk, _encoding, callback) {
      text += String(chunk);
      callback();
    },
  });
  const logger = pino({ level: 'debug' }, sink);
  return {
    logger,
    raw: () => text,
    lines: () =>
      text
        .split('\n')
        .filter((line) => line.length > 0)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

describe('attempt logging', () => {
  it('logs each attempt once with its outcome and leaks neither key nor prompt', async () => {
    const capture = capturingLogger();
    harness.fake.setResponder(inOrder({ kind: 'error', status: 500 }, { kind: 'text', text: 'secret suggestion' }));
    const request = modelRequest({ instructions: 'PROMPT-INSTRUCTIONS-MARKER', input: 'PROMPT-INPUT-MARKER' });
    await harness.provider({ logger: capture.logger }).complete(request);

    const attempts = capture.lines().filter((line) => line.msg === 'model attempt');
    expect(attempts.map((line) => [line.attempt, line.outcome, line.status, line.retryInMs])).toEqual([
      [1, 'server', 500, 1],
      [2, 'ok', undefined, undefined],
    ]);
    for (const line of attempts) {
      expect(line).toMatchObject({ level: 20, provider: 'test', model: 'gpt-4.1-mini' });
      expect(typeof line.ms).toBe('number');
    }
    const raw = capture.raw();
    expect(raw).not.toContain('sk-test-secret-key');
    expect(raw).not.toContain('PROMPT-INSTRUCTIONS-MARKER');
    expect(raw).not.toContain('PROMPT-INPUT-MARKER');
    expect(raw).not.toContain('secret suggestion');
  });
});
