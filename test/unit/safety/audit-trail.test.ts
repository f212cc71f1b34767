// The audit trail behind the router hook: off by default, on with a file or `enabled`, one line
// per call with cost and user, a new file when the settings change.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../../server/src/config/schema.ts';
import type { CallRecord } from '../../../server/src/router/router.ts';
import {
  AuditTrail,
  defaultAuditFile,
  resolveAudit,
  type ResolvedAudit,
} from '../../../server/src/safety/audit-trail.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ghostline-trail-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const call: CallRecord = {
  task: 'refactor',
  model: 'gpt-4.1',
  reason: 'primary',
  instructions: 'Refactor.',
  input: 'function secretSauce() { return 42; }',
  output: 'function sauce() { return 42; }',
  usage: { inputTokens: 1000, outputTokens: 200, cachedTokens: 0 },
  outcome: 'ok',
  latencyMs: 12.7,
  meta: { file: '/work/app/src/sauce.ts', redactions: 1 },
};

describe('resolveAudit', () => {
  const defaults = configSchema.parse({}).safety.audit;

  it('is off by default, with the retention SSOT.md sets', () => {
    expect(resolveAudit(defaults, {})).toBeUndefined();
    expect(defaults.retentionDays).toBe(30);
    expect(defaults.includeSource).toBe(false);
  });

  it('is on when a file is set, or when enabled (then under the XDG state directory)', () => {
    expect(resolveAudit({ ...defaults, file: '/var/log/gl.jsonl' }, {})?.file).toBe('/var/log/gl.jsonl');
    expect(resolveAudit({ ...defaults, enabled: true }, { XDG_STATE_HOME: '/state' })?.file).toBe(
      '/state/ghostline/audit.jsonl',
    );
    expect(defaultAuditFile({})).toBe(path.join(homedir(), '.local', 'state', 'ghostline', 'audit.jsonl'));
    expect(resolveAudit({ ...defaults, enabled: false, file: '/x.jsonl' }, {})).toBeUndefined();
  });
});

describe('AuditTrail', () => {
  it('writes one line per call with cost and user, without source text', async () => {
    const settings: ResolvedAudit = {
      file: path.join(dir, 'audit.jsonl'),
      retentionDays: 30,
      maxBytes: 1 << 20,
      includeSource: false,
      hashPaths: false,
    };
    const trail = new AuditTrail({
      settings: () => settings,
      user: () => 'ada',
      costOf: (_model, usage) => usage.inputTokens / 1e6,
    });
    trail.record(call);
    trail.record({ ...call, outcome: 'cache', latencyMs: 0.4 });
    await trail.close();
    const lines = readFileSync(settings.file, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      task: 'refactor',
      model: 'gpt-4.1',
      reason: 'primary',
      tokensIn: 1000,
      tokensOut: 200,
      tokensCached: 0,
      costUsd: 0.001,
      redactions: 1,
      file: '/work/app/src/sauce.ts',
      user: 'ada',
      outcome: 'ok',
      latencyMs: 13,
    });
    expect(lines[0]!.promptHash).toMatch(/^[0-9a-f]{64}$/);
    expect(lines[1]).toMatchObject({ outcome: 'cache', costUsd: 0 });
    expect(readFileSync(settings.file, 'utf8')).not.toContain('secretSauce');
  });

  it('switches files when the settings change, and stops when the trail is turned off', async () => {
    let settings: ResolvedAudit | undefined = {
      file: path.join(dir, 'one.jsonl'),
      retentionDays: 30,
      maxBytes: 1 << 20,
      includeSource: false,
      hashPaths: true,
    };
    const trail = new AuditTrail({ settings: () => settings, user: () => 'ada', costOf: () => 0 });
    trail.record(call);
    settings = { ...settings, file: path.join(dir, 'two.jsonl') };
    trail.record(call);
    settings = undefined;
    trail.record(call);
    await trail.close();
    const one = readFileSync(path.join(dir, 'one.jsonl'), 'utf8').trim().split('\n');
    const two = readFileSync(path.join(dir, 'two.jsonl'), 'utf8').trim().split('\n');
    expect([one.length, two.length]).toEqual([1, 1]);
    expect(JSON.parse(two[0]!).file).toMatch(/^[0-9a-f]{64}$/);
  });
});
