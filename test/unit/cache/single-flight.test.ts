import { describe, expect, it, vi } from 'vitest';
import { SingleFlight } from '../../../server/src/cache/single-flight.ts';

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('SingleFlight', () => {
  it('runs identical concurrent work once and shares the result', async () => {
    const flights = new SingleFlight<string>();
    let runs = 0;
    const gate = deferred<string>();
    const work = () => {
      runs++;
      return gate.promise;
    };
    const a = flights.run('k', new AbortController().signal, work);
    const b = flights.run('k', new AbortController().signal, work);
    expect([a.shared, b.shared]).toEqual([false, true]);
    gate.resolve('answer');
    expect(await Promise.all([a.promise, b.promise])).toEqual(['answer', 'answer']);
    expect(runs).toBe(1);
    expect(flights.inFlight).toBe(0);
  });

  it('aborts the shared work only when every caller has gone', async () => {
    const flights = new SingleFlight<string>();
    let workSignal!: AbortSignal;
    const gate = deferred<string>();
    const callerA = new AbortController();
    const callerB = new AbortController();
    const a = flights.run('k', callerA.signal, (signal) => {
      workSignal = signal;
      return gate.promise;
    });
    const b = flights.run('k', callerB.signal, () => gate.promise);
    callerA.abort('cancelled');
    await expect(a.promise).rejects.toBe('cancelled');
    expect(workSignal.aborted).toBe(false);
    callerB.abort('cancelled');
    await expect(b.promise).rejects.toBe('cancelled');
    expect(workSignal.aborted).toBe(true);
  });

  it('keeps abandoned work running for the grace period, for a late joiner', async () => {
    const flights = new SingleFlight<string>(() => 50);
    const gate = deferred<string>();
    const first = new AbortController();
    let workSignal!: AbortSignal;
    const a = flights.run('k', first.signal, (signal) => {
      workSignal = signal;
      return gate.promise;
    });
    first.abort('cancelled');
    await expect(a.promise).rejects.toBe('cancelled');
    expect(workSignal.aborted).toBe(false);
    const joined = flights.join('k', new AbortController().signal);
    expect(joined).toBeDefined();
    await new Promise((r) => setTimeout(r, 80));
    expect(workSignal.aborted).toBe(false);
    gate.resolve('reused');
    expect(await joined).toBe('reused');
  });

  it('aborts abandoned work once the grace period passes with nobody joining', async () => {
    const flights = new SingleFlight<string>(() => 20);
    const caller = new AbortController();
    let workSignal!: AbortSignal;
    const a = flights.run('k', caller.signal, (signal) => {
      workSignal = signal;
      return new Promise<string>(() => undefined);
    });
    caller.abort('cancelled');
    await expect(a.promise).rejects.toBe('cancelled');
    await new Promise<void>((resolve) => workSignal.addEventListener('abort', () => resolve()));
    expect(workSignal.reason).toBe('cancelled');
    expect(flights.join('k', new AbortController().signal)).toBeUndefined();
  });

  it("uses a flight's own grace, given when the work starts, over the default", async () => {
    const flights = new SingleFlight<string>(() => 10);
    const gate = deferred<string>();
    let workSignal!: AbortSignal;
    // Started with nobody waiting (a prefetch): its grace is its own.
    const started = flights.run(
      'k',
      AbortSignal.abort('prefetch'),
      (signal) => {
        workSignal = signal;
        return gate.promise;
      },
      5000,
    );
    await expect(started.promise).rejects.toBe('prefetch');
    await new Promise((r) => setTimeout(r, 40));
    expect(workSignal.aborted).toBe(false);
    // A caller that joins and cancels leaves it under the same grace.
    const caller = new AbortController();
    const joined = flights.run('k', caller.signal, () => gate.promise, 10);
    expect(joined.shared).toBe(true);
    caller.abort('cancelled');
    await expect(joined.promise).rejects.toBe('cancelled');
    await new Promise((r) => setTimeout(r, 40));
    expect(workSignal.aborted).toBe(false);
    const late = flights.join('k', new AbortController().signal);
    gate.resolve('reused');
    expect(await late).toBe('reused');
  });

  it('lets a late caller join a flight under way, keeping it alive', async () => {
    const flights = new SingleFlight<string>();
    const gate = deferred<string>();
    const first = new AbortController();
    let workSignal!: AbortSignal;
    const a = flights.run('k', first.signal, (signal) => {
      workSignal = signal;
      return gate.promise;
    });
    const joined = flights.join('k', new AbortController().signal);
    first.abort('superseded');
    await expect(a.promise).rejects.toBe('superseded');
    expect(workSignal.aborted).toBe(false);
    gate.resolve('kept');
    expect(await joined).toBe('kept');
    expect(flights.join('k', new AbortController().signal)).toBeUndefined();
  });

  it('gives up a join after its timeout, and drops the timer when the wait ends first', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const flights = new SingleFlight<string>();
      const gate = deferred<string>();
      let workSignal!: AbortSignal;
      const owner = flights.run('k', new AbortController().signal, (signal) => {
        workSignal = signal;
        return gate.promise;
      });
      const late = flights.join('k', new AbortController().signal, 2500);
      const rejected = expect(late).rejects.toMatchObject({ name: 'TimeoutError' });
      vi.advanceTimersByTime(2500);
      await rejected;
      // The owner still waits: the work goes on.
      expect(workSignal.aborted).toBe(false);

      const joined = flights.join('k', new AbortController().signal, 2500);
      expect(vi.getTimerCount()).toBe(1);
      gate.resolve('answer');
      expect(await joined).toBe('answer');
      expect(await owner.promise).toBe('answer');
      // No timer is left waiting for the budget of a wait that is over.
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('abandons the work when the last waiter times out', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const flights = new SingleFlight<string>();
      const caller = new AbortController();
      let workSignal!: AbortSignal;
      const owner = flights.run('k', caller.signal, (signal) => {
        workSignal = signal;
        return new Promise<string>(() => undefined);
      });
      const late = flights.join('k', new AbortController().signal, 1000);
      caller.abort('superseded');
      await expect(owner.promise).rejects.toBe('superseded');
      expect(workSignal.aborted).toBe(false);
      const rejected = expect(late).rejects.toMatchObject({ name: 'TimeoutError' });
      vi.advanceTimersByTime(1000);
      await rejected;
      expect(workSignal.aborted).toBe(true);
      expect(flights.inFlight).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});
