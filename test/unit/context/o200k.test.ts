/**
 * The compact o200k counter against gpt-tokenizer, the reference implementation: the same count
 * for real code in several languages, odd text (emoji, CJK, control characters, special-token
 * text, long runs without spaces) and random documents, through both merge strategies.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { countTokens as reference } from 'gpt-tokenizer/encoding/o200k_base';
import { O200K_TOKEN_SPLIT_REGEX } from 'gpt-tokenizer/encodingParams/constants';
import { describe, expect, it } from 'vitest';
import { countO200k, mergeCount } from '../../../server/src/context/o200k.ts';
import { encodeRanks, loadRankFile, parseTiktoken, rankTable } from '../../../server/src/tokenizer-data.ts';
import { randomDocument, seededRandom } from './fixture.ts';

const PLAIN = { disallowedSpecial: new Set<string>() };
const require = createRequire(import.meta.url);
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const source = (path: string) => readFileSync(join(ROOT, 'node_modules', path), 'utf8');

const REAL_CODE: [string, string][] = [
  ['TypeScript', source('gpt-tokenizer/src/BytePairEncodingCore.ts')],
  ['JavaScript', source('vscode-jsonrpc/lib/common/linkedMap.js')],
  ['JSON', source('openai/package.json')],
  ['Markdown', source('zod/README.md')],
];

const ODD_TEXT = [
  '',
  ' ',
  '\n\n\n',
  '😀世界 — naïve café, Ελληνικά, русский, العربية, हिन्दी',
  '<|endoftext|><|fim_prefix|> special text stays plain',
  'a'.repeat(5000),
  'QmFzZTY0IGJsb2Igd2l0aG91dCBzcGFjZXM'.repeat(200),
  '\t\t  mixed \r\n whitespace \u0000 \u0007 control\u200b zero-width',
  "don't can't WE'LL I'M they've",
  '0123456789 3.14159e-10 0xDEADBEEF 1_000_000',
];

describe('countO200k', () => {
  it.each(REAL_CODE)('counts %s like gpt-tokenizer', (_name, text) => {
    expect(countO200k(text)).toBe(reference(text, PLAIN));
  });

  it.each(ODD_TEXT.map((t) => [t.slice(0, 40), t]))('counts %j like gpt-tokenizer', (_label, text) => {
    expect(countO200k(text)).toBe(reference(text, PLAIN));
  });

  it('counts random documents like gpt-tokenizer', () => {
    const random = seededRandom(11);
    for (let i = 0; i < 40; i++) {
      const text = randomDocument(random, 30);
      expect(countO200k(text)).toBe(reference(text, PLAIN));
    }
  });

  it('stops at the limit', () => {
    expect(countO200k('hello world', 2)).toBe(2);
    expect(countO200k('hello world', 1)).toBeUndefined();
  });

  it('merges a piece the same way with the heap as with the scan', () => {
    const table = rankTable(loadRankFile());
    const encoder = new TextEncoder();
    const texts = [...REAL_CODE.map(([, t]) => t), ...ODD_TEXT];
    let pieces = 0;
    for (const text of texts) {
      for (const [piece] of text.matchAll(new RegExp(O200K_TOKEN_SPLIT_REGEX.source, 'gu'))) {
        const bytes = encoder.encode(piece);
        expect(mergeCount(bytes, bytes.length, table, 0)).toBe(mergeCount(bytes, bytes.length, table, Infinity));
        pieces++;
      }
    }
    expect(pieces).toBeGreaterThan(1000);
  });
});

describe('the rank file', () => {
  it('round-trips the vocabulary and finds every token at its rank', () => {
    const tokens = parseTiktoken(readFileSync(require.resolve('gpt-tokenizer/data/o200k_base.tiktoken'), 'utf8'));
    expect(tokens.length).toBeGreaterThan(199_000);
    const table = rankTable(encodeRanks(tokens));
    expect(table.size).toBe(tokens.length);
    for (let rank = 0; rank < tokens.length; rank += 97)
      expect(table.rank(tokens[rank]!, 0, tokens[rank]!.length)).toBe(rank);
    expect(table.rank(new TextEncoder().encode('notatokenatallreally'), 0, 20)).toBe(-1);
  });

  it('finds every token of a small vocabulary, whose hash tags are wider than a slot keeps', () => {
    const encoder = new TextEncoder();
    const tokens = ['a', 'b', 'ab', 'abc', 'hello', ' world', '\n\n', '{'].map((t) => encoder.encode(t));
    const table = rankTable(encodeRanks(tokens));
    for (const [rank, token] of tokens.entries()) expect(table.rank(token, 0, token.length)).toBe(rank);
    const text = encoder.encode('xabcx');
    expect(table.rank(text, 1, 4)).toBe(3);
    expect(table.rank(text, 0, 2)).toBe(-1);
    expect(table.rank(encoder.encode('zz'), 0, 2)).toBe(-1);
  });

  it('rejects a file that is not a rank file', () => {
    expect(() => rankTable(new Uint8Array(16))).toThrow(/not an o200k rank file/);
  });
});
