/**
 * The vocabulary of the team's daily usage counters: field names of the per-day hash (counts and
 * sums only — never text or file names), the latency histogram's buckets, and how dimension values
 * (editor, language, model, task) are cleaned before they become part of a field name.
 */

/** Upper bounds (ms) of the latency-to-first-suggestion histogram; the last bucket is open. */
export const LATENCY_BUCKETS_MS = [
  25, 50, 75, 100, 150, 200, 300, 400, 500, 750, 1000, 1500, 2000, 3000, 5000, 10000,
] as const;

/** Dimensions suggestions are counted by, for acceptance rates. */
export const DIMENSIONS = ['editor', 'language', 'model', 'task'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** Plain per-day counters (besides the dimensioned and histogram fields). */
export const COUNTERS = [
  'requests',
  'shown',
  'accepted',
  'tokens_in',
  'tokens_out',
  'tokens_cached',
  'cost_nano',
  'spend_tokens',
  'hits_typed_ahead',
  'hits_joined',
  'model_errors',
  'fallbacks',
  'budget_downgrades',
  'budget_refusals',
  'rate_limit_waits',
  'rate_limited',
  'latency_count',
  'latency_sum_ms',
  // Kept by the Redis statistics hash in a team; counted here only when there is no team Redis.
  'hits_memory',
  'hits_shared',
  'hits_peer',
  'model_calls',
  'tokens_saved',
  'cost_saved_nano',
] as const;
export type Counter = (typeof COUNTERS)[number];

export const NANO = 1_000_000_000;

/** `shown|language|python`: suggestions shown (or accepted) per value of one dimension. */
export function dimensionField(event: 'shown' | 'accepted', dimension: Dimension, value: string): string {
  return `${event}|${dimension}|${value}`;
}

/** `latency|le|150`: suggestions whose first answer took at most 150 ms (`inf` for the open bucket). */
export function latencyField(ms: number): string {
  const bucket = LATENCY_BUCKETS_MS.find((bound) => ms <= bound);
  return `latency|le|${bucket ?? 'inf'}`;
}

/**
 * A dimension value as it may appear in a field: printable, no separators, at most 48 characters.
 * Values come from editors (clientInfo, accept arguments), so their number is bounded too by the
 * caller keeping only short identifier-like names; anything else becomes `other`.
 */
export function cleanValue(value: unknown): string {
  if (typeof value !== 'string') return 'unknown';
  const trimmed = value.trim();
  if (trimmed === '') return 'unknown';
  if (!/^[\w .+\-/@()]{1,48}$/.test(trimmed)) return 'other';
  return trimmed;
}

/** `user_tokens|alice` and `user_cost_nano|alice`: what one user's charged calls cost that day. */
export function userFields(user: string): { tokens: string; costNano: string } {
  const name = cleanValue(user);
  return { tokens: `user_tokens|${name}`, costNano: `user_cost_nano|${name}` };
}

/** The per-user spend in a day's counters, by user name. */
export function usersIn(counts: Record<string, number>): Record<string, { tokens: number; costUsd: number }> {
  const users: Record<string, { tokens: number; costUsd: number }> = {};
  for (const [field, value] of Object.entries(counts)) {
    const [kind, ...rest] = field.split('|');
    if ((kind !== 'user_tokens' && kind !== 'user_cost_nano') || rest.length === 0) continue;
    const user = (users[rest.join('|')] ??= { tokens: 0, costUsd: 0 });
    if (kind === 'user_tokens') user.tokens += value;
    else user.costUsd += value / NANO;
  }
  return users;
}

/** Splits a dimensioned field back into its parts (undefined for plain counters). */
export function parseDimensionField(
  field: string,
): { event: 'shown' | 'accepted'; dimension: Dimension; value: string } | undefined {
  const [event, dimension, ...rest] = field.split('|');
  if (
    (event !== 'shown' && event !== 'accepted') ||
    !(DIMENSIONS as readonly string[]).includes(dimension ?? '') ||
    rest.length === 0
  )
    return undefined;
  return { event, dimension: dimension as Dimension, value: rest.join('|') };
}

/**
 * A quantile from histogram counts by linear interpolation inside the bucket that holds it (as
 * Prometheus' histogram_quantile does); the open bucket reports its lower bound. Undefined when empty.
 */
export function histogramQuantile(q: number, counts: Map<string, number>): number | undefined {
  const bounds = [...LATENCY_BUCKETS_MS, Infinity];
  const per = bounds.map((bound) => counts.get(bound === Infinity ? 'inf' : String(bound)) ?? 0);
  const total = per.reduce((a, b) => a + b, 0);
  if (total === 0) return undefined;
  const rank = q * total;
  let seen = 0;
  for (const [index, count] of per.entries()) {
    if (count > 0 && seen + count >= rank) {
      const lower = index === 0 ? 0 : bounds[index - 1]!;
      const upper = bounds[index]!;
      if (upper === Infinity) return lower;
      return Math.round(lower + ((upper - lower) * (rank - seen)) / count);
    }
    seen += count;
  }
  return bounds.at(-2);
}
