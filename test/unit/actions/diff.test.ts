/**
 * The diff behind every code-action edit: data-driven cases check that applying the changes gives
 * the new text and that only what differs is touched; a seeded random sweep checks the round trip.
 */
import { describe, expect, it } from 'vitest';
import { applyChanges, diffText, lineHunks, narrow } from '../../../server/src/actions/diff.ts';
import { mulberry32 } from '../../fake-openai/rng.ts';

describe('diffText', () => {
  const cases: [string, string, string, { start: number; end: number; text: string }[]][] = [
    ['identical texts need no change', 'a\nb\n', 'a\nb\n', []],
    [
      'one word in one line',
      'let x = 1;\nlet y = 2;\n',
      'let x = 1;\nlet z = 2;\n',
      [{ start: 15, end: 16, text: 'z' }],
    ],
    ['an inserted line', 'a\nc\n', 'a\nb\nc\n', [{ start: 2, end: 2, text: 'b\n' }]],
    ['a deleted line', 'a\nb\nc\n', 'a\nc\n', [{ start: 2, end: 4, text: '' }]],
    [
      'two separate hunks stay separate',
      'a\nb\nc\nd\ne\n',
      'a\nB\nc\nd\nE\n',
      [
        { start: 2, end: 3, text: 'B' },
        { start: 8, end: 9, text: 'E' },
      ],
    ],
    [
      'a rename on every line stays one small edit per line',
      'f(opts);\ng(opts);\n',
      'f(cfg);\ng(cfg);\n',
      [
        { start: 2, end: 6, text: 'cfg' },
        { start: 11, end: 15, text: 'cfg' },
      ],
    ],
    ['from empty', '', 'new\n', [{ start: 0, end: 0, text: 'new\n' }]],
    ['to empty', 'old\n', '', [{ start: 0, end: 4, text: '' }]],
    ['no final newline on one side', 'a\nb', 'a\nb\n', [{ start: 3, end: 3, text: '\n' }]],
  ];
  it.each(cases)('%s', (_name, before, after, expected) => {
    const changes = diffText(before, after);
    expect(changes).toEqual(expected);
    expect(applyChanges(before, changes)).toBe(after);
  });

  it('never splits a surrogate pair', () => {
    const changes = diffText('x = "😀";\n', 'x = "😃";\n');
    expect(changes).toEqual([{ start: 5, end: 7, text: '😃' }]);
  });

  it('round-trips random edits of random texts', () => {
    const random = mulberry32(7);
    const words = ['a', 'b', 'c', 'foo', 'bar', '', '  x', '}'];
    const pick = () => words[Math.floor(random() * words.length)]!;
    for (let run = 0; run < 300; run++) {
      const before = Array.from({ length: Math.floor(random() * 12) }, pick).join('\n');
      const lines = before.split('\n');
      for (let edits = Math.floor(random() * 4); edits > 0; edits--) {
        const at = Math.floor(random() * (lines.length + 1));
        const kind = random();
        if (kind < 0.33) lines.splice(at, 0, pick());
        else if (kind < 0.66) lines.splice(at, 1);
        else lines[at] = `${lines[at] ?? ''}${pick()}`;
      }
      const after = lines.join('\n');
      const changes = diffText(before, after);
      expect(applyChanges(before, changes)).toBe(after);
      for (let i = 1; i < changes.length; i++) expect(changes[i]!.start).toBeGreaterThanOrEqual(changes[i - 1]!.end);
    }
  });
});

describe('lineHunks', () => {
  it('finds the shortest script (Myers) between line id sequences', () => {
    // Myers' own example (ABCABBA → CBABAC) has edit distance 5.
    const hunks = lineHunks([1, 2, 3, 1, 2, 2, 1], [3, 2, 1, 2, 1, 3]);
    expect(hunks.reduce((n, [a0, a1, b0, b1]) => n + (a1 - a0) + (b1 - b0), 0)).toBe(5);
    expect(lineHunks([1, 2, 3], [1, 2, 3])).toEqual([]);
    expect(lineHunks([], [1])).toEqual([[0, 0, 0, 1]]);
  });
});

describe('narrow', () => {
  it('trims the common prefix and suffix', () => {
    expect(narrow('return a + b;', 'return a - b;')).toEqual({ start: 9, end: 10, text: '-' });
    expect(narrow('same', 'same')).toBeUndefined();
  });
});
