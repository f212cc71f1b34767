/**
 * Measures what one answer in ghostline's in-memory cache costs: fills the server's own
 * MemoryCache with realistic entries (real keys, suggestions cut from the corpus) and compares the
 * V8 heap after full collections. Run as a child with --expose-gc; prints one JSON line.
 * Usage: node --expose-gc bench/cache-entry.ts <entries> <answer-chars>
 */
import { cacheKey } from '../server/src/cache/key.ts';
import { MemoryCache } from '../server/src/cache/memory.ts';
import { loadCorpus } from './corpus.ts';

const entries = Number(process.argv[2] ?? 5000);
const answerChars = Number(process.argv[3] ?? 40);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

function heapAfterGc(): number {
  gc!();
  gc!();
  return process.memoryUsage().heapUsed;
}

const text = loadCorpus()
  .map((f) => f.text)
  .join('\n');
const cache = new MemoryCache(entries);
const before = heapAfterGc();
for (let i = 0; i < entries; i++) {
  const at = (i * 7919) % Math.max(1, text.length - answerChars);
  // Slicing and re-joining gives each answer its own string, as a parsed model stream does.
  const answer = [...text.slice(at, at + answerChars)].join('');
  const key = cacheKey({
    templateVersion: 'c1',
    model: 'gpt-4o-mini',
    temperature: 0.1,
    maxOutputTokens: 256,
    instructions: 'bench',
    input: `${i}`,
  });
  await cache.set(
    key,
    { text: answer, model: 'gpt-4o-mini', inputTokens: 1200, outputTokens: 12, cachedTokens: 0, createdAt: Date.now() },
    900,
  );
}
const after = heapAfterGc();
process.stdout.write(
  `${JSON.stringify({ entries: cache.size, answerChars, bytesPerEntry: Math.round((after - before) / entries) })}\n`,
);
