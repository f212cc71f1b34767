/**
 * Small statistics for benchmark samples: percentiles by nearest rank, means, and a summary
 * object every report uses, so each number is computed the same way everywhere.
 */

export interface Summary {
  count: number;
  mean: number | null;
  p50: number | null;
  p90: number | null;
  p99: number | null;
  max: number | null;
}

/** The nearest-rank percentile (p in 0..100) of unsorted samples; null for no samples. */
export function percentile(samples: readonly number[], p: number): number | null {
  if (samples.length === 0) return null;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

export function mean(samples: readonly number[]): number | null {
  if (samples.length === 0) return null;
  return samples.reduce((sum, x) => sum + x, 0) / samples.length;
}

export function median(samples: readonly number[]): number | null {
  return percentile(samples, 50);
}

/** Rounds to `digits` decimals; keeps null. */
export function round(value: number | null, digits = 2): number | null {
  if (value === null || !Number.isFinite(value)) return null;
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

export function summarize(samples: readonly number[], digits = 2): Summary {
  return {
    count: samples.length,
    mean: round(mean(samples), digits),
    p50: round(percentile(samples, 50), digits),
    p90: round(percentile(samples, 90), digits),
    p99: round(percentile(samples, 99), digits),
    max: round(samples.length === 0 ? null : Math.max(...samples), digits),
  };
}

/** A ratio that is null rather than NaN when the denominator is zero. */
export function ratio(numerator: number, denominator: number, digits = 3): number | null {
  return denominator === 0 ? null : round(numerator / denominator, digits);
}

/** Least-squares slope of y over x (units of y per unit of x); null below two points. */
export function slope(points: readonly { x: number; y: number }[]): number | null {
  if (points.length < 2) return null;
  const mx = mean(points.map((p) => p.x))!;
  const my = mean(points.map((p) => p.y))!;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.x - mx) * (p.y - my);
    den += (p.x - mx) ** 2;
  }
  return den === 0 ? null : num / den;
}
