/**
 * Reading model answers and building edits: fences and echoed markers are cleaned off code, line
 * endings follow the original, JSON shapes are checked, and WorkspaceEdits carry versions,
 * annotations only where SSOT.md asks for them, and positions in the negotiated encoding.
 */
import { describe, expect, it } from 'vitest';
import { cleanCode, parseTests, parseVariants } from '../../../server/src/actions/output.ts';
import { positionsOf, toWorkspaceEdit } from '../../../server/src/lsp/workspace-edit.ts';

describe('cleanCode', () => {
  const cases: [string, string, string, string][] = [
    ['plain code stays', 'a()', 'b()', 'a()'],
    ['a fenced answer is unwrapped', '```ts\na()\n```', 'b()', 'a()'],
    ['echoed region markers go', '<region>\na()\n</region>', 'b()', 'a()'],
    ['trailing newlines follow the original', 'a()\n\n', 'b()', 'a()'],
    ['CRLF originals get CRLF', 'a\nb', 'x\r\ny', 'a\r\nb'],
  ];
  it.each(cases)('%s', (_name, answer, original, expected) => {
    expect(cleanCode(answer, original)).toBe(expected);
  });
});

describe('structured answers', () => {
  it('accepts variants and tests in their schema and rejects anything else', () => {
    expect(parseVariants('{"variants":[{"title":"A","code":"a"}]}')).toEqual([{ title: 'A', code: 'a' }]);
    expect(parseVariants('{"variants":[]}')).toBeUndefined();
    expect(parseVariants('not json')).toBeUndefined();
    expect(parseTests('{"header":"","body":"t()"}')).toEqual({ header: '', body: 't()' });
    expect(parseTests('{"header":"x","body":"  "}')).toBeUndefined();
  });
});

describe('toWorkspaceEdit', () => {
  const file = {
    uri: 'file:///a.ts',
    version: 4,
    text: 'const s = "😀";\nx\n',
    changes: [{ start: 16, end: 17, text: 'y' }],
    create: false,
  };
  const full = { documentChanges: true, create: true, annotations: true, encoding: 'utf-16' as const };

  it('versions the document edit and labels a refactor, applied in one step', () => {
    const edit = toWorkspaceEdit([file], full, 'refactor', 'gpt-4.1');
    expect(edit.documentChanges).toEqual([
      {
        textDocument: { uri: 'file:///a.ts', version: 4 },
        edits: [
          {
            range: { start: { line: 1, character: 0 }, end: { line: 1, character: 1 } },
            newText: 'y',
            annotationId: 'ghostline',
          },
        ],
      },
    ]);
    expect(edit.changeAnnotations?.ghostline).toMatchObject({ label: 'ghostline: refactor', needsConfirmation: false });
  });

  it('does not annotate doc comments, nor clients without annotation support', () => {
    expect(toWorkspaceEdit([file], full, 'document', 'gpt-4.1-mini').changeAnnotations).toBeUndefined();
    expect(
      toWorkspaceEdit([file], { ...full, annotations: false }, 'fix', 'gpt-4.1').changeAnnotations,
    ).toBeUndefined();
  });

  it('falls back to unversioned `changes` for clients without documentChanges', () => {
    expect(toWorkspaceEdit([file], { ...full, documentChanges: false }, 'fix', 'gpt-4.1')).toEqual({
      changes: {
        'file:///a.ts': [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 1 } }, newText: 'y' }],
      },
    });
  });

  it('counts columns in UTF-8 when that encoding was negotiated', () => {
    const at16 = positionsOf(file.text, 'utf-16');
    const at8 = positionsOf(file.text, 'utf-8');
    const afterEmoji = file.text.indexOf('";');
    expect(at16(afterEmoji)).toEqual({ line: 0, character: 13 });
    expect(at8(afterEmoji)).toEqual({ line: 0, character: 15 });
  });
});
