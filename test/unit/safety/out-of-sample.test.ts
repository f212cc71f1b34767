/**
 * Recall on a corpus the detector's rules were not written from: one sample for each of the 216
 * rules of gitleaks' default configuration (test/unit/safety/gitleaks-corpus.ts), reported apart
 * from the in-sample corpus of test/fixtures/secrets. The floor is the measured figure
 * (docs/safety.md); a change that lowers it fails here.
 */
import { describe, expect, it } from 'vitest';
import { detectSecrets } from '../../../server/src/safety/detect.ts';
import { outOfSampleSamples } from './gitleaks-corpus.ts';

/** Measured on gitleaks v8.28 rules, seed 1: 71 of 216 (0.329); before the widening 68 (0.315). */
const OUT_OF_SAMPLE_FLOOR = 0.32;

describe('out-of-sample recall (gitleaks rule patterns)', () => {
  it(`finds at least ${OUT_OF_SAMPLE_FLOOR * 100}% of the secrets`, () => {
    const { samples, skipped } = outOfSampleSamples(1);
    expect(samples.length).toBeGreaterThanOrEqual(200);
    expect(skipped).toEqual([]);
    const missed: string[] = [];
    for (const sample of samples) {
      const found = detectSecrets(sample.text);
      if (!found.some((match) => match.start <= sample.start && match.end >= sample.end)) missed.push(sample.rule);
    }
    const recall = (samples.length - missed.length) / samples.length;
    process.stderr.write(
      `[safety] out-of-sample recall ${samples.length - missed.length}/${samples.length} = ${recall.toFixed(3)} (gitleaks rules)\n`,
    );
    expect(recall).toBeGreaterThanOrEqual(OUT_OF_SAMPLE_FLOOR);
  });
});
