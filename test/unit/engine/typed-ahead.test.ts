import { describe, expect, it } from 'vitest';
import { TypedAhead } from '../../../server/src/engine/typed-ahead.ts';

const suggestion = (text: string) => ({ key: 'k', live: { code: text } });

describe('TypedAhead', () => {
  const before = 'const total = values.';
  it.each([
    ['the user typed the first characters', `${before}red`, `${before}red`.length, 'red'],
    ['nothing typed yet (same place)', before, before.length, ''],
  ])('matches when %s', (_name, text, offset, typed) => {
    const store = new TypedAhead();
    store.remember('u', before, before.length, suggestion('reduce((a, b) => a + b)'));
    expect(store.find('u', text as string, offset as number)?.typed).toBe(typed);
  });

  it.each([
    ['typed text that diverges from the suggestion', `${before}map`, `${before}map`.length],
    ['the cursor moved before the anchor', before.slice(0, -1), before.length - 1],
    ['text before the anchor changed', `let total = values.red`, `let total = values.red`.length],
  ])('misses when %s', (_name, text, offset) => {
    const store = new TypedAhead();
    store.remember('u', before, before.length, suggestion('reduce((a, b) => a + b)'));
    expect(store.find('u', text as string, offset as number)).toBeUndefined();
  });

  it('misses when the rest of the line changed', () => {
    const store = new TypedAhead();
    store.remember('u', `${before}\n`, before.length, suggestion('reduce()'));
    expect(store.find('u', `${before}re)\n`, before.length + 2)).toBeUndefined();
  });

  it('follows a suggestion that is still streaming', () => {
    const store = new TypedAhead();
    const live = suggestion('re');
    store.remember('u', before, before.length, live);
    // Typed past the code received so far, continuing it: the request joins the call.
    expect(store.find('u', `${before}red`, before.length + 3)?.typed).toBe('red');
    live.live.code = 'reduce(';
    expect(store.find('u', `${before}red`, before.length + 3)?.typed).toBe('red');
  });

  it('joins a call whose first tokens have not arrived yet', () => {
    const store = new TypedAhead();
    store.remember('u', before, before.length, suggestion(''));
    expect(store.find('u', `${before}fil`, before.length + 3)?.typed).toBe('fil');
  });

  it('misses when typed text departs from what a streaming call sent', () => {
    const store = new TypedAhead();
    store.remember('u', before, before.length, suggestion('re'));
    expect(store.find('u', `${before}map`, before.length + 3)).toBeUndefined();
  });

  it('misses when typed text outruns a finished answer', () => {
    const store = new TypedAhead();
    store.remember('u', before, before.length, {
      key: 'k',
      live: { code: 're', done: { text: 're', model: 'm' } },
    });
    expect(store.find('u', `${before}red`, before.length + 3)).toBeUndefined();
  });

  it('forgets a closed document', () => {
    const store = new TypedAhead();
    store.remember('u', before, before.length, suggestion('x'));
    store.forget('u');
    expect(store.find('u', before, before.length)).toBeUndefined();
  });
});
