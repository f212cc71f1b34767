/**
 * Seeded randomness and latency for the fake OpenAI server, so a benchmark run with the same
 * seed sees the same jitter. mulberry32 is tiny, fast and good enough for timing noise.
 */

/** Timing of a simulated model: time to first token, streaming speed and uniform noise. */
export interface LatencyModel {
  ttftMs: number;
  tokensPerSec: number;
  jitterMs: number;
}

/** Returns a generator of floats in [0, 1) that repeats for the same seed. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Adds uniform noise in [-jitterMs, +jitterMs] to a delay and never goes below zero. */
export function jittered(baseMs: number, jitterMs: number, random: () => number): number {
  const noise = jitterMs > 0 ? (random() * 2 - 1) * jitterMs : 0;
  return Math.max(0, Math.round(baseMs + noise));
}

/** The delays a latency model gives one 'text' script: before the first delta and between deltas. */
export function latencyDelays(
  model: LatencyModel,
  chunkChars: number,
  random: () => number,
): { firstTokenDelayMs: () => number; chunkDelayMs: () => number } {
  // About four characters make one token, so a delta of chunkChars characters costs this long.
  const tokensPerChunk = Math.max(1, chunkChars / 4);
  const perChunkMs = model.tokensPerSec > 0 ? (tokensPerChunk / model.tokensPerSec) * 1000 : 0;
  return {
    firstTokenDelayMs: () => jittered(model.ttftMs, model.jitterMs, random),
    chunkDelayMs: () => jittered(perChunkMs, model.jitterMs / 4, random),
  };
}
