import { describe, expect, it } from 'vitest';
import {
  cleanValue,
  dimensionField,
  histogramQuantile,
  latencyField,
  parseDimensionField,
} from '../../../server/src/usage/fields.ts';

const buckets = (entries: [string, number][]) => new Map(entries);

describe('latency histogram', () => {
  it.each([
    [0, 'latency|le|25'],
    [25, 'latency|le|25'],
    [26, 'latency|le|50'],
    [999, 'latency|le|1000'],
    [10_000, 'latency|le|10000'],
    [60_000, 'latency|le|inf'],
  ])('puts %d ms in %s', (ms, field) => {
    expect(latencyField(ms)).toBe(field);
  });

  it.each([
    // One bucket: interpolated inside it.
    [0.5, [['100', 10]], 88],
    [0.9, [['100', 10]], 98],
    // Ten fast, ten slow: the median is the top of the fast bucket, p90 inside the slow one.
    [
      0.5,
      [
        ['50', 10],
        ['1000', 10],
      ],
      50,
    ],
    [
      0.9,
      [
        ['50', 10],
        ['1000', 10],
      ],
      950,
    ],
    // The open bucket reports its lower bound.
    [0.9, [['inf', 3]], 10_000],
  ] as [number, [string, number][], number][])('quantile %f of %j is %d ms', (q, entries, expected) => {
    expect(histogramQuantile(q, buckets(entries))).toBe(expected);
  });

  it('has no quantile without suggestions', () => {
    expect(histogramQuantile(0.5, buckets([]))).toBeUndefined();
  });
});

describe('dimension values', () => {
  it.each([
    ['Neovim', 'Neovim'],
    ['Visual Studio Code', 'Visual Studio Code'],
    ['gpt-4.1-mini', 'gpt-4.1-mini'],
    ['', 'unknown'],
    [undefined, 'unknown'],
    ['a|b', 'other'],
    ['x'.repeat(49), 'other'],
    ['line\nbreak', 'other'],
  ])('keeps %j as %j', (value, expected) => {
    expect(cleanValue(value)).toBe(expected);
  });

  it('round-trips a dimensioned field', () => {
    expect(parseDimensionField(dimensionField('accepted', 'language', 'python'))).toEqual({
      event: 'accepted',
      dimension: 'language',
      value: 'python',
    });
    expect(parseDimensionField('shown')).toBeUndefined();
    expect(parseDimensionField('latency|le|50')).toBeUndefined();
  });
});
