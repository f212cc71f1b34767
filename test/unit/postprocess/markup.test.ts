/**
 * stripFences and stripPromptTags: wrapping the model added around code is removed, content the
 * document itself uses is kept.
 */
import { describe, expect, it } from 'vitest';
import { stripFences, stripPromptTags } from '../../../server/src/engine/postprocess/markup.ts';
import { contextAt } from './helpers.ts';

describe('stripFences', () => {
  it.each([
    ['a fenced block', '```ts\nconst x = 1;\n```', 'const x = 1;'],
    ['a fence without language', '```\nx = 1\n```', 'x = 1'],
    ['a fence after blank lines', '\n\n```python\nprint("hi")\n```\n', 'print("hi")'],
    [
      'an unclosed fence (answer cut short)',
      '```go\nfunc main() {\n\tfmt.Println("🦜")',
      'func main() {\n\tfmt.Println("🦜")',
    ],
    ['prose, then a block', 'Here is the code:\n```rust\nlet x = 1;\n```\nHope this helps!', 'let x = 1;'],
    ['prose, then a block cut short', 'Sure:\n```c++\nint x = 0;', 'int x = 0;'],
    ['a closing fence the model never opened', 'return x;\n```', 'return x;'],
    ['a closing fence followed by an explanation', 'return x;\n```\nThis returns x.', 'return x;'],
    ['a tilde fence', '~~~\nls -la\n~~~', 'ls -la'],
    ['no fence', 'const s = `template ${x}`;', 'const s = `template ${x}`;'],
    ['inline triple backticks are content', 'const md = "```";', 'const md = "```";'],
  ])('%s', (_, raw, expected) => {
    expect(stripFences(raw, contextAt('<|>'))).toBe(expected);
  });

  it.each(['markdown', 'mdx'])('keeps fences in %s, where they are content', (languageId) => {
    const raw = '```js\nconsole.log(1)\n```';
    expect(stripFences(raw, contextAt('Example:\n<|>', { languageId }))).toBe(raw);
  });
});

describe('stripPromptTags', () => {
  it.each([
    ['a cursor marker', 'foo<cursor>bar', 'foobar'],
    ['a self-closing cursor marker', '<cursor/>x', 'x'],
    ['an echoed file header', '<file path="a.ts" language="typescript">\nconst x = 1;', 'const x = 1;'],
    ['an echoed mode line', '<mode>single-line</mode>\nx + 1', 'x + 1'],
    ['everything from </file>', 'return 1;\n</file>\nmore', 'return 1;'],
    ['no tags', 'a < b && c > d', 'a < b && c > d'],
    ['JSX is not a prompt tag', '<div className="日本">{x}</div>', '<div className="日本">{x}</div>'],
  ])('removes %s', (_, raw, expected) => {
    expect(stripPromptTags(raw, contextAt('<|>'))).toBe(expected);
  });

  it('keeps tags the document itself uses', () => {
    const context = contextAt('<files>\n  <file name="a"><|>\n</files>', { languageId: 'xml' });
    expect(stripPromptTags('contents</file>', context)).toBe('contents</file>');
    const source = contextAt('const marker = "<cursor>";\nconst end = <|>', {});
    expect(stripPromptTags('"<cursor>";', source)).toBe('"<cursor>";');
  });

  it('removes the prompt’s tags where the document only has a longer name that starts like one', () => {
    // Seen by the shape sweep (File/Basename.pm): POD's C<fileparse()> kept a `</file>` echo.
    const pod = contextAt('a path use C<fileparse()>.\n<|>\n=item C<dirname>', { languageId: 'perl' });
    expect(stripPromptTags('<cursor>\nC<basename()> returns the last level\n</file>', pod)).toBe(
      '\nC<basename()> returns the last level',
    );
    const names = contextAt('const cursorPosition = <cursors.length;\n<|>', {});
    expect(stripPromptTags('<cursor>x = 1;', names)).toBe('x = 1;');
  });
});
