/**
 * buildContext: the current line's halves and the neighbouring lines, with CRLF normalised.
 */
import { describe, expect, it } from 'vitest';
import { buildContext, indentWidth } from '../../../server/src/engine/postprocess/context.ts';
import { contextAt } from './helpers.ts';

describe('buildContext', () => {
  it.each([
    {
      fixture: 'a\nb\n  cd<|>ef\ng\nh',
      linePrefix: '  cd',
      lineSuffix: 'ef',
      previousLines: ['a', 'b'],
      nextLines: ['g', 'h'],
    },
    { fixture: '<|>', linePrefix: '', lineSuffix: '', previousLines: [], nextLines: [] },
    { fixture: '\n<|>\n', linePrefix: '', lineSuffix: '', previousLines: [''], nextLines: [''] },
    { fixture: 'x\r\ny<|>z\r\nw', linePrefix: 'y', lineSuffix: 'z', previousLines: ['x'], nextLines: ['w'] },
    { fixture: '🦜\n世界<|>😀\n終', linePrefix: '世界', lineSuffix: '😀', previousLines: ['🦜'], nextLines: ['終'] },
  ])('$fixture', ({ fixture, ...expected }) => {
    const context = contextAt(fixture);
    expect({
      linePrefix: context.linePrefix,
      lineSuffix: context.lineSuffix,
      previousLines: context.previousLines,
      nextLines: context.nextLines,
    }).toEqual(expected);
  });

  it('keeps only the nearest 50 neighbouring lines', () => {
    const before = Array.from({ length: 80 }, (_, i) => `b${i}`).join('\n');
    const after = Array.from({ length: 80 }, (_, i) => `a${i}`).join('\n');
    const context = buildContext({
      raw: '',
      prefix: `${before}\nx`,
      suffix: `y\n${after}`,
      languageId: 'go',
      multiline: true,
      maxLines: 0,
    });
    expect(context.previousLines).toHaveLength(50);
    expect(context.previousLines.at(-1)).toBe('b79');
    expect(context.nextLines).toHaveLength(50);
    expect(context.nextLines[0]).toBe('a0');
    expect(context.maxLines).toBe(1);
  });

  it.each([
    ['', 0],
    ['    x', 4],
    ['\tx', 4],
    ['\t  x', 6],
    ['   ', 3],
  ])('indentWidth(%j) = %i', (line, width) => {
    expect(indentWidth(line)).toBe(width);
  });
});
