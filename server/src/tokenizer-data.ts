/**
 * The o200k_base vocabulary in a compact form for context/o200k.ts: every token's bytes in one
 * buffer, their lengths and grouped offsets, and an open-addressing hash table from bytes to rank —
 * about 2.7 MB, against ~90 MB for gpt-tokenizer's string tables. The build writes it (`o200k.bin`)
 * beside the bundle and into the executable; running from the sources, it is converted on the fly
 * from gpt-tokenizer's data. A leaf: context/ reads its vocabulary here and stays free of I/O.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { readAsset } from './assets.ts';

/** The file name of the compact vocabulary, beside the bundle and as an executable's asset. */
export const RANKS_FILE = 'o200k.bin';
const MAGIC = 0x344b3230; // "02K4" little-endian: lengths, grouped offsets, the tagged hash table
const HEADER_BYTES = 12;
/** A slot holds a rank in its low bits and, above them, hash bits that reject most other keys. */
const RANK_BITS = 18;
const RANK_MASK = (1 << RANK_BITS) - 1;
const TAG_MASK = (1 << (32 - RANK_BITS)) - 1;
const EMPTY = 0xffffffff;

export interface RankTable {
  /** The rank of bytes[start, end), or -1 when it is not a token. */
  rank(bytes: Uint8Array, start: number, end: number): number;
  readonly size: number;
}

/** Ranks per stored offset: a token's offset is its group's plus the lengths before it in the group. */
const GROUP = 16;

/** The byte lengths of the layout's parts for `count` tokens and `capacity` slots. */
function layout(count: number, capacity: number) {
  const lengthsAt = HEADER_BYTES;
  const basesAt = lengthsAt + Math.ceil(count / 4) * 4;
  const slotsAt = basesAt + 4 * (Math.ceil(count / GROUP) + 1);
  const dataAt = slotsAt + 4 * capacity;
  return { lengthsAt, basesAt, slotsAt, dataAt };
}

/**
 * Serializes token byte strings (index = rank) into the `o200k.bin` layout: a header (magic,
 * count, hash capacity), each token's byte length (one byte: the longest is 128), the offset of
 * every 16th token's bytes, the open-addressing hash table, then the bytes. A slot is 32 bits: the
 * rank (18 bits; 0xffffffff when empty) and the 14 hash bits above the slot index, so a probe
 * rarely reads a token's bytes and the table can be dense (a power of two ≥ 1.25 × the count: 1 MB
 * for o200k instead of 2 MB at 2.5 ×). The table is built here, at build time, so loading is a
 * file read and four typed-array views.
 */
export function encodeRanks(tokens: Uint8Array[]): Uint8Array {
  const count = tokens.length;
  if (count >= RANK_MASK) throw new Error(`too many tokens for the rank file: ${count}`);
  let capacity = 1;
  while (capacity < count * 1.25) capacity <<= 1;
  const total = tokens.reduce((sum, t) => sum + t.length, 0);
  const { lengthsAt, basesAt, slotsAt, dataAt } = layout(count, capacity);
  const out = new Uint8Array(dataAt + total);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, count, true);
  view.setUint32(8, capacity, true);
  const slots = new Uint32Array(capacity).fill(EMPTY);
  const bits = Math.log2(capacity);
  let offset = 0;
  tokens.forEach((token, rank) => {
    if (token.length > 255) throw new Error(`token ${rank} is longer than 255 bytes`);
    out[lengthsAt + rank] = token.length;
    if (rank % GROUP === 0) view.setUint32(basesAt + 4 * (rank / GROUP), offset, true);
    out.set(token, dataAt + offset);
    offset += token.length;
    const hash = fnv1a(token, 0, token.length);
    let slot = hash & (capacity - 1);
    while (slots[slot] !== EMPTY) slot = (slot + 1) & (capacity - 1);
    slots[slot] = ((((hash >>> bits) & TAG_MASK) << RANK_BITS) | rank) >>> 0;
  });
  view.setUint32(basesAt + 4 * Math.ceil(count / GROUP), offset, true);
  slots.forEach((entry, i) => {
    view.setUint32(slotsAt + 4 * i, entry, true);
  });
  return out;
}

/** Token byte strings by rank from a `.tiktoken` file (base64 token, space, rank per line). */
export function parseTiktoken(text: string): Uint8Array[] {
  const tokens: Uint8Array[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const space = line.indexOf(' ');
    const rank = Number(line.slice(space + 1));
    if (rank !== tokens.length) throw new Error(`o200k ranks are not contiguous at ${rank}`);
    tokens.push(new Uint8Array(Buffer.from(line.slice(0, space), 'base64')));
  }
  return tokens;
}

function fnv1a(bytes: Uint8Array, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ bytes[i]!, 0x01000193);
  return hash >>> 0;
}

/** The lookup table over a serialized vocabulary: views into it, no copy, no hashing. */
export function rankTable(file: Uint8Array): RankTable {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  if (file.byteLength < HEADER_BYTES || view.getUint32(0, true) !== MAGIC) throw new Error('not an o200k rank file');
  // Typed-array views need 4-byte alignment; a file read into a shared pool may not have it.
  const bytes = file.byteOffset % 4 === 0 ? file : file.slice();
  const count = view.getUint32(4, true);
  const capacity = view.getUint32(8, true);
  const mask = capacity - 1;
  const bits = Math.log2(capacity);
  const { lengthsAt, basesAt, slotsAt, dataAt } = layout(count, capacity);
  const lengths = bytes.subarray(lengthsAt, lengthsAt + count);
  const bases = new Uint32Array(bytes.buffer, bytes.byteOffset + basesAt, Math.ceil(count / GROUP) + 1);
  const slots = new Uint32Array(bytes.buffer, bytes.byteOffset + slotsAt, capacity);
  const data = bytes.subarray(dataAt);
  return {
    size: count,
    rank(bytes, start, end) {
      const length = end - start;
      const hash = fnv1a(bytes, start, end);
      const tag = (hash >>> bits) & TAG_MASK;
      let slot = hash & mask;
      for (;;) {
        const entry = slots[slot]!;
        if (entry === EMPTY) return -1;
        const rank = entry & RANK_MASK;
        if (entry >>> RANK_BITS === tag && lengths[rank] === length) {
          let from = bases[(rank / GROUP) | 0]!;
          for (let r = rank - (rank % GROUP); r < rank; r++) from += lengths[r]!;
          let same = true;
          for (let i = 0; i < length; i++) {
            if (data[from + i] !== bytes[start + i]) {
              same = false;
              break;
            }
          }
          if (same) return rank;
        }
        slot = (slot + 1) & mask;
      }
    },
  };
}

/** The serialized vocabulary: shipped with the bundle or the executable, else built from a checkout's data. */
export function loadRankFile(): Uint8Array {
  const shipped = readAsset(RANKS_FILE);
  if (shipped) return shipped;
  // Running from the TypeScript sources (tests, scripts): build it from gpt-tokenizer's data.
  const require = createRequire(import.meta.url);
  const source = join(dirname(require.resolve('gpt-tokenizer/package.json')), 'data', 'o200k_base.tiktoken');
  return encodeRanks(parseTiktoken(readFileSync(source, 'utf8')));
}
