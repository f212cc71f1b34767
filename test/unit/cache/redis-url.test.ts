import { describe, expect, it } from 'vitest';
import { parseRedisUrl, redactRedisUrl } from '../../../server/src/cache/redis-url.ts';

describe('parseRedisUrl', () => {
  const ok: [string, object][] = [
    ['redis://localhost', { mode: 'standalone', endpoint: { host: 'localhost', port: 6379 }, db: 0, tls: false }],
    ['redis://10.0.0.5:6380/3', { mode: 'standalone', endpoint: { host: '10.0.0.5', port: 6380 }, db: 3, tls: false }],
    [
      'rediss://cache.example.com:6380',
      { mode: 'standalone', tls: true, endpoint: { host: 'cache.example.com', port: 6380 } },
    ],
    ['redis://:s3cret@host:1/2', { password: 's3cret', db: 2 }],
    ['redis://ghostline:p%40ss%3Aword@host', { username: 'ghostline', password: 'p@ss:word' }],
    ['redis://onlyuser@host', { username: 'onlyuser' }],
    ['redis://[::1]:7000', { endpoint: { host: '::1', port: 7000 } }],
    ['REDIS://Host:1', { mode: 'standalone', endpoint: { host: 'Host', port: 1 } }],
    [
      'redis+sentinel://app:pw@s1:26379,s2,[::1]:26380/mymaster/4?sentinelPassword=sp',
      {
        mode: 'sentinel',
        sentinels: [
          { host: 's1', port: 26379 },
          { host: 's2', port: 26379 },
          { host: '::1', port: 26380 },
        ],
        masterName: 'mymaster',
        db: 4,
        username: 'app',
        password: 'pw',
        sentinelPassword: 'sp',
        tls: false,
      },
    ],
    ['rediss+sentinel://s1/primary', { mode: 'sentinel', masterName: 'primary', db: 0, tls: true }],
    [
      'redis+cluster://n1:7000,n2:7001',
      {
        mode: 'cluster',
        nodes: [
          { host: 'n1', port: 7000 },
          { host: 'n2', port: 7001 },
        ],
        tls: false,
      },
    ],
    ['rediss+cluster://u:p@n1:7000', { mode: 'cluster', tls: true, username: 'u', password: 'p' }],
  ];
  for (const [url, expected] of ok) {
    it(`parses ${url}`, () => {
      const parsed = parseRedisUrl(url);
      expect(parsed.ok).toBe(true);
      if (parsed.ok) expect(parsed.target).toMatchObject(expected);
    });
  }

  const bad: [string, RegExp][] = [
    ['http://localhost', /expected redis:\/\//],
    ['redis://', /no host/],
    ['redis://a:1,b:2', /several hosts need redis\+sentinel/],
    ['redis://host:99999', /port 99999 is out of range/],
    ['redis://host/zero', /db index "zero" is not a number/],
    ['redis+sentinel://s1:26379', /needs the master name/],
    ['redis+cluster://n1:7000/3', /only db 0/],
  ];
  for (const [url, error] of bad) {
    it(`rejects ${url}`, () => {
      const parsed = parseRedisUrl(url);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.error).toMatch(error);
    });
  }
});

describe('redactRedisUrl', () => {
  it('hides passwords and keeps user names and hosts', () => {
    expect(redactRedisUrl('redis://ghostline:hunter2@host:6379/1')).toBe('redis://ghostline:***@host:6379/1');
    expect(redactRedisUrl('rediss://:hunter2@host')).toBe('rediss://:***@host');
    expect(redactRedisUrl('redis://host:6379')).toBe('redis://host:6379');
    expect(redactRedisUrl('redis+sentinel://u:pw@s1,s2/m')).toBe('redis+sentinel://u:***@s1,s2/m');
  });
});
