/**
 * Every answer shape the fake model gives (test/fake-openai/styles.ts: fenced, echoing, running on,
 * wrapped in prose, tags, CRLF, the seeded mix) yields the same suggestion as the clean answer, at
 * cursors where each shape once lost a suggestion or leaked an artifact; streamed, its code never
 * shows wrapping and only grows into the final code.
 */
import { describe, expect, it } from 'vitest';
import { postprocess } from '../../../server/src/engine/postprocess.ts';
import { normalizeAnswer } from '../../../server/src/engine/postprocess/normalize.ts';
import { ANSWER_STYLES, artifactsOf, styleAnswer } from '../../fake-openai/styles.ts';
import { atCursor } from '../context/fixture.ts';
import { contextAt } from './helpers.ts';

interface Case {
  name: string;
  fixture: string;
  /** What the clean model answers: the text that really follows. */
  code: string;
  languageId: string;
  multiline: boolean;
}

const ZPIPE =
  'switch (ret) {\n    case Z_NEED_DICT:\n        fputs("dictionary error\\n", stderr);\n        break;\n    case Z_STREAM_ERROR:<|>\n    }';

const cases: Case[] = [
  {
    name: 'the next line, at the end of a C case label',
    fixture: ZPIPE,
    code: '\n        fputs("invalid compression level\\n", stderr);\n        break;',
    languageId: 'c',
    multiline: true,
  },
  {
    name: 'the next statements after a finished one',
    fixture: 'if (tokenBytes) {\n      if (intBuffer.length === 0) {\n        decoded += tokenBytes<|>\n      }\n    }',
    code: '\n        intBuffer = emptyBuffer\n        count++',
    languageId: 'typescript',
    multiline: true,
  },
  {
    name: 'the rest of a word in a line comment',
    fixture: '      starts.splice(index + 1, 1)\n      // Remove the BPE val<|>\n      ranks.splice(index, 1)',
    code: 'ue of the merged pair',
    languageId: 'typescript',
    multiline: false,
  },
  {
    name: 'the next words of a line comment',
    fixture: '      starts.splice(index + 1, 1)\n      // Remove the BPE <|>\n      ranks.splice(index, 1)',
    code: 'value of the merged pair',
    languageId: 'typescript',
    multiline: true,
  },
  {
    name: 'a statement after a closed block and a blank line',
    fixture: 'function f(match) {\n  if (token) {\n    yield token\n  }\n\n  const tok<|>\n}',
    code: 'ens = this.bytePairEncode(match)',
    languageId: 'typescript',
    multiline: false,
  },
  {
    name: 'a method after a closed one',
    fixture: 'class Codec {\n  encode() {\n    return 1\n  }\n\n  dec<|>\n}',
    code: 'ode(tokens: number[]): string {\n    let decoded = ""',
    languageId: 'typescript',
    multiline: true,
  },
  {
    name: 'a Python line in a loop',
    fixture:
      '            if chunks and len(chunks[-1]) > width:\n                self._handle_long_word(chunks, cur_line, cur_len, width)\n                cur_len = <|>\n\n            return lines',
    code: 'sum(map(len, cur_line))',
    languageId: 'python',
    multiline: false,
  },
];

describe('every answer style gives the clean answer’s suggestion', () => {
  const styles = ANSWER_STYLES.filter((style) => style !== 'clean');
  for (const c of cases) {
    const { prefix, suffix } = atCursor(c.fixture);
    const input = { prefix, suffix, languageId: c.languageId, multiline: c.multiline, maxLines: 12 };
    const clean = postprocess({ ...input, raw: c.code });
    it.each(styles)(`${c.name}: %s`, (style) => {
      expect(clean).not.toBe('');
      expect(artifactsOf(clean, { prefix, suffix }, undefined)).toEqual([]);
      for (const seed of [1, 2, 3, 4, 5, 6]) {
        const raw = styleAnswer(
          style,
          c.code,
          { prefix, suffix, languageId: c.languageId, multiline: c.multiline },
          seed,
        );
        expect(postprocess({ ...input, raw }), `seed ${seed}: ${JSON.stringify(raw)}`).toBe(clean);
        const context = contextAt(c.fixture, { languageId: c.languageId, multiline: c.multiline });
        const code = normalizeAnswer(raw, context, true);
        for (let end = 1; end < raw.length; end++) {
          const partial = normalizeAnswer(raw.slice(0, end), context, false);
          expect(code.startsWith(partial.trimEnd()), `seed ${seed}, ${JSON.stringify(raw.slice(0, end))}`).toBe(true);
        }
      }
    });
  }
});
