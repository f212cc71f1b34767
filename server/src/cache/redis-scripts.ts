/**
 * The Lua scripts that make multi-step Redis updates atomic: taking a single-flight lock unless the
 * answer already exists, releasing or renewing the lock only when we still own it, publishing a finished answer, charging team and user spend
 * together, and the team's sliding-window rate limiter. ioredis sends them with EVALSHA and falls
 * back to EVAL after a restart emptied the script cache.
 */
import type { RedisClient } from './redis-client.ts';

/**
 * KEYS: answer, lock. ARGV: token, ms. Returns {2, answer} when the answer is already there (a peer
 * finished between our cache miss and now), {1, ''} when we took the lock, {0, ''} when a peer holds it.
 */
const ACQUIRE = `
local answer = redis.call('GET', KEYS[1])
if answer then return {2, answer} end
if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then return {1, ''} end
return {0, ''}`;

/** KEYS: lock. ARGV: token, ms. Extends the lock only if we still hold it. */
const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;

/**
 * KEYS: answer, lock. ARGV: token, value ('' = none), ttl seconds, channel, message.
 * Stores the answer, announces it, then releases the lock, so a waiter that sees the lock gone
 * always finds the answer (or the announcement) too.
 */
const FINISH = `
if ARGV[2] ~= '' then redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3]) end
redis.call('PUBLISH', ARGV[4], ARGV[5])
if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
return 1`;

/** KEYS: team spend, user spend. ARGV: tokens, nano-USD, ttl seconds. */
const CHARGE = `
for i = 1, 2 do
  redis.call('HINCRBY', KEYS[i], 'tokens', ARGV[1])
  redis.call('HINCRBY', KEYS[i], 'cost_nano', ARGV[2])
  redis.call('EXPIRE', KEYS[i], ARGV[3])
end
return 1`;

/**
 * KEYS: rate key prefix (window index appended). ARGV: requests/min (0 = none), tokens/min (0 = none),
 * tokens, carried requests, carried tokens, within share (1/0). Sliding-window counter over one-minute
 * windows on Redis's clock: the previous window counts in proportion to how much of it still overlaps
 * the last minute. Carried calls (made while Redis did not answer) are counted first, whatever the
 * outcome, and mark the window: while this or the previous window is marked, nobody knows what other
 * processes took alone, so a caller past its own share of the limit is refused.
 * Returns {admitted (1/0), retry-after ms, window marked (1/0)}.
 */
const RATE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = math.floor(now / 60000)
local elapsed = now - window * 60000
local weight = (60000 - elapsed) / 60000
local cur = KEYS[1] .. window
local prev = KEYS[1] .. (window - 1)
local pr = tonumber(redis.call('HGET', prev, 'r') or '0')
local pt = tonumber(redis.call('HGET', prev, 't') or '0')
local carried = tonumber(ARGV[4] or '0')
local carriedTokens = tonumber(ARGV[5] or '0')
if carried > 0 or carriedTokens > 0 then
  redis.call('HINCRBY', cur, 'r', carried)
  redis.call('HINCRBY', cur, 't', carriedTokens)
  redis.call('HSET', cur, 'o', 1)
  redis.call('PEXPIRE', cur, 130000)
end
local marked = 0
if redis.call('HEXISTS', cur, 'o') == 1 or redis.call('HEXISTS', prev, 'o') == 1 then marked = 1 end
if marked == 1 and ARGV[6] == '0' then return {0, 60000 - elapsed + 1, 1} end
local cr = tonumber(redis.call('HGET', cur, 'r') or '0')
local ct = tonumber(redis.call('HGET', cur, 't') or '0')
local rpm = tonumber(ARGV[1])
local tpm = tonumber(ARGV[2])
local tokens = tonumber(ARGV[3])
local wait = 0
local function need(p, c, add, limit)
  if limit <= 0 or p * weight + c + add <= limit then return 0 end
  if c + add > limit or p <= 0 then return 60000 - elapsed + 1 end
  return math.ceil((60000 - elapsed) - (limit - c - add) / p * 60000) + 1
end
wait = math.max(need(pr, cr, 1, rpm), need(pt, ct, tokens, tpm))
if wait > 0 then return {0, wait, marked} end
redis.call('HINCRBY', cur, 'r', 1)
redis.call('HINCRBY', cur, 't', tokens)
redis.call('PEXPIRE', cur, 130000)
return {1, 0, marked}`;

export interface ScriptedClient {
  ghostlineAcquire(answer: string, lock: string, token: string, ms: number): Promise<[number, string]>;
  ghostlineRenew(lock: string, token: string, ms: number): Promise<number>;
  ghostlineFinish(
    answer: string,
    lock: string,
    token: string,
    value: string,
    ttlSeconds: number,
    channel: string,
    message: string,
  ): Promise<number>;
  ghostlineCharge(
    teamKey: string,
    userKey: string,
    tokens: number,
    nanoUsd: number,
    ttlSeconds: number,
  ): Promise<number>;
  ghostlineRate(
    prefix: string,
    rpm: number,
    tpm: number,
    tokens: number,
    carried: number,
    carriedTokens: number,
    withinShare: number,
  ): Promise<[number, number, number]>;
}

/** Registers the scripts on a client and returns it typed with them. */
export function withScripts(client: RedisClient): RedisClient & ScriptedClient {
  client.defineCommand('ghostlineAcquire', { numberOfKeys: 2, lua: ACQUIRE });
  client.defineCommand('ghostlineRenew', { numberOfKeys: 1, lua: RENEW });
  client.defineCommand('ghostlineFinish', { numberOfKeys: 2, lua: FINISH });
  client.defineCommand('ghostlineCharge', { numberOfKeys: 2, lua: CHARGE });
  client.defineCommand('ghostlineRate', { numberOfKeys: 1, lua: RATE });
  return client as RedisClient & ScriptedClient;
}
