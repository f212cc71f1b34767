/**
 * Fixture helpers for data-driven unit tests: `<|>` marks the cursor in a document string
 * (a bare `|` would clash with Rust closures and `||`), and a seeded generator makes random
 * documents reproducible.
 */

export const CURSOR = '<|>';

export interface CursorFixture {
  text: string;
  offset: number;
  prefix: string;
  suffix: string;
}

/** Splits a fixture at its one `<|>` marker. */
export function atCursor(fixture: string): CursorFixture {
  const offset = fixture.indexOf(CURSOR);
  if (offset === -1 || fixture.indexOf(CURSOR, offset + 1) !== -1) {
    throw new Error(`fixture needs exactly one ${CURSOR}: ${JSON.stringify(fixture)}`);
  }
  const text = fixture.slice(0, offset) + fixture.slice(offset + CURSOR.length);
  return { text, offset, prefix: text.slice(0, offset), suffix: text.slice(offset) };
}

/** mulberry32, shared with the fake model server, so a failing random case can be replayed. */
import { mulberry32 as seededRandom } from '../../fake-openai/rng.ts';

export { seededRandom };

const WORDS = [
  'const',
  'let',
  'return',
  'function',
  'if',
  'else',
  'for',
  'while',
  '=',
  '==',
  '(',
  ')',
  '{',
  '}',
  '[',
  ']',
  ';',
  ',',
  '.',
  'foo',
  'barBaz',
  'snake_case',
  '42',
  '3.14',
  '"str"',
  "'c'",
  '// note',
  '#',
  '=>',
  '->',
  '::',
  '&&',
  '||',
  '😀',
  '🦜',
  '世界',
  '日本語',
  'héllo',
  'Ωmega',
  '𝒳',
  '\t',
  '  ',
  '    ',
  '<|endoftext|>',
  '<cursor>',
  '',
];

/** A random code-like document: words, mixed indentation, blank lines, emoji and CJK. */
export function randomDocument(random: () => number, lines: number): string {
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    const indent = ' '.repeat(Math.floor(random() * 4) * 2);
    const count = Math.floor(random() * 14);
    const words: string[] = [];
    for (let j = 0; j < count; j++) words.push(WORDS[Math.floor(random() * WORDS.length)]!);
    out.push(random() < 0.1 ? '' : indent + words.join(random() < 0.5 ? ' ' : ''));
  }
  return out.join(random() < 0.2 ? '\r\n' : '\n');
}
