import { describe, expect, it } from 'vitest';
import { Scheduler, SUPERSEDED } from '../../../server/src/engine/scheduler.ts';

describe('Scheduler', () => {
  it('lets the latest request per document win; the older one is superseded, not left hanging', async () => {
    const scheduler = new Scheduler();
    const first = scheduler.enter('a', new AbortController().signal, 1000);
    const second = scheduler.enter('a', new AbortController().signal, 0);
    expect(await first.ready).toBe(false);
    expect(first.signal.reason).toBe(SUPERSEDED);
    expect(await second.ready).toBe(true);
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
});
