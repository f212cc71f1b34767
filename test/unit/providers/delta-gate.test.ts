/** The delta gate: retried attempts never repeat or contradict text the listener already has. */
import { describe, expect, it } from 'vitest';
import { createDeltaGate } from '../../../server/src/providers/delta-gate.ts';

function run(attempts: string[][]): string[] {
  const seen: string[] = [];
  const gate = createDeltaGate((delta) => seen.push(delta));
  for (const deltas of attempts) {
    gate.restart();
    for (const delta of deltas) gate.push(delta);
  }
  return seen;
}

describe('createDeltaGate', () => {
  it('forwards every delta of a single attempt', () => {
    expect(run([['a', 'bc', 'd']])).toEqual(['a', 'bc', 'd']);
  });

  it('forwards only the continuation when a retry repeats the delivered prefix', () => {
    expect(run([['hel'], ['h', 'el', 'lo', ' world']])).toEqual(['hel', 'lo', ' world']);
  });

  it('splits a delta that straddles the delivered prefix', () => {
    expect(run([['hel'], ['hello']])).toEqual(['hel', 'lo']);
  });

  it('goes quiet for an attempt that diverges from what was delivered', () => {
    expect(run([['hel'], ['hex', 'tra']])).toEqual(['hel']);
  });

  it('ignores everything without a listener', () => {
    const gate = createDeltaGate(undefined);
    expect(() => gate.push('x')).not.toThrow();
  });
});
