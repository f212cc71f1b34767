/**
 * Redis connection conventions: one URL names a standalone server, a Sentinel group or a Cluster,
 * with TLS, ACL user and password and a db index. Pure parsing; redis-client.ts turns the result
 * into ioredis clients.
 */

export interface RedisEndpoint {
  host: string;
  port: number;
}

interface Credentials {
  tls: boolean;
  username?: string;
  password?: string;
}

export type RedisTarget =
  | ({ mode: 'standalone'; endpoint: RedisEndpoint; db: number } & Credentials)
  | ({
      mode: 'sentinel';
      sentinels: RedisEndpoint[];
      masterName: string;
      db: number;
      sentinelUsername?: string;
      sentinelPassword?: string;
    } & Credentials)
  | ({ mode: 'cluster'; nodes: RedisEndpoint[] } & Credentials);

export type ParsedRedisUrl = { ok: true; target: RedisTarget } | { ok: false; error: string };

const URL_SHAPE = /^(rediss?)(?:\+(sentinel|cluster))?:\/\/(?:([^@/]*)@)?([^/?#]*)(\/[^?#]*)?(?:\?([^#]*))?$/i;

/** `host`, `host:port`, `[v6]` or `[v6]:port`. */
function parseEndpoint(text: string, defaultPort: number): RedisEndpoint | string {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+))(?::(\d+))?$/.exec(text);
  if (!match) return `"${text}" is not host:port`;
  const port = match[3] === undefined ? defaultPort : Number(match[3]);
  if (!Number.isInteger(port) || port < 1 || port > 65535) return `port ${match[3]} is out of range`;
  return { host: (match[1] ?? match[2])!, port };
}

function parseDb(text: string | undefined): number | string {
  if (text === undefined || text === '') return 0;
  if (!/^\d+$/.test(text)) return `db index "${text}" is not a number`;
  return Number(text);
}

/** Parses `redis://`, `rediss://`, `redis+sentinel://`, `redis+cluster://` (and their TLS forms). */
export function parseRedisUrl(url: string): ParsedRedisUrl {
  const match = URL_SHAPE.exec(url.trim());
  if (!match)
    return {
      ok: false,
      error: 'expected redis://, rediss://, redis+sentinel:// or redis+cluster:// followed by host:port',
    };
  const [, scheme, kind, userinfo, hostList, path, query] = match;
  const tls = scheme!.toLowerCase() === 'rediss';
  const credentials: Credentials = { tls };
  if (userinfo !== undefined && userinfo !== '') {
    const colon = userinfo.indexOf(':');
    const user = decodeURIComponent(colon < 0 ? userinfo : userinfo.slice(0, colon));
    if (user !== '') credentials.username = user;
    if (colon >= 0) credentials.password = decodeURIComponent(userinfo.slice(colon + 1));
  }
  const mode = (kind?.toLowerCase() ?? 'standalone') as RedisTarget['mode'];
  const endpoints: RedisEndpoint[] = [];
  for (const part of hostList!.split(',').filter((p) => p !== '')) {
    const endpoint = parseEndpoint(part, mode === 'sentinel' ? 26379 : 6379);
    if (typeof endpoint === 'string') return { ok: false, error: endpoint };
    endpoints.push(endpoint);
  }
  if (endpoints.length === 0) return { ok: false, error: 'no host given' };
  const params = new URLSearchParams(query ?? '');
  const segments = (path ?? '').split('/').filter((s) => s !== '');

  if (mode === 'standalone') {
    if (endpoints.length > 1) return { ok: false, error: 'several hosts need redis+sentinel:// or redis+cluster://' };
    if (segments.length > 1)
      return { ok: false, error: `unexpected path "${path}"; only a db index may follow the host` };
    const db = parseDb(segments[0] ?? params.get('db') ?? undefined);
    if (typeof db === 'string') return { ok: false, error: db };
    return { ok: true, target: { mode, endpoint: endpoints[0]!, db, ...credentials } };
  }
  if (mode === 'sentinel') {
    const masterName = segments[0] ? decodeURIComponent(segments[0]) : params.get('name');
    if (!masterName)
      return {
        ok: false,
        error: 'redis+sentinel:// needs the master name as the path, e.g. redis+sentinel://host:26379/mymaster',
      };
    const db = parseDb(segments[1] ?? params.get('db') ?? undefined);
    if (typeof db === 'string') return { ok: false, error: db };
    const target: RedisTarget = { mode, sentinels: endpoints, masterName, db, ...credentials };
    const sentinelUsername = params.get('sentinelUsername');
    const sentinelPassword = params.get('sentinelPassword');
    if (sentinelUsername) target.sentinelUsername = sentinelUsername;
    if (sentinelPassword) target.sentinelPassword = sentinelPassword;
    return { ok: true, target };
  }
  if (segments.length > 0 && !(segments.length === 1 && segments[0] === '0')) {
    return { ok: false, error: 'Redis Cluster has only db 0; remove the path' };
  }
  return { ok: true, target: { mode, nodes: endpoints, ...credentials } };
}

/** The URL with its password replaced, for messages and logs. */
export function redactRedisUrl(url: string): string {
  return url.replace(/^([^:]+:\/\/)([^@/]*)@/, (_all, scheme: string, userinfo: string) => {
    const colon = userinfo.indexOf(':');
    return colon < 0 ? `${scheme}${userinfo}@` : `${scheme}${userinfo.slice(0, colon)}:***@`;
  });
}
