/**
 * Loads the secret-format corpus in test/fixtures/secrets/: expands the positive templates with a
 * seeded generator (so no key-shaped string is committed) and reads the negative files.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures/secrets');

export interface Sample {
  /** Kind the detector should report, or 'any'. */
  kind: string;
  text: string;
  /** The secrets inside `text`, as spans. */
  secrets: { start: number; end: number }[];
}

/** mulberry32, shared with the fake model server, so a failing random case can be replayed. */
import { mulberry32 as seededRandom } from '../../fake-openai/rng.ts';

export { seededRandom };

const ALPHABETS: Record<string, string> = {
  b62: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789',
  b64: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/',
  b64url: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_',
  hex: '0123456789abcdef',
  upper: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
  lower: 'abcdefghijklmnopqrstuvwxyz',
  letters: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
  digits: '0123456789',
};

function pick(random: () => number, alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(random() * alphabet.length)];
  return out;
}

function base64url(text: string): string {
  return Buffer.from(text).toString('base64url');
}

function generate(random: () => number, name: string, arg: number): string {
  const alphabet = ALPHABETS[name];
  if (alphabet !== undefined) return pick(random, alphabet, arg);
  if (name === 'jwt') {
    const payload = {
      sub: pick(random, ALPHABETS.digits as string, 10),
      name: 'Test User',
      iat: 1_700_000_000 + Math.floor(random() * 1e6),
    };
    return `${base64url('{"alg":"HS256","typ":"JWT"}')}.${base64url(JSON.stringify(payload))}.${pick(random, ALPHABETS.b64url as string, 43)}`;
  }
  if (name === 'pemlines' || name === 'pemlines_esc') {
    const lines = Array.from({ length: arg }, (_, i) => pick(random, ALPHABETS.b64 as string, i === arg - 1 ? 24 : 64));
    return lines.join(name === 'pemlines' ? '\n' : '\\n');
  }
  throw new Error(`unknown generator ${name}`);
}

/** Expands every template of positives.txt once for the given seed. */
export function positiveSamples(seed: number): Sample[] {
  const random = seededRandom(seed);
  const source = readFileSync(path.join(FIXTURES, 'positives.txt'), 'utf8');
  const blocks = source.split(/^### /m).filter((block) => block.trim() !== '');
  return blocks.map((block) => {
    const newline = block.indexOf('\n');
    const kind = block.slice(0, newline).trim();
    const template = block.slice(newline + 1).replace(/\n$/, '');
    const expanded = template.replace(/\{\{(\w+)(?::(\d+))?\}\}/g, (_, name: string, arg?: string) =>
      generate(random, name, Number(arg ?? 0)),
    );
    const secrets: { start: number; end: number }[] = [];
    let text = '';
    for (const piece of expanded.split(/(⟦|⟧)/)) {
      if (piece === '⟦') secrets.push({ start: text.length, end: -1 });
      else if (piece === '⟧') (secrets.at(-1) as { end: number }).end = text.length;
      else text += piece;
    }
    return { kind, text, secrets };
  });
}

/** The negative corpus: file name and content. */
export function negativeFiles(): { name: string; text: string }[] {
  const dir = path.join(FIXTURES, 'negatives');
  return readdirSync(dir)
    .sort()
    .map((name) => ({ name, text: readFileSync(path.join(dir, name), 'utf8') }));
}
