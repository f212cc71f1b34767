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

  describe('a line break typed before a suggestion made at the start of an empty line', () => {
    const above = '        self.placeholder = placeholder\n\n';
    const code = '    # -- Private methods\n    # (for subclasses)';
    const after = '\n    def _munge(self):\n';
    it.each([
      ['the line break alone', '\n', ''],
      ["the line break and the code's indentation", '\n    ', '    '],
      ['the line break and part of the code', '\n    # -- Pri', '    # -- Pri'],
    ])('still matches after %s: the code belongs to the new line', (_name, typed, rest) => {
      const store = new TypedAhead();
      store.remember('u', `${above}${after}`, above.length, suggestion(code));
      const text = `${above}${typed}${after}`;
      expect(store.find('u', text, above.length + typed.length)?.typed).toBe(rest);
    });

    it.each([
      ['two line breaks', '\n\n'],
      ['a line break and text the code does not start with', '\n    x = 1'],
    ])('misses after %s', (_name, typed) => {
      const store = new TypedAhead();
      store.remember('u', `${above}${after}`, above.length, suggestion(code));
      expect(store.find('u', `${above}${typed}${after}`, above.length + typed.length)).toBeUndefined();
    });

    it('misses when the suggestion was made mid-line, or its code starts with its own line break', () => {
      const midLine = new TypedAhead();
      midLine.remember('u', `${above}    x${after}`, above.length + 5, suggestion(' = 1'));
      expect(midLine.find('u', `${above}    x\n${after}`, above.length + 6)).toBeUndefined();
      const ownBreak = new TypedAhead();
      ownBreak.remember('u', `${above}${after}`, above.length, suggestion(`\n${code}`));
      expect(ownBreak.find('u', `${above}\n${after}`, above.length + 1)?.typed).toBe('\n');
    });

    it('prefers a suggestion the typed text continues as it is', () => {
      const store = new TypedAhead();
      // The newer record, looked at first, matches only with the line break left out.
      store.remember('u', `${above}${after}`, above.length, suggestion(`\n${code}`));
      store.remember('u', `${above}${after}`, above.length, suggestion(code));
      const hit = store.find('u', `${above}\n    ${after}`, above.length + 5);
      expect(hit?.typed).toBe('\n    ');
      expect(hit?.suggestion.live.code).toBe(`\n${code}`);
    });
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
