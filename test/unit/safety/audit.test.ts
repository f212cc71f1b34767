// Audit trail: complete JSON lines, no source text or keys, rotation by size, retention by age,
// and failures that stay inside the log.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAuditLog, type AuditEntry } from '../../../server/src/safety/audit.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ghostline-audit-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const SOURCE = 'function transfer(account: Account) {\n  return account.balance * 1.07;\n}';
const KEY = 'sk-proj-' + 'Q7w8E9r0T1y2U3i4O5p6A7s8D9f0G1h2J3k4L5z6X7c8V9b0';

function entry(overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    task: 'completion',
    model: 'gpt-4.1-mini',
    reason: 'route:completion',
    prompt: SOURCE,
    output: '  return account.balance;',
    tokensIn: 812,
    tokensOut: 17,
    tokensCached: 768,
    costUsd: 0.000123,
    redactions: 2,
    file: '/work/app/src/bank.ts',
    user: 'alice',
    outcome: 'ok',
    latencyMs: 231,
    ...overrides,
  };
}

/** A clock that moves one second per call, so rotations get distinct names. */
function steppingClock(start: string): () => Date {
  let t = Date.parse(start);
  return () => new Date((t += 1000));
}

const lines = (file: string): Record<string, unknown>[] =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('audit log', () => {
  it('writes one complete JSON line per call, with the prompt only as its sha256', async () => {
    const file = path.join(dir, 'logs/audit.jsonl');
    const log = createAuditLog({
      file,
      retentionDays: 30,
      maxBytes: 1_000_000,
      includeSource: false,
      now: () => new Date('2025-03-04T05:06:07Z'),
    });
    log.record(entry());
    log.record(entry({ outcome: 'error:rate_limited', tokensOut: 0 }));
    log.record(entry({ outcome: 'cache', file: undefined, user: undefined }));
    await log.close();
    const [first, second, third] = lines(file);
    expect(first).toEqual({
      time: '2025-03-04T05:06:07.000Z',
      task: 'completion',
      model: 'gpt-4.1-mini',
      reason: 'route:completion',
      promptHash: createHash('sha256').update(SOURCE).digest('hex'),
      tokensIn: 812,
      tokensOut: 17,
      tokensCached: 768,
      costUsd: 0.000123,
      redactions: 2,
      file: '/work/app/src/bank.ts',
      user: 'alice',
      outcome: 'ok',
      latencyMs: 231,
    });
    expect(second).toMatchObject({ outcome: 'error:rate_limited', tokensOut: 0 });
    expect(third).toMatchObject({ outcome: 'cache' });
    expect(third).not.toHaveProperty('file');
    const raw = readFileSync(file, 'utf8');
    expect(raw).not.toContain('account.balance');
    expect(statSync(file).mode & 0o077).toBe(0);
  });

  it('writes prompt and output only with includeSource, redacted', async () => {
    const file = path.join(dir, 'audit.jsonl');
    const log = createAuditLog({ file, retentionDays: 30, maxBytes: 1_000_000, includeSource: true });
    log.record(entry({ prompt: `${SOURCE}\nconst key = "${KEY}";` }));
    await log.close();
    const [line] = lines(file);
    expect(line?.prompt).toBe(`${SOURCE}\nconst key = "«secret:openai-key:1»";`);
    expect(line?.output).toBe('  return account.balance;');
  });

  it('never writes an API key, whatever field it was passed in', async () => {
    const file = path.join(dir, 'audit.jsonl');
    const log = createAuditLog({ file, retentionDays: 30, maxBytes: 1_000_000, includeSource: true });
    log.record(
      entry({
        reason: `fallback: ${KEY} was rejected`,
        user: KEY,
        model: `gpt-4.1 ${KEY}`,
        file: `/tmp/${KEY}.ts`,
        output: KEY,
        outcome: `error:auth ${KEY}` as `error:${string}`,
      }),
    );
    await log.close();
    const raw = readFileSync(file, 'utf8');
    expect(raw).not.toContain(KEY);
    expect(lines(file)[0]).toMatchObject({
      reason: 'fallback: «secret:openai-key:1» was rejected',
      user: '«secret:openai-key:1»',
    });
  });

  it('writes the sha256 of the path with hashPaths', async () => {
    const file = path.join(dir, 'audit.jsonl');
    const log = createAuditLog({ file, retentionDays: 30, maxBytes: 1_000_000, includeSource: false, hashPaths: true });
    log.record(entry());
    await log.close();
    expect(lines(file)[0]?.file).toBe(createHash('sha256').update('/work/app/src/bank.ts').digest('hex'));
  });

  it('rotates to file.YYYYMMDD-HHMMSS when the next line would pass maxBytes', async () => {
    const file = path.join(dir, 'audit.jsonl');
    const lineBytes =
      Buffer.byteLength(
        JSON.stringify({
          ...entry(),
          prompt: undefined,
          output: undefined,
          promptHash: 'x'.repeat(64),
          time: new Date().toISOString(),
        }),
      ) + 1;
    const log = createAuditLog({
      file,
      retentionDays: 30,
      maxBytes: lineBytes * 3,
      includeSource: false,
      now: steppingClock('2025-03-04T23:59:50Z'),
    });
    for (let i = 0; i < 10; i++) log.record(entry({ latencyMs: i }));
    await log.close();
    const rotated = readdirSync(dir)
      .filter((name) => name !== 'audit.jsonl')
      .sort();
    expect(rotated).toHaveLength(3);
    for (const name of rotated) expect(name).toMatch(/^audit\.jsonl\.\d{8}-\d{6}$/);
    expect(rotated.some((name) => name.startsWith('audit.jsonl.20250305-'))).toBe(true);
    const all = [...rotated.map((name) => path.join(dir, name)), file];
    for (const part of all) expect(statSync(part).size).toBeLessThanOrEqual(lineBytes * 3);
    expect(all.flatMap(lines).map((line) => line.latencyMs)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('deletes rotated files older than retentionDays and keeps the rest', async () => {
    const file = path.join(dir, 'audit.jsonl');
    for (const name of [
      'audit.jsonl.20250101-000000',
      'audit.jsonl.20250201-120000-1',
      'audit.jsonl.20250302-000000',
      'audit.jsonl.notes',
      'other.jsonl.20240101-000000',
    ]) {
      writeFileSync(path.join(dir, name), '{}\n');
    }
    const log = createAuditLog({
      file,
      retentionDays: 7,
      maxBytes: 1_000_000,
      includeSource: false,
      now: () => new Date('2025-03-04T00:00:00Z'),
    });
    log.record(entry());
    await log.close();
    expect(readdirSync(dir).sort()).toEqual([
      'audit.jsonl',
      'audit.jsonl.20250302-000000',
      'audit.jsonl.notes',
      'other.jsonl.20240101-000000',
    ]);
  });

  it('keeps appending to an existing file and counts its size for rotation', async () => {
    const file = path.join(dir, 'audit.jsonl');
    writeFileSync(file, `${'x'.repeat(500)}\n`);
    const log = createAuditLog({ file, retentionDays: 7, maxBytes: 600, includeSource: false });
    log.record(entry());
    await log.close();
    expect(readFileSync(file, 'utf8')).not.toContain('xxx');
    expect(readdirSync(dir)).toHaveLength(2);
  });

  it('does not throw into the caller when writing fails, and warns once', async () => {
    writeFileSync(path.join(dir, 'not-a-dir'), '');
    const warnings: string[] = [];
    const log = createAuditLog({
      file: path.join(dir, 'not-a-dir', 'audit.jsonl'),
      retentionDays: 7,
      maxBytes: 1_000_000,
      includeSource: false,
      logger: { warn: (_obj, msg) => warnings.push(msg) },
    });
    expect(() => {
      log.record(entry());
      log.record(entry());
      log.record(entry({ tokensIn: Number.NaN }));
    }).not.toThrow();
    await expect(log.close()).resolves.toBeUndefined();
    expect(warnings).toHaveLength(1);
    expect(existsSync(path.join(dir, 'not-a-dir', 'audit.jsonl'))).toBe(false);
  });

  it('ignores records after close', async () => {
    const file = path.join(dir, 'audit.jsonl');
    const log = createAuditLog({ file, retentionDays: 7, maxBytes: 1_000_000, includeSource: false });
    log.record(entry());
    await log.close();
    log.record(entry());
    await log.close();
    expect(lines(file)).toHaveLength(1);
  });
});
