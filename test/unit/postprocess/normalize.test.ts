/**
 * The answer normalizer, rule by rule, on answers shaped like real gpt-4.1-mini / gpt-4o-mini
 * ones — complete, and streamed a few characters at a time: while streaming, the code never shows
 * wrapping and only grows into the complete answer's code.
 */
import { describe, expect, it } from 'vitest';
import {
  normalizeAnswer,
  normalizeStreamed,
  streamNormalizer,
} from '../../../server/src/engine/postprocess/normalize.ts';
import { postprocess } from '../../../server/src/engine/postprocess.ts';
import { contextAt, type Options } from './helpers.ts';
import { atCursor } from '../context/fixture.ts';

interface Case {
  name: string;
  fixture: string;
  raw: string;
  /** The normalized code of the complete answer. */
  code: string;
  options?: Options;
}

const TS_LOOP = 'function total(items: Item[]): number {\n  let sum = 0;\n  <|>\n}';
const PY_DEF = 'import textwrap\n\n\ndef indent(text, prefix):\n    lines = text.splitlines(True)\n    <|>';
/** argparse.py's _Section.format_help, retyped up to the middle of `SUPPRESS`. */
const ARGPARSE_HEADING = [
  '            # add the heading if the section was non-empty',
  '            if self.heading is not SUPPRE<|>',
  "                heading = '%*s%s:\\n' % (current_indent, '', self.heading)",
  '            else:',
  "                heading = ''",
  '',
  '    def _format_usage(self, usage, actions, groups, prefix):',
  '        if usage is not SUPPRESS:',
].join('\n');
/** argparse.py's ArgumentParser, on the empty line before its "Exiting methods" banner. */
const ARGPARSE_EXIT = [
  '    def _print_message(self, message, file=None):',
  '        if message:',
  '            if file is None:',
  '                file = _sys.stderr',
  '            file.write(message)',
  '<|>',
  '    # ===============',
  '    def exit(self, status=0, message=None):',
  '        if message:',
  '            self._print_message(message, _sys.stderr)',
  '        _sys.exit(status)',
].join('\n');

const cases: Case[] = [
  // Fences.
  {
    name: 'a fence with a language tag',
    fixture: TS_LOOP,
    raw: '```typescript\nfor (const item of items) sum += item.price;\n```',
    code: 'for (const item of items) sum += item.price;',
  },
  {
    name: 'a fence without a language tag, trailing newline',
    fixture: TS_LOOP,
    raw: '```\nfor (const item of items) sum += item.price;\n```\n',
    code: 'for (const item of items) sum += item.price;',
  },
  {
    name: 'only a closing fence',
    fixture: TS_LOOP,
    raw: 'for (const item of items) sum += item.price;\n```',
    code: 'for (const item of items) sum += item.price;',
  },
  {
    name: 'a tilde fence',
    fixture: PY_DEF,
    raw: '~~~python\nreturn "".join(prefix + line for line in lines)\n~~~',
    code: 'return "".join(prefix + line for line in lines)',
  },
  {
    name: 'an unclosed fence (answer cut short)',
    fixture: PY_DEF,
    raw: '```python\nreturn "".join(prefix + line',
    code: 'return "".join(prefix + line',
  },
  // Prose.
  {
    name: 'a preamble and an epilogue around a fenced block',
    fixture: TS_LOOP,
    raw: "Here's the code to insert at the cursor:\n\n```typescript\nfor (const item of items) sum += item.price;\n```\n\nThis adds every item's price to the sum.",
    code: 'for (const item of items) sum += item.price;',
  },
  {
    name: 'a preamble without a fence',
    fixture: PY_DEF,
    raw: 'Here is the completion:\nreturn "".join(prefix + line for line in lines)',
    code: 'return "".join(prefix + line for line in lines)',
  },
  {
    name: 'an epilogue without a fence',
    fixture: PY_DEF,
    raw: 'return "".join(prefix + line for line in lines)\n\nThis code prefixes every line of the text.',
    code: 'return "".join(prefix + line for line in lines)',
  },
  {
    name: 'an epilogue right after the code, with no blank line, after a preamble',
    fixture: PY_DEF,
    raw: 'Here is the completion:\nreturn "".join(prefix + line for line in lines)\nThis prefixes every line of the text.',
    code: 'return "".join(prefix + line for line in lines)',
  },
  {
    name: 'a fenced block, then an epilogue right after the closing fence',
    fixture: TS_LOOP,
    raw: 'Sure! The completed code is:\n```typescript\nfor (const item of items) sum += item.price;\n```\nThis adds every price.',
    code: 'for (const item of items) sum += item.price;',
  },
  {
    name: 'after a preamble, code lines at the margin that start with a capital stay code',
    fixture: TS_LOOP,
    raw: 'Here is the completion:\nfor (const item of items) sum += item.price;\nConsole.log(sum);',
    code: 'for (const item of items) sum += item.price;\nConsole.log(sum);',
    options: { multiline: true },
  },
  {
    name: 'a preamble that opens with an exclamation',
    fixture: PY_DEF,
    raw: 'Sure! The completed code is:\nreturn "".join(prefix + line for line in lines)\n\nThis completes the statement at the cursor.',
    code: 'return "".join(prefix + line for line in lines)',
  },
  {
    name: 'a preamble, a blank line, then indented code: the code starts on the next line',
    fixture: 'switch (ret) {\n    case Z_STREAM_ERROR:<|>\n}',
    raw: 'Here is the completion:\n\n        fputs("invalid compression level\\n", stderr);\n        break;\n\nThis completes the statement at the cursor.',
    code: '\n        fputs("invalid compression level\\n", stderr);\n        break;',
    options: { languageId: 'c', multiline: true },
  },
  {
    name: 'a preamble glued to the word being typed in a comment',
    fixture: '      // Remove the BPE val<|>\n      ranks.splice(index, 1)',
    raw: 'Sure! The completed code is:\nue of the merged pair\n\nNote: the rest of the file is unchanged.',
    code: 'ue of the merged pair',
    options: { multiline: true },
  },
  {
    name: 'a preamble in a line comment, introducing text that does not carry on the comment',
    fixture: '      // Remove the BPE <|>\n      ranks.splice(index, 1)',
    raw: 'Here is the completion:\nvalue of the merged pair\n\nThis code continues the current block.',
    code: 'value of the merged pair',
    options: { multiline: true },
  },
  {
    name: 'a preamble in a line comment whose completion is a sentence too',
    fixture: 'while chunks:\n    l = len(chunks[-1])\n\n    #<|>\n    if cur_len + l <= width:',
    raw: 'Sure! The completed code is:\n Can at least squeeze this chunk onto the current line.\n\nThis completes the statement at the cursor.',
    code: ' Can at least squeeze this chunk onto the current line.',
    options: { languageId: 'python', multiline: true },
  },
  {
    name: 'a preamble in a block comment',
    fixture: '    } while (ret != Z_STREAM_END);\n\n    /* <|>\n    (void)inflateEnd(&strm);',
    raw: 'Here is the completion:\nclean up and return */\n\nNote: the rest of the file is unchanged.',
    code: 'clean up and return */',
    options: { languageId: 'c', multiline: true },
  },
  {
    name: 'a preamble in a docstring',
    fixture: '    def fill(self, text):\n        """fill(text : string) <|>\n',
    raw: 'Sure! The completed code is:\n-> string\n\nNote: the rest of the file is unchanged.',
    code: '-> string',
    options: { languageId: 'python', multiline: true },
  },
  {
    name: 'a sentence introducing a list in a block comment stays',
    fixture: '/* <|>\nint main(void);',
    raw: 'Steps to follow:\n * read the header\n * inflate the body */',
    code: 'Steps to follow:\n * read the header\n * inflate the body */',
    options: { languageId: 'c', multiline: true },
  },
  {
    name: 'a sentence in a line comment introducing the next comment line stays',
    fixture: 'int main(void) {\n    // <|>\n}',
    raw: 'Read the input in two passes:\n    // the header first, then the body.',
    code: 'Read the input in two passes:\n    // the header first, then the body.',
    options: { languageId: 'c', multiline: true },
  },
  {
    name: 'a sentence that is the completion of a comment stays',
    fixture: 'int main(void) {\n    // <|>\n}',
    raw: 'Read the whole input before writing anything.',
    code: 'Read the whole input before writing anything.',
    options: { languageId: 'c' },
  },
  {
    name: 'only sentences, with no code after them, stay',
    fixture: '"""\n<|>',
    raw: 'Wrap the text to the given width.',
    code: 'Wrap the text to the given width.',
    options: { languageId: 'python', multiline: true },
  },
  // Tags.
  { name: 'an echoed cursor tag', fixture: 'const n = <|>', raw: '<cursor>items.length;', code: 'items.length;' },
  {
    name: 'a closing file tag after the code',
    fixture: TS_LOOP,
    raw: 'for (const item of items) sum += item.price;\n</file>',
    code: 'for (const item of items) sum += item.price;',
    options: { multiline: true },
  },
  // Echoes.
  {
    name: 'an echo of the line before the cursor, indentation included',
    fixture: 'function area(r: number) {\n  const squared = <|>\n}',
    raw: '  const squared = r * r;',
    code: 'r * r;',
  },
  {
    name: 'an echo of the last lines before the cursor',
    fixture: PY_DEF,
    raw: 'def indent(text, prefix):\n    lines = text.splitlines(True)\n    return "".join(prefix + line for line in lines)',
    code: 'return "".join(prefix + line for line in lines)',
    options: { languageId: 'python', multiline: true },
  },
  {
    name: 'an echo of the last two lines, short ones, and the start of the cursor line',
    fixture: 'function f() {\n  if (a) {\n    g();\n  }\n\n  dec<|>',
    raw: '  }\n\n  decode(tokens);',
    code: 'ode(tokens);',
  },
  {
    name: 'an echo of the word being typed',
    fixture: 'const total = items.red<|>',
    raw: 'reduce((sum, x) => sum + x, 0);',
    code: 'uce((sum, x) => sum + x, 0);',
  },
  // Line breaks.
  {
    name: 'CRLF inside a fence',
    fixture: TS_LOOP,
    raw: '```ts\r\nfor (const item of items) {\r\n    sum += item.price;\r\n  }\r\n```',
    code: 'for (const item of items) {\n    sum += item.price;\n  }',
    options: { multiline: true },
  },
  {
    name: 'a leading newline where the cursor is mid-line',
    fixture: 'const label = <|> + suffix;',
    raw: '\n"total: " + sum',
    code: '"total: " + sum',
  },
  {
    name: 'a leading newline after an operator',
    fixture: 'const label = <|>',
    raw: '\n  `${sum} items`;',
    code: '`${sum} items`;',
  },
  {
    // Seen in the bench (textwrap.py): the model's next line was glued onto the banner comment.
    name: 'a leading newline after a comment that ends in a dash stays',
    fixture: '    # -- Private methods ---------------<|>\n    # (possibly useful for subclasses)',
    raw: '\n    def _munge_whitespace(self, text):',
    code: '\n    def _munge_whitespace(self, text):',
    options: { languageId: 'python', lookahead: true },
  },
  {
    name: 'a leading newline after a line comment that ends in a comma stays',
    fixture: 'const limits = {\n  // width, height,<|>\n};',
    raw: '\n  width: 80,',
    code: '\n  width: 80,',
    options: { lookahead: true },
  },
  {
    // Seen by the shape sweep (gpt-tokenizer's BytePairEncodingCore.ts): the look-ahead's next
    // parameter was glued onto the line, `text: string,allowedSpecial: …`, duplicating the next line.
    name: 'a leading newline after a comma stays when the call looked ahead to the next line',
    fixture: '  private findNextSpecialToken(\n    text: string,<|>\n    allowedSpecial: Set<string> | undefined,',
    raw: '\n    allowedSpecial: Set<string> | undefined,\n    startIndex: number,',
    code: '\n    allowedSpecial: Set<string> | undefined,\n    startIndex: number,',
    options: { lookahead: true },
  },
  {
    name: 'a leading newline after an operator stays when the call looked ahead to the next line',
    fixture: 'const total =<|>',
    raw: '\n  items.length +\n  extra;',
    code: '\n  items.length +\n  extra;',
    options: { lookahead: true },
  },
  {
    name: 'a leading newline after an operator outside the string that holds a comment marker',
    fixture: 'label = "# " +<|>',
    raw: '\n    title',
    code: 'title',
    options: { languageId: 'python' },
  },
  {
    name: 'a leading newline after a block opener stays',
    fixture: 'if (ready) {<|>\n}',
    raw: '\n  start();',
    code: '\n  start();',
    options: { multiline: true },
  },
  {
    // Seen by the shape sweep (json/encoder.py): a docstring's sentence, then a closing fence, read
    // as a preamble and an opening fence with nothing in it.
    name: 'a sentence in a docstring, then a closing fence the model never opened',
    fixture:
      '    """\n        but is consistent with most JavaScript based encoders and decoders.<|>\n\n        If sort_keys is true',
    raw: '\n        Otherwise, it will be a ValueError to encode such floats.\n```',
    code: '\n        Otherwise, it will be a ValueError to encode such floats.',
    options: { languageId: 'python', lookahead: true },
  },
  {
    // Seen by the shape sweep (pino's tools.js): a JSDoc line's text is a sentence too, and the
    // preamble before it was kept as the suggestion.
    name: 'a preamble that introduces a sentence, in a doc comment',
    fixture: ' * file descriptor.\n *\n * @param {string} destination<|>\n *\n * @returns {Number}',
    raw: 'Sure! The completed code is:\n The file descriptor string to attempt to convert.\n\nNote: the rest of the file is unchanged.',
    code: ' The file descriptor string to attempt to convert.',
    options: { languageId: 'javascript' },
  },
  {
    // Seen by the shape sweep (textwrap.py): a docstring's sentence ending in ':' after a blank
    // line was taken for an epilogue while the next line streamed, and the stream showed the echo.
    name: 'an echo of docstring lines, with a sentence that introduces the lines after it',
    fixture:
      'class TextWrapper:\n    """\n    you\'ll probably have to override _wrap_chunks().\n\n    Several instance attributes control variou<|>\n        is false)',
    raw: "    you'll probably have to override _wrap_chunks().\n\n    Several instance attributes control various aspects of wrapping:\n      width (default: 70)\n        the maximum width of wrapped lines",
    code: 's aspects of wrapping:\n      width (default: 70)\n        the maximum width of wrapped lines',
    options: { languageId: 'python', lookahead: true },
  },
  {
    // Seen by the shape sweep (zod's coerce.ts): the function was glued onto the `{}` before it.
    name: 'a preamble, then a statement at the margin after a line that ended one',
    fixture:
      'export interface ZodCoercedBigInt<T = unknown> extends schemas._ZodBigInt<T> {}<|>\n\nexport const date = 1;',
    raw: 'Here is the completion:\n\nexport function bigint<T = unknown>(params?: string): ZodCoercedBigInt<T> {\n  return core._coercedBigint(params);\n}\n\nThis code continues the current block.',
    code: '\nexport function bigint<T = unknown>(params?: string): ZodCoercedBigInt<T> {\n  return core._coercedBigint(params);\n}',
    options: { lookahead: true },
  },
  // Code the rules must leave alone.
  {
    name: 'clean code',
    fixture: TS_LOOP,
    raw: 'for (const item of items) sum += item.price;',
    code: 'for (const item of items) sum += item.price;',
  },
  // A preamble, a blank line, then the next whole line: at the end of a line the blank line is the
  // code's own line break (the benchmark's prose answers leaked the next line onto the cursor's).
  {
    name: 'a preamble, then the next line of a block at the end of a line',
    fixture: 'function take(map: Map<string, Item>) {\n  const item = this._head;<|>\n}',
    raw: "Here's the code to insert at the cursor:\n\n  this._map.delete(item.key);\n  this.removeItem(item);\n\nThis code continues the current block.",
    code: '\n  this._map.delete(item.key);\n  this.removeItem(item);',
  },
  {
    name: 'a preamble, then the next line of a C case at the end of a line',
    fixture: 'switch (ret) {\n    case Z_STREAM_ERROR:<|>\n}',
    raw: 'Here is the completion:\n\n        fputs("invalid compression level\\n", stderr);\n        break;',
    code: '\n        fputs("invalid compression level\\n", stderr);\n        break;',
    options: { languageId: 'c' },
  },
  {
    // Seen by the shape sweep (textwrap.py): the next line was glued onto the comment before it.
    name: 'a preamble, then the next line of a block at the end of a line comment',
    fixture: '            cur_len = 0\n\n            # Figure out which static string will prefix this line.<|>\n',
    raw: "Here's the code to insert at the cursor:\n\n            if lines:\n                indent = self.subsequent_indent\n\nNote: the rest of the file is unchanged.",
    code: '\n            if lines:\n                indent = self.subsequent_indent',
    options: { languageId: 'python', lookahead: true },
  },
  {
    // Seen by the shape sweep (zod's coerce.ts): a line at the margin that is the document's next line.
    name: 'a preamble, then the line that follows in the document, at the margin',
    fixture:
      'export interface ZodCoercedNumber<T = unknown> extends schemas._ZodNumber<T> {}<|>\nexport function number<T = unknown>(params?: string): ZodCoercedNumber<T> {',
    raw: 'Sure! The completed code is:\n\nexport function number<T = unknown>(params?: string): ZodCoercedNumber<T> {\n  return core._coercedNumber(params);\n}\n\nNote: the rest of the file is unchanged.',
    code: '\nexport function number<T = unknown>(params?: string): ZodCoercedNumber<T> {\n  return core._coercedNumber(params);\n}',
    options: { lookahead: true },
  },
  {
    // Seen by the shape sweep (seed 6, argparse.py:238): the rest of a Python `if` line, glued to
    // the word before the cursor, read as a sentence introducing the code; single-line mode then
    // showed the answer's next line, a copy of the document's.
    name: 'a line that finishes the word before the cursor into one of the document’s, though it reads as a sentence',
    fixture: ARGPARSE_HEADING,
    raw: "SS and self.heading is not None:\n                heading = '%*s%s:\\n' % (current_indent, '', self.heading)\n            else:",
    code: "SS and self.heading is not None:\n                heading = '%*s%s:\\n' % (current_indent, '', self.heading)\n            else:",
    options: { languageId: 'python' },
  },
  {
    name: 'a preamble glued to the word before the cursor, then that line',
    fixture: ARGPARSE_HEADING,
    raw: 'Sure! The completed code is:\nSS and self.heading is not None:',
    code: 'SS and self.heading is not None:',
    options: { languageId: 'python' },
  },
  {
    // Seen by the shape sweep (seed 7, argparse.py:2613): on the empty line before the banner that
    // closes a section, the banner that opens it lost the blank line above it, and the suggestion
    // began with a copy of the document's next line.
    name: 'a preamble, a blank line, then the document’s next line, on an empty line below text',
    fixture: ARGPARSE_EXIT,
    raw: 'Sure! The completed code is:\n\n    # ===============\n    # Exiting methods\n    # ===============\n    def exit(self, status=0, message=None):\n\nNote: the rest of the file is unchanged.',
    code: '\n    # ===============\n    # Exiting methods\n    # ===============\n    def exit(self, status=0, message=None):',
    options: { languageId: 'python', multiline: true },
  },
  {
    // Seen replaying BytePairEncodingCore.ts under Helix's manual trigger with prose answers: on the
    // empty line below a method's `}` the next method lost the blank line above it, so the typist
    // typed that line break and typed-ahead could no longer match the answer.
    name: 'a preamble, a blank line, then a sibling of the block the line above closes, where the document spaces them',
    fixture: 'class Ranks {\n  first() {\n    return 1\n  }\n\n  second() {\n    return 2\n  }\n<|>\n}',
    raw: 'Here is the completion:\n\n  third() {\n    return 3\n  }',
    code: '\n  third() {\n    return 3\n  }',
    options: { multiline: true },
  },
  {
    name: 'a preamble, a blank line, then a sibling of the block the line above closes, where the document does not space them',
    fixture: 'class Ranks {\n  first() {\n    return 1\n  }\n  second() {\n    return 2\n  }\n<|>\n}',
    raw: 'Here is the completion:\n\n  third() {\n    return 3\n  }',
    code: '  third() {\n    return 3\n  }',
    options: { multiline: true },
  },
  {
    name: 'a preamble, a blank line, then a comment after a loop the line above closes (zpipe.c)',
    fixture:
      'int f(void)\n{\n    do {\n        step();\n    } while (more);\n\n    /* flush */\n    do {\n        ret = inflate(&strm, Z_NO_FLUSH);\n    } while (strm.avail_out == 0);\n<|>\n}',
    raw: "Sure! The completed code is:\n\n    /* done when inflate() says it's done */\n    } while (ret != Z_STREAM_END);",
    code: "\n    /* done when inflate() says it's done */\n    } while (ret != Z_STREAM_END);",
    options: { languageId: 'c', multiline: true },
  },
  {
    name: 'a preamble, a blank line, then the inner block’s next statement: no blank line of its own',
    fixture: 'function f() {\n  if (a) {\n    b()\n  }\n  c()\n  if (d) {\n    e()\n  }\n<|>\n}',
    raw: 'Here is the completion:\n\n  return g()',
    code: '  return g()',
    options: { multiline: true },
  },
  {
    name: 'a preamble, a blank line, then text that continues the line',
    fixture: 'const total = values<|>',
    raw: 'Here is the completion:\n\n.reduce((a, b) => a + b, 0);',
    code: '.reduce((a, b) => a + b, 0);',
  },
  {
    name: 'a preamble, a blank line, then an indented line on a line with nothing typed yet',
    fixture: PY_DEF,
    raw: 'Here is the completion:\n\n    return "".join(prefix + line for line in lines)',
    code: 'return "".join(prefix + line for line in lines)',
    options: { languageId: 'python' },
  },
  {
    name: 'a capitalized identifier',
    fixture: 'x = <|>',
    raw: 'None',
    code: 'None',
    options: { languageId: 'python' },
  },
  {
    name: 'inline triple backticks in a string',
    fixture: 'const md = <|>',
    raw: '"```" + body;',
    code: '"```" + body;',
  },
  {
    name: 'fences in markdown are content',
    fixture: 'Example:\n<|>',
    raw: '```js\nconsole.log(1)\n```',
    code: '```js\nconsole.log(1)\n```',
    options: { languageId: 'markdown', multiline: true },
  },
];

describe('normalizeAnswer (complete answers)', () => {
  it.each(cases)('$name', ({ fixture, raw, code, options }) => {
    expect(normalizeAnswer(raw, contextAt(fixture, options), true)).toBe(code);
  });
});

describe('normalizeAnswer (streamed answers)', () => {
  const ARTIFACT = /```|~~~|<\/?(cursor|file|mode)\b|Here is|Here's|Sure!|This code|This adds|Note:/;
  it.each(cases.filter((c) => c.options?.languageId !== 'markdown'))(
    '$name: every partial code is wrapping-free and a prefix of the final code',
    ({ fixture, raw, code, options }) => {
      const context = contextAt(fixture, options);
      const normalize = streamNormalizer(context);
      for (let end = 1; end < raw.length; end += 1) {
        const partial = normalize(raw.slice(0, end), false).code;
        if (!ARTIFACT.test(code)) expect(partial).not.toMatch(ARTIFACT);
        // The code's last line may still be growing; its earlier characters never change.
        expect(code.startsWith(partial) || partial.startsWith(code)).toBe(true);
      }
      expect(normalize(raw, true).code).toBe(code);
    },
  );

  it('holds back a first line that may still become a sentence, then releases the code', () => {
    const context = contextAt(PY_DEF, { languageId: 'python' });
    expect(normalizeAnswer('Here is the', context, false)).toBe('');
    expect(normalizeAnswer('Here is the completion:\n', context, false)).toBe('');
    expect(normalizeAnswer('Here is the completion:\nreturn "', context, false)).toBe('return "');
  });

  it('holds back a fence being written', () => {
    const context = contextAt(TS_LOOP, { multiline: true });
    expect(normalizeAnswer('``', context, false)).toBe('');
    expect(normalizeAnswer('```typ', context, false)).toBe('');
    expect(normalizeAnswer('```typescript\nfor (', context, false)).toBe('for (');
    expect(normalizeAnswer('```typescript\nfor (const x of xs) f(x);\n``', context, false)).toBe(
      'for (const x of xs) f(x);\n',
    );
  });

  it('holds back an echo until it goes past the cursor', () => {
    const context = contextAt('function area(r: number) {\n  const squared = <|>\n}');
    expect(normalizeAnswer('  const squ', context, false)).toBe('');
    expect(normalizeAnswer('  const squared = ', context, false)).toBe('');
    expect(normalizeAnswer('  const squared = r *', context, false)).toBe('r *');
  });

  it('holds back a repeat of the line’s tail until it departs from it, so the repeat never shows and then vanishes', () => {
    const context = contextAt('const total = sum(prices, <|>');
    for (const partial of ['p', 'pri', 'prices', 'prices,', 'prices, ']) {
      expect(normalizeAnswer(partial, context, false)).toBe('');
    }
    expect(normalizeAnswer('prices, rate', context, false)).toBe('rate');
    expect(normalizeAnswer('prices, rate)', context, true)).toBe('rate)');
    // A ruler in a comment (dataclasses.py): the answer repeats the last cell, then the next line.
    const ruler = contextAt('# +=======+=======+<|>', { languageId: 'python', lookahead: true });
    expect(normalizeAnswer('====', ruler, false)).toBe('');
    expect(normalizeAnswer('=======+\n# |', ruler, false)).toBe('\n# |');
    // The same after an echo of the lines before it.
    const table = contextAt('#    v    |\n# +=======+=======+<|>', { languageId: 'python', lookahead: true });
    expect(normalizeAnswer('#    v    |\n# +=======+=======+===', table, false)).toBe('');
    expect(normalizeAnswer('#    v    |\n# +=======+=======+=======+\n# |', table, false)).toBe('\n# |');
  });

  it('a fenced answer has its first line of code as soon as that line is complete (the early stop can count it)', () => {
    const context = contextAt(TS_LOOP);
    expect(normalizeAnswer('```typescript\n', context, false)).toBe('');
    expect(normalizeAnswer('```typescript\nfor (const item of items) sum += item.price;\n', context, false)).toBe(
      'for (const item of items) sum += item.price;\n',
    );
  });
});

describe('postprocess runs the normalizer, then fits the code to the cursor', () => {
  it('argparse.py:238 in single-line mode: the rest of the `if` line, not the copy of the next line that follows it', () => {
    const heading =
      "SS and self.heading is not None:\n                heading = '%*s%s:\\n' % (current_indent, '', self.heading)\n            else:";
    expect(
      postprocess({
        ...atCursor(ARGPARSE_HEADING),
        raw: heading,
        languageId: 'python',
        multiline: false,
        maxLines: 12,
      }),
    ).toBe('SS and self.heading is not None:');
  });

  it('argparse.py:2613 in multi-line mode: the blank line and the banner that opens a section, not a copy of the one that closes it', () => {
    const exit =
      'Sure! The completed code is:\n\n    # ===============\n    # Exiting methods\n    # ===============\n    def exit(self, status=0, message=None):\n\nNote: the rest of the file is unchanged.';
    expect(
      postprocess({ ...atCursor(ARGPARSE_EXIT), raw: exit, languageId: 'python', multiline: true, maxLines: 12 }),
    ).toBe('\n    # ===============\n    # Exiting methods');
  });

  it('a fenced run-on answer keeps only the current line in single-line mode, with CRLF when the document has it', () => {
    const { prefix, suffix } = atCursor('let sum = 0;\r\nfor (const item of items) <|>\r\nreturn sum;');
    const raw = '```typescript\r\nsum += item.price;\r\nreturn sum;\r\n```';
    expect(postprocess({ raw, prefix, suffix, languageId: 'typescript', multiline: false, maxLines: 12 })).toBe(
      'sum += item.price;',
    );
  });
});

describe('normalizeStreamed: the code is over before the stream ends', () => {
  const LOOP = 'for (const item of items) {\n    sum += item.price;\n  }';
  /** Real-looking chatty answers (gpt-4.1-mini shapes) whose code ends before the text does. */
  const chatty: { name: string; raw: string; options?: Options }[] = [
    {
      name: 'a fenced block followed by an explanation',
      raw: `\`\`\`typescript\n${LOOP}\n\`\`\`\n\nThis loop adds each item's price to the running sum.`,
      options: { multiline: true },
    },
    {
      name: 'a preamble, a fenced block and an epilogue',
      raw: `Here is the completion:\n\n\`\`\`typescript\n${LOOP}\n\`\`\`\n\nThis code continues the current block.`,
      options: { multiline: true },
    },
    {
      name: 'unfenced code between a preamble and an epilogue of two sentences',
      raw: `Sure! The completed code is:\n${LOOP}\n\nThis sums the prices of the items. Note that the total is returned below.`,
      options: { multiline: true },
    },
    {
      name: 'code followed by a stray closing fence and prose',
      raw: `${LOOP}\n\`\`\`\nThat finishes the loop.`,
      options: { multiline: true },
    },
  ];

  it.each(chatty)(
    '$name: ended once the code is over, and the raw text up to there gives the same code',
    ({ raw, options }) => {
      const context = contextAt(TS_LOOP, options);
      const whole = normalizeAnswer(raw, context, true);
      const normalize = streamNormalizer(context);
      let stoppedAt: number | undefined;
      for (let end = 1; end <= raw.length; end++) {
        const { code, ended } = normalize(raw.slice(0, end), false);
        if (!ended) continue;
        stoppedAt = end;
        // Everything the complete answer has as code has streamed, and nothing more.
        expect(code.trimEnd()).toBe(whole.trimEnd());
        break;
      }
      expect(stoppedAt).toBeDefined();
      expect(stoppedAt!).toBeLessThan(raw.length);
      // The call keeps the raw text up to its last complete line (answers.ts): the same code, final.
      const partial = raw.slice(0, stoppedAt);
      const kept = partial.slice(0, partial.lastIndexOf('\n') + 1);
      expect(normalizeAnswer(kept, context, true).trimEnd()).toBe(whole.trimEnd());
    },
  );

  it('a clean answer never ends early, nor one whose every line is code', () => {
    const context = contextAt(TS_LOOP, { multiline: true });
    const answers = [
      `${LOOP}\n\nreturn sum;`,
      `${LOOP}\n\nTotal = sum;`,
      `${LOOP}\n\nSELECT name FROM items WHERE price > 0;`,
      `${LOOP}\n\nConsole output follows; done`,
    ];
    for (const raw of answers) {
      const normalize = streamNormalizer(context);
      for (let end = 1; end <= raw.length; end++) expect(normalize(raw.slice(0, end), false).ended).toBe(false);
    }
  });

  it('an epilogue is recognised only once it is clearly a sentence (three words), never on a final answer', () => {
    const context = contextAt(TS_LOOP, { multiline: true });
    expect(normalizeStreamed(`${LOOP}\n\nThis`, context, false).ended).toBe(false);
    expect(normalizeStreamed(`${LOOP}\n\nThis code`, context, false).ended).toBe(false);
    expect(normalizeStreamed(`${LOOP}\n\nThis code continues `, context, false)).toEqual({ code: LOOP, ended: true });
    expect(normalizeStreamed(`${LOOP}\n\nThis code continues the block.`, context, true).ended).toBe(false);
  });

  it('a sentence in a comment or a docstring is content, not an epilogue', () => {
    const context = contextAt('/**\n * Sums the prices.\n * <|>\n */', { multiline: true });
    const raw = 'Returns zero for an empty list.\n *\n * This keeps the loop simple for callers.';
    const normalize = streamNormalizer(context);
    for (let end = 1; end <= raw.length; end++) expect(normalize(raw.slice(0, end), false).ended).toBe(false);
  });
});

describe('normalizeStreamed: a multi-line answer that runs on into the text after the cursor', () => {
  it('is over once it writes the two lines after the cursor; a one-line request leaves that to the early stop', () => {
    const fixture = 'function total(items) {\n  let sum = 0;\n  <|>\n  return sum;\n}';
    const raw = 'for (const item of items) {\n    sum += item.price;\n  }\n  return sum;\n}\n';
    const multi = streamNormalizer(contextAt(fixture, { multiline: true }));
    const endedAt = [...raw].findIndex((_, i) => multi(raw.slice(0, i + 1), false).ended) + 1;
    expect(raw.slice(0, endedAt)).toBe(raw);
    const single = streamNormalizer(contextAt(fixture));
    for (let end = 1; end <= raw.length; end++) expect(single(raw.slice(0, end), false).ended).toBe(false);
  });

  it('one line the document also has next is not a run-on: the complete answer keeps it and goes on', () => {
    // Seen by the shape sweep (seeds 2, 3 and 5): functionCalling.ts, a new interface whose first
    // member is also the next interface's; gzappend.c, the `if` branch of a loop the `else` branch
    // mirrors after the cursor. The stream stopped at the shared line and the suggestion lost the rest.
    const cases: [string, string, Options][] = [
      [
        "export type HarmonyTerminator = '<|end|>' | '<|return|>' | '<|call|>'\n\nexport interface ChatMessageFunctionCall {<|>\n  name?: string\n  content: string\n  function_call?: ChatMessageFunctionCall\n}",
        '\n  name?: string\n  arguments?: string\n}',
        { multiline: true },
      ],
      [
        'local unsigned gcd(unsigned a, unsigned b)\n{\n    unsigned c;\n\n    while (a && b)\n        if (a > b) {<|>\n                c <<= 1;\n            b -= c;\n        }\n    return a + b;\n}',
        '\n            c = b;\n            while (a - c >= c)\n                c <<= 1;\n            a -= c;',
        { languageId: 'c', multiline: true },
      ],
    ];
    for (const [fixture, raw, options] of cases) {
      const context = contextAt(fixture, options);
      const normalize = streamNormalizer(context);
      for (let end = 1; end <= raw.length; end++) expect(normalize(raw.slice(0, end), false).ended).toBe(false);
      expect(
        postprocess({ ...atCursor(fixture), raw, languageId: context.languageId, multiline: true, maxLines: 12 }),
      ).toBe(raw);
    }
  });
});

describe('normalizeStreamed: a paragraph that is content never ends the code early', () => {
  it('an indented sentence after a blank line (a docstring paragraph) keeps the stream going', () => {
    const context = contextAt('def area(r):\n    <|>', { languageId: 'python', multiline: true });
    const raw = '"""Area of a circle.\n\n    Returns pi times the radius squared.\n    """\n    return math.pi * r * r';
    const normalize = streamNormalizer(context);
    for (let end = 1; end <= raw.length; end++) expect(normalize(raw.slice(0, end), false).ended).toBe(false);
    expect(normalizeAnswer(raw, context, true)).toBe(raw);
  });

  it('amid the document’s own prose (a module docstring, POD), a paragraph at the margin keeps the stream going', () => {
    // Seen by the shape sweep (heapq.py, Exporter.pm): the stream stopped at 'Heaps are arrays ',
    // and the kept text lost the paragraph the complete answer shows.
    const heapq = contextAt(
      '__about__ = """Heap queues\n\n[explanation by François Pinard]\n<|>\nnon-existing elements are considered to be infinite.  The interesting',
      { languageId: 'python', multiline: true },
    );
    const pod = contextAt(
      '    sub import\n    {\n\t$A::b = 1;\n\tA->export_to_level(1, @_);\n    }\n<|>\nthe program or module that used package A. ',
      { languageId: 'perl', multiline: true },
    );
    const answers: [ReturnType<typeof contextAt>, string, string][] = [
      [
        heapq,
        '```python\n\nHeaps are arrays for which a[k] <= a[2*k+1] and a[k] <= a[2*k+2] for\nall k, counting elements from 0.\n```',
        '\nHeaps are arrays for which a[k] <= a[2*k+1] and a[k] <= a[2*k+2] for\nall k, counting elements from 0.',
      ],
      [
        pod,
        "\tA->export_to_level(1, @_);\n    }\n\nThis will export the symbols one level 'above' the current package - ie: to ",
        "\nThis will export the symbols one level 'above' the current package - ie: to ",
      ],
    ];
    for (const [context, raw, code] of answers) {
      const normalize = streamNormalizer(context);
      const codeEnds = raw.includes('```') ? raw.lastIndexOf('\n```') : raw.length;
      for (let end = 1; end <= codeEnds; end++) expect(normalize(raw.slice(0, end), false).ended).toBe(false);
      expect(normalizeAnswer(raw, context, true)).toBe(code);
    }
  });

  it('a paragraph after a blank line with no code before it, or only an echo, keeps the stream going', () => {
    // Seen by the shape sweep (Exporter.pm, seeds 2 and 3): under `=head2 What Not to Export` the
    // answer's paragraph read as an epilogue under way after a fence's blank line, or after the
    // echoed heading, and the stream was stopped with nothing, or the heading, as its code.
    const pod =
      '   use Exporter::Easy (\n       OK => [ qw(munge frobnicate) ],\n   );\n   # @ISA setup is automatic\n   # all assignments happen at compile time\n\n=head2 What Not to Export\n';
    const after = "\nto not export:\n\n=over 4\n\n=item *\n\nmethod names (because you don't need to";
    const paragraph = 'You have been warned already in L</Selecting What to Export>';
    const answers: [string, Options, string, string][] = [
      [
        `${pod}<|>${after}`,
        { multiline: true },
        `\`\`\`perl\n\n${paragraph}\nto not export:\n\`\`\``,
        `\n${paragraph}\nto not export:`,
      ],
      [
        `${pod}<|>${after}`,
        { multiline: true },
        `\n=head2 What Not to Export\n\n${paragraph}\nto not export:`,
        `\n${paragraph}\nto not export:`,
      ],
      [
        `${pod}\nYou hav<|>${after}`,
        { lookahead: true },
        `=head2 What Not to Export\n\n${paragraph}`,
        'e been warned already in L</Selecting What to Export>',
      ],
      [
        `${pod}\n${paragraph}<|>${after}`,
        { lookahead: true },
        `=head2 What Not to Export\n\n${paragraph}\nto not export:`,
        '\nto not export:',
      ],
    ];
    for (const [fixture, options, raw, code] of answers) {
      const context = contextAt(fixture, { languageId: 'perl', ...options });
      const normalize = streamNormalizer(context);
      const codeEnds = raw.includes('```') ? raw.lastIndexOf('\n```') : raw.length;
      for (let end = 1; end <= codeEnds; end++) {
        const partial = normalize(raw.slice(0, end), false);
        expect(partial.ended).toBe(false);
        expect(code.startsWith(partial.code.trimEnd())).toBe(true);
      }
      expect(normalizeAnswer(raw, context, true)).toBe(code);
    }
  });

  /** File/Basename.pm's POD on `dirname`, the cursor in its paragraph (shape sweep, seed 7), and the paragraph's rest. */
  const basenamePod = () => ({
    context: contextAt(
      '    # On VMS and AmigaOS\n    my $dirs = dirname($path);\n\nWhen using Unix or MSDOS syntax this emulates the C<dirname(1)> shell function\n<|>\nlevel up acting like C<chop()> for file paths.\n\nAlso unlike C<fileparse()>, C<dirname()> does not include a trailing slash on\nits returned path.',
      { languageId: 'perl', multiline: true },
    ),
    code: 'which is subtly different from how C<fileparse()> works.  It returns all but\nthe last level of a file path even if the last level is clearly a directory.\nIn effect, it is not returning the directory portion but simply the path one\nlevel up acting like C<chop()> for file paths.',
  });

  it('POD with formatting codes (`C<dirname(1)>`) is the document’s prose: a sentence after a preamble keeps the stream going', () => {
    // Seen by the shape sweep (File/Basename.pm, seed 7): the paragraphs around the cursor mention
    // code in `C<…>`, so they did not count as prose, and the paragraph's third line
    // (`In effect, it is …`) read as an epilogue under way after the preamble's code.
    const { context, code } = basenamePod();
    const raw = `Here is the completion:\n${code}\n\nNote: the rest of the file is unchanged.`;
    const normalize = streamNormalizer(context);
    for (let end = 1; end <= raw.length; end++) expect(normalize(raw.slice(0, end), false).ended).toBe(false);
    expect(normalizeAnswer(raw, context, true)).toBe(code);
  });

  it('inside a fenced block not closed yet, a sentence at the margin keeps the stream going', () => {
    // Seen by the shape sweep (File/Basename.pm, seed 7): after a preamble and an opening fence, the
    // third line of the POD paragraph (`In effect, it is …`) read as an epilogue under way, and the
    // stream was stopped without it; the complete answer closes the fence after it.
    const { context, code } = basenamePod();
    const raw = `Here is the completion:\n\n\`\`\`perl\n${code}\n\`\`\`\n\nNote: the rest of the file is unchanged.`;
    const normalize = streamNormalizer(context);
    const codeEnds = raw.lastIndexOf('\n```');
    for (let end = 1; end <= codeEnds; end++) expect(normalize(raw.slice(0, end), false).ended).toBe(false);
    expect(normalize(raw, false).ended).toBe(true);
    expect(normalizeAnswer(raw, context, true)).toBe(code);
  });

  it('in a plain-text or markdown file a second paragraph keeps the stream going', () => {
    for (const languageId of ['plaintext', 'markdown']) {
      const context = contextAt('Release notes\n\n<|>', { languageId, multiline: true });
      const raw = '- answers are cached for 15 minutes\n\nThis release also adds a dashboard for the team.';
      const normalize = streamNormalizer(context);
      for (let end = 1; end <= raw.length; end++) expect(normalize(raw.slice(0, end), false).ended).toBe(false);
    }
  });
});
