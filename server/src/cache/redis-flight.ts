/**
 * Cross-process single-flight: when several ghostline processes need the same uncached answer, the
 * one that takes the lock (`SET NX PX`, unless the answer appeared meanwhile) calls the model and the others wait (bounded) for its final answer,
 * announced on the team's channel and stored in the cache. The holder renews its lock while the
 * model streams; when it dies the lock expires and a waiter takes over. Waiters get the final
 * answer, not the stream.
 */
import { crypto } from '../builtins.ts';
import type { Logger } from '../telemetry/logger.ts';
import { decodeAnswer, type RedisCache } from './redis-cache.ts';
import type { RedisClient } from './redis-client.ts';
import type { RedisGuard } from './redis-guard.ts';
import type { RedisKeys } from './redis-keys.ts';
import type { ScriptedClient } from './redis-scripts.ts';
import type { CachedAnswer, FlightOutcome } from './types.ts';

export interface FlightSettings {
  /** Lock lifetime; renewed every third of it while the holder works. */
  lockMs: number;
  /** Longest wait for a peer before computing here anyway. */
  waitMs: number;
  ttlSeconds: number;
}

export interface RedisFlightsOptions {
  client: RedisClient & ScriptedClient;
  subscriber: RedisClient;
  guard: RedisGuard;
  keys: RedisKeys;
  cache: RedisCache;
  settings: () => FlightSettings;
  logger: Logger;
}

/** What a holder announces: the answer, or nothing when it gave up (cancelled or failed). */
interface Announcement {
  answer?: CachedAnswer;
}

type PeerOutcome = { kind: 'answer'; answer: CachedAnswer } | { kind: 'free' } | { kind: 'give-up' };

/** Announcements for one key, received while a caller waits. */
class Inbox {
  private readonly queue: Announcement[] = [];
  private wake?: () => void;

  push(announcement: Announcement): void {
    this.queue.push(announcement);
    this.wake?.();
  }

  /** The next announcement, 'timeout' after `ms`, or a rejection when the signal aborts. */
  next(ms: number, signal: AbortSignal): Promise<Announcement | 'timeout'> {
    const queued = this.queue.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const finish = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        this.wake = undefined;
      };
      const onAbort = () => {
        finish();
        reject(signal.reason ?? new Error('aborted'));
      };
      const timer = setTimeout(() => {
        finish();
        resolve('timeout');
      }, ms);
      this.wake = () => {
        finish();
        resolve(this.queue.shift()!);
      };
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}

export class RedisFlights {
  private readonly options: RedisFlightsOptions;
  private readonly inboxes = new Map<string, Set<Inbox>>();

  constructor(options: RedisFlightsOptions) {
    this.options = options;
    const channel = options.keys.flightChannel();
    options.subscriber.on('message', (from: string, message: string) => {
      if (from === channel) this.deliver(message);
    });
    options.subscriber
      .subscribe(channel)
      .catch((error: Error) => options.logger.debug({ err: error.message }, 'flight channel subscribe failed'));
  }

  async coordinate(
    key: string,
    signal: AbortSignal,
    compute: (signal: AbortSignal) => Promise<CachedAnswer>,
  ): Promise<FlightOutcome> {
    const { client, guard, keys } = this.options;
    const settings = this.options.settings();
    const giveUpAt = Date.now() + settings.waitMs;
    for (;;) {
      signal.throwIfAborted();
      const inbox = this.listen(key);
      try {
        const token = crypto().randomUUID();
        // One script checks for the answer and takes the lock, so a peer that finished between our
        // cache miss and now is never computed again.
        const lock = await guard.run('lock', () =>
          client.ghostlineAcquire(keys.answer(key), keys.lock(key), token, settings.lockMs),
        );
        // Redis cannot coordinate right now: behave like a process on its own.
        if (!lock.ok) return { answer: await compute(signal), from: 'self' };
        const [state, stored] = lock.value;
        if (Number(state) === 2) {
          const answer = decodeAnswer(stored);
          if (answer) return { answer, from: 'peer' };
          return { answer: await compute(signal), from: 'self' };
        }
        if (Number(state) === 1)
          return { answer: await this.hold(key, token, settings, signal, compute), from: 'self' };
        const peer = await this.waitForPeer(key, inbox, signal, giveUpAt, settings);
        if (peer.kind === 'answer') return { answer: peer.answer, from: 'peer' };
        if (peer.kind === 'give-up') {
          this.options.logger.debug({ key }, 'single-flight wait ended; calling the model here');
          return { answer: await compute(signal), from: 'self' };
        }
        // The lock is free without an answer: the holder gave up or died. Try to take over.
      } finally {
        this.unlisten(key, inbox);
      }
    }
  }

  private async hold(
    key: string,
    token: string,
    settings: FlightSettings,
    signal: AbortSignal,
    compute: (signal: AbortSignal) => Promise<CachedAnswer>,
  ): Promise<CachedAnswer> {
    const { client, guard, keys, cache } = this.options;
    const lockKey = keys.lock(key);
    const renew = setInterval(
      () => void guard.run('renew', () => client.ghostlineRenew(lockKey, token, settings.lockMs)),
      Math.max(20, Math.floor(settings.lockMs / 3)),
    );
    let answer: CachedAnswer | undefined;
    try {
      answer = await compute(signal);
      return answer;
    } finally {
      clearInterval(renew);
      const value = answer ? (cache.encode(answer) ?? '') : '';
      const message = JSON.stringify(answer ? { k: key, a: answer } : { k: key });
      void guard.run('finish', () =>
        client.ghostlineFinish(
          keys.answer(key),
          lockKey,
          token,
          value,
          settings.ttlSeconds,
          keys.flightChannel(),
          message,
        ),
      );
    }
  }

  private async waitForPeer(
    key: string,
    inbox: Inbox,
    signal: AbortSignal,
    giveUpAt: number,
    settings: FlightSettings,
  ): Promise<PeerOutcome> {
    const { client, guard, keys } = this.options;
    // Announcements usually end the wait; polling covers a lost subscription and a dead holder.
    const pollMs = Math.max(20, Math.min(250, Math.floor(settings.lockMs / 4)));
    for (;;) {
      const state = await guard.run('peek', () => client.mget(keys.answer(key), keys.lock(key)));
      if (!state.ok) return { kind: 'give-up' };
      const [stored, holder] = state.value;
      const answer = decodeAnswer(stored);
      if (answer) return { kind: 'answer', answer };
      if (holder === null || holder === undefined) return { kind: 'free' };
      const remaining = giveUpAt - Date.now();
      if (remaining <= 0) return { kind: 'give-up' };
      const announcement = await inbox.next(Math.min(pollMs, remaining), signal);
      if (announcement !== 'timeout')
        return announcement.answer ? { kind: 'answer', answer: announcement.answer } : { kind: 'free' };
    }
  }

  private listen(key: string): Inbox {
    const inbox = new Inbox();
    let set = this.inboxes.get(key);
    if (!set) this.inboxes.set(key, (set = new Set()));
    set.add(inbox);
    return inbox;
  }

  private unlisten(key: string, inbox: Inbox): void {
    const set = this.inboxes.get(key);
    set?.delete(inbox);
    if (set?.size === 0) this.inboxes.delete(key);
  }

  private deliver(message: string): void {
    let parsed: { k?: unknown; a?: unknown };
    try {
      parsed = JSON.parse(message) as typeof parsed;
    } catch {
      return;
    }
    if (typeof parsed.k !== 'string') return;
    const set = this.inboxes.get(parsed.k);
    if (!set) return;
    const answer = parsed.a === undefined ? undefined : decodeAnswer(JSON.stringify(parsed.a));
    for (const inbox of set) inbox.push({ answer });
  }
}
