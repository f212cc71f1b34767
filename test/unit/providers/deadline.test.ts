/**
 * Deadlines: which one fired, and that the caller's cancel passes through. Uses vitest's fake
 * timers, so nothing here depends on wall-clock speed.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startAttemptDeadline, startCallDeadline } from '../../../server/src/providers/deadline.ts';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

const timeouts = { firstTokenMs: 100, idleMs: 50 };

describe('attempt deadline', () => {
  it('fires first_token when no text arrives, even if other events do', () => {
    const call = startCallDeadline(new AbortController().signal, 10_000);
    const attempt = startAttemptDeadline(call, timeouts);
    vi.advanceTimersByTime(60);
    attempt.onEvent();
    vi.advanceTimersByTime(60);
    expect(attempt.signal.aborted).toBe(true);
    expect(attempt.timedOut()).toBe('first_token');
    expect(call.signal.aborted).toBe(false);
  });

  it('switches to the idle clock after the first token and restarts it on each chunk', () => {
    const call = startCallDeadline(new AbortController().signal, 10_000);
    const attempt = startAttemptDeadline(call, timeouts);
    vi.advanceTimersByTime(90);
    attempt.onText();
    for (let i = 0; i < 5; i++) {
      vi.advanceTimersByTime(40);
      attempt.onEvent();
    }
    expect(attempt.signal.aborted).toBe(false);
    vi.advanceTimersByTime(50);
    expect(attempt.timedOut()).toBe('idle');
  });

  it('reports the total deadline of its call', () => {
    const call = startCallDeadline(new AbortController().signal, 30);
    const attempt = startAttemptDeadline(call, timeouts);
    vi.advanceTimersByTime(30);
    expect(attempt.signal.aborted).toBe(true);
    expect(attempt.timedOut()).toBe('total');
  });

  it("aborts on the caller's cancel without calling it a timeout", () => {
    const caller = new AbortController();
    const call = startCallDeadline(caller.signal, 10_000);
    const attempt = startAttemptDeadline(call, timeouts);
    caller.abort();
    expect(attempt.signal.aborted).toBe(true);
    expect(attempt.timedOut()).toBeUndefined();
  });

  it('fires nothing after dispose', () => {
    const call = startCallDeadline(new AbortController().signal, 10_000);
    const attempt = startAttemptDeadline(call, timeouts);
    attempt.dispose();
    call.dispose();
    vi.advanceTimersByTime(20_000);
    expect(attempt.signal.aborted).toBe(false);
    expect(call.signal.aborted).toBe(false);
  });
});
