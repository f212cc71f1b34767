import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { Scheduler, STALE, SUPERSEDED } from '../../../server/src/engine/scheduler.ts';

describe('Scheduler', () => {
  it('lets the latest request per document win; the older one is superseded, not left hanging', async () => {
    const scheduler = new Scheduler();
    const first = scheduler.enter('a', new AbortController().signal, 1000);
    const second = scheduler.enter('a', new AbortController().signal, 0);
    expect(await first.ready).toBe(false);
    expect(first.signal.reason).toBe(SUPERSEDED);
    expect(await second.ready).toBe(true);
  });

  it('aborts a pending request as stale when its document moves past its version, and only then', async () => {
    const scheduler = new Scheduler();
    const ticket = scheduler.enter('a', new AbortController().signal, 10_000, 3);
    scheduler.movedOn('a', 3);
    scheduler.movedOn('b', 9);
    expect(ticket.signal.aborted).toBe(false);
    scheduler.movedOn('a', 4);
    expect(await ticket.ready).toBe(false);
    expect(ticket.signal.reason).toBe(STALE);
    // The slot is free: a request for the new version is not superseded by the stale one's end.
    const next = scheduler.enter('a', new AbortController().signal, 0, 4);
    ticket.done();
    expect(await next.ready).toBe(true);
  });

  it('keeps documents independent', async () => {
    const scheduler = new Scheduler();
    const a = scheduler.enter('a', new AbortController().signal, 0);
    const b = scheduler.enter('b', new AbortController().signal, 0);
    expect([await a.ready, await b.ready]).toEqual([true, true]);
  });

  it('turns the caller cancelling into an aborted ticket during the debounce', async () => {
    const scheduler = new Scheduler();
    const caller = new AbortController();
    const ticket = scheduler.enter('a', caller.signal, 10_000);
    caller.abort('cancelled');
    expect(await ticket.ready).toBe(false);
    expect(ticket.signal.aborted).toBe(true);
  });

  it('knows the user is typing when the document changed since a recent request', () => {
    const scheduler = new Scheduler();
    expect(scheduler.typing('a', 1, 500)).toBe(false);
    scheduler.enter('a', new AbortController().signal, 0, 1);
    expect(scheduler.typing('a', 2, 500, performance.now())).toBe(true);
    // The same text asked again (a manual invocation) or after a pause is not typing.
    expect(scheduler.typing('a', 1, 500, performance.now())).toBe(false);
    expect(scheduler.typing('a', 2, 500, performance.now() + 10_000)).toBe(false);
    expect(scheduler.typing('b', 2, 500)).toBe(false);
  });

  it('frees the slot on done so a finished request is not superseded later', () => {
    const scheduler = new Scheduler();
    const ticket = scheduler.enter('a', new AbortController().signal, 0);
    ticket.done();
    scheduler.enter('a', new AbortController().signal, 0);
    expect(ticket.signal.aborted).toBe(false);
  });

  it('passes an abort to a linked listener while the ticket is live, and holds no listener once done', () => {
    const scheduler = new Scheduler();
    // The caller's signal outlives the request, as an LSP request's does until the server answers.
    const caller = new AbortController();
    const first = scheduler.enter('a', caller.signal, 10_000);
    const reasons: unknown[] = [];
    first.onAbort((reason) => reasons.push(reason));
    scheduler.enter('a', caller.signal, 0);
    expect(reasons).toEqual([SUPERSEDED]);

    // A ticket that finishes un-aborted: a listener left on its signal would keep the signal and
    // all the listener holds alive as long as the caller's signal (a typed-ahead answer leaked
    // ~1.4 KB per request this way, 370 per two-minute typing replay).
    const ticket = scheduler.enter('b', caller.signal, 10_000);
    ticket.onAbort((reason) => reasons.push(reason));
    expect(getEventListeners(ticket.signal, 'abort').length).toBe(2);
    ticket.done();
    expect(getEventListeners(ticket.signal, 'abort')).toEqual([]);
    caller.abort('cancelled');
    expect(ticket.signal.aborted).toBe(true);
    expect(reasons).toEqual([SUPERSEDED]);
  });

  it('calls a listener linked to an already aborted ticket at once', () => {
    const scheduler = new Scheduler();
    const caller = new AbortController();
    caller.abort('cancelled');
    const ticket = scheduler.enter('a', caller.signal, 0);
    const reasons: unknown[] = [];
    ticket.onAbort((reason) => reasons.push(reason));
    expect(reasons).toEqual(['cancelled']);
  });

  it('ends a debounce still running when the request finishes without waiting for it', async () => {
    const scheduler = new Scheduler();
    const ticket = scheduler.enter('a', new AbortController().signal, 60_000);
    ticket.done();
    expect(await ticket.ready).toBe(false);
    expect(getEventListeners(ticket.signal, 'abort')).toEqual([]);
  });
});
