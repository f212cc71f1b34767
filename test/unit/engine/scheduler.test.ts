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

  it('knows whether the user is typing in a document from the time of its previous request', () => {
    const scheduler = new Scheduler();
    const start = performance.now();
    expect(scheduler.typing('a', 500, start)).toBe(false);
    scheduler.enter('a', new AbortController().signal, 0);
    expect(scheduler.typing('a', 500, performance.now())).toBe(true);
    expect(scheduler.typing('a', 500, performance.now() + 10_000)).toBe(false);
    expect(scheduler.typing('b', 500)).toBe(false);
  });

  it('frees the slot on done so a finished request is not superseded later', () => {
    const scheduler = new Scheduler();
    const ticket = scheduler.enter('a', new AbortController().signal, 0);
    ticket.done();
    scheduler.enter('a', new AbortController().signal, 0);
    expect(ticket.signal.aborted).toBe(false);
  });
});
