/**
 * Reads the o200k vocabulary once, for context/o200k.ts (which stays free of I/O): the
 * `o200k.bin` shipped beside the bundle or inside the executable, else, running from the sources,
 * gpt-tokenizer's data file converted on the fly.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { readAsset } from './assets.ts';
import { encodeRanks, parseTiktoken, RANKS_FILE } from './context/o200k-ranks.ts';

/** The serialized vocabulary: shipped with the bundle or the executable, else built from a checkout's data. */
export function loadRankFile(): Uint8Array {
  const shipped = readAsset(RANKS_FILE);
  if (shipped) return shipped;
  // Running from the TypeScript sources (tests, scripts): build it from gpt-tokenizer's data.
  const require = createRequire(import.meta.url);
  const source = join(dirname(require.resolve('gpt-tokenizer/package.json')), 'data', 'o200k_base.tiktoken');
  return encodeRanks(parseTiktoken(readFileSync(source, 'utf8')));
}
