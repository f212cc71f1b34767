import { describe, expect, it } from 'vitest';
import { RedisKeys, utcDay } from '../../../server/src/cache/redis-keys.ts';

/** What Redis Cluster hashes: the first non-empty `{...}` of a key, else the whole key. */
function calculateSlot(key: string): string {
  const open = key.indexOf('{');
  const close = open < 0 ? -1 : key.indexOf('}', open + 1);
  return close > open + 1 ? key.slice(open + 1, close) : key;
}

describe('RedisKeys', () => {
  const keys = new RedisKeys('acme');

  it('namespaces and versions every key by team', () => {
    expect(keys.answer('h4sh')).toBe('ghostline:v1:acme:answer:{h4sh}');
    expect(keys.lock('h4sh')).toBe('ghostline:v1:acme:lock:{h4sh}');
    expect(keys.flightChannel()).toBe('ghostline:v1:acme:flights');
    expect(keys.teamSpend('2026-11-21')).toBe('ghostline:v1:{acme}:spend:2026-11-21:team');
    expect(keys.userSpend('2026-11-21', 'alice')).toBe('ghostline:v1:{acme}:spend:2026-11-21:user:alice');
    expect(keys.stats('2026-11-21')).toBe('ghostline:v1:{acme}:stats:2026-11-21');
    expect(keys.rate(29_000_000)).toBe(`${keys.ratePrefix()}29000000`);
  });

  it('gives keys one script touches the same hash tag (one Cluster slot), and answers different ones', () => {
    expect(calculateSlot(keys.answer('abc'))).toBe(calculateSlot(keys.lock('abc')));
    const spendSlot = calculateSlot(keys.teamSpend('2026-11-21'));
    expect(calculateSlot(keys.userSpend('2026-11-21', 'bob'))).toBe(spendSlot);
    expect(calculateSlot(keys.rate(1))).toBe(calculateSlot(keys.ratePrefix()));
    const answerSlots = new Set(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((h) => calculateSlot(keys.answer(h))));
    expect(answerSlots.size).toBeGreaterThan(4);
  });

  it('encodes team and user names so they cannot break the layout or the hash tag', () => {
    const odd = new RedisKeys('a:b}{c');
    expect(odd.answer('h')).toBe('ghostline:v1:a%3Ab%7D%7Bc:answer:{h}');
    expect(odd.teamSpend('d')).toBe('ghostline:v1:{a%3Ab%7D%7Bc}:spend:d:team');
    expect(odd.userSpend('d', 'x:y')).toBe('ghostline:v1:{a%3Ab%7D%7Bc}:spend:d:user:x%3Ay');
  });

  it('counts days in UTC', () => {
    expect(utcDay(Date.UTC(2026, 10, 21, 23, 59, 59))).toBe('2026-11-21');
    expect(utcDay(Date.UTC(2026, 10, 22, 0, 0, 0))).toBe('2026-11-22');
  });
});
