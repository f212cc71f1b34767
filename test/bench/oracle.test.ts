/**
 * The fake model's oracle: given a real completion prompt it answers with the file's real
 * continuation (rest of the line, or a few lines in multi-line mode), and with nothing when the
 * prefix is not in the corpus. Data-driven, cursor marked with `|`.
 */
import { describe, expect, it } from 'vitest';
import { completionPrompt } from '../../server/src/context/prompt.ts';
import { createOracle, promptInputOf, promptInstructionsOf } from '../fake-openai/oracle.ts';

const FILE = [
  'def area(width, height):',
  '    if width < 0:',
  '        raise ValueError(width)',
  '    return width * height',
  '',
  'print(area(2, 3))',
  '',
].join('\n');
const PATH = '/src/area.py';

/** A prompt for the text around `|` in FILE-shaped text; the suffix is what follows the marker. */
function body(marked: string, multiline: boolean, api: 'responses' | 'chat' = 'responses') {
  const at = marked.indexOf('|');
  const prompt = completionPrompt({
    path: PATH,
    languageId: 'python',
    prefix: marked.slice(0, at),
    suffix: marked.slice(at + 1),
    multiline,
  });
  return api === 'responses'
    ? { model: 'gpt-4o-mini', instructions: prompt.instructions, input: prompt.input }
    : {
        model: 'gpt-4o-mini',
        messages: [
          { role: 'system', content: prompt.instructions },
          { role: 'user', content: prompt.input },
        ],
      };
}

describe('oracle', () => {
  const oracle = createOracle({ multilineLines: 3 });
  oracle.register(PATH, FILE);

  const cases: { name: string; marked: string; multiline: boolean; expected: string }[] = [
    {
      name: 'rest of the line',
      marked: 'def area(width, height):\n    if wi|\n',
      multiline: false,
      expected: 'dth < 0:',
    },
    { name: 'nothing at the end of a line', marked: 'def area(width, height):|\n', multiline: false, expected: '' },
    {
      name: 'a few lines in multi-line mode',
      marked: 'def area(width, height):\n    |\n',
      multiline: true,
      expected: 'if width < 0:\n        raise ValueError(width)\n    return width * height',
    },
    {
      name: 'multi-line stops before a blank line',
      marked: 'def area(width, height):\n    if width < 0:\n        raise ValueError(width)\n    |',
      multiline: true,
      expected: 'return width * height',
    },
    {
      name: 'nothing for a prefix that is not in the file (a typo)',
      marked: 'def area(width, height):\n    if wx|',
      multiline: false,
      expected: '',
    },
  ];
  for (const { name, marked, multiline, expected } of cases) {
    it(name, () => {
      const script = oracle.responder({ body: body(marked, multiline) });
      expect(script).toEqual({ kind: 'text', text: expected, chunkChars: 4 });
    });
  }

  it('reads Chat Completions bodies too', () => {
    expect(oracle.responder({ body: body('print(ar|', false, 'chat') })).toMatchObject({ text: 'ea(2, 3))' });
    expect(promptInstructionsOf(body('x|', false, 'chat'))).toContain('code completion');
    expect(promptInputOf({ input: 'plain' })).toBe('plain');
  });

  it('finds the file by content when the prompt names another path, and answers nothing for non-prompts', () => {
    expect(oracle.continuation({ path: '/elsewhere.py', prefix: '    return width', multiline: false })).toBe(
      ' * height',
    );
    expect(oracle.responder({ body: { input: 'just a question' } })).toMatchObject({ text: '' });
  });

  it('forgets a file', () => {
    const own = createOracle();
    own.register(PATH, FILE);
    own.forget(PATH);
    expect(own.continuation({ path: PATH, prefix: 'def area', multiline: false })).toBeUndefined();
  });
});
