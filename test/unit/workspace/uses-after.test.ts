/**
 * Completion context looks up names in bands: the 30 lines before the cursor, then the 40 lines
 * after its line, then up to 100 lines before it. The last two are stable while the user types on
 * one line, so their definitions lengthen the prompt's cached prefix without changing it.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../server/src/config/schema.ts';
import { ContextExclusion } from '../../../server/src/workspace/exclusion.ts';
import { WorkspaceIndexer } from '../../../server/src/workspace/indexer.ts';
import { WorkspaceContext } from '../../../server/src/workspace/repo-context.ts';

const root = mkdtempSync(path.join(tmpdir(), 'ghostline-after-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const FILES: Record<string, string> = {
  'src/a.ts': 'export function before(first: number): void {}\n',
  'src/b.ts': 'export function after(second: string): void {}\n',
  'src/c.ts': 'export function unused(third: boolean): void {}\n',
};
for (const [rel, text] of Object.entries(FILES)) {
  mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  writeFileSync(path.join(root, rel), text);
}

describe('names looked up around the cursor', () => {
  it('come before the cursor, then after its line, then far before it', async () => {
    const marked = [
      "import { before } from './a';",
      "import { after } from './b';",
      "import { unused } from './c';",
      // The import lines (the only use of `unused`) are more than 30 lines above the cursor.
      ...Array.from({ length: 32 }, (_, i) => `// line ${i}`),
      'before(1);',
      'const x = |',
      'after("y");',
    ].join('\n');
    const offset = marked.indexOf('|');
    const text = marked.replace('|', '');
    const config = defaultConfig().context;
    const uri = `file://${path.join(root, 'src/main.ts')}`;
    const docs = new Map([[uri, { text, version: 1 }]]);
    const indexer = new WorkspaceIndexer({
      root: () => root,
      config: () => config,
      exclusion: new ContextExclusion({ root: () => root, globs: () => [] }),
      documentText: (u) => docs.get(u),
    });
    const context = new WorkspaceContext({
      indexer,
      config: () => config,
      root: () => root,
      documentText: (u) => docs.get(u),
    });
    indexer.opened(uri, path.join(root, 'src/main.ts'), 'typescript', 1);
    await indexer.flush(uri);
    const request = { uri, path: path.join(root, 'src/main.ts'), languageId: 'typescript', text, offset };
    const gathered = context.gather(request);
    expect(gathered.files).toEqual(['src/a.ts', 'src/b.ts', 'src/c.ts']);
    // The next keystroke on the same line keeps the same snippets in the same order.
    const typed = `${text.slice(0, offset)}b${text.slice(offset)}`;
    expect(context.gather({ ...request, text: typed, offset: offset + 1 }).snippets).toEqual(gathered.snippets);
    indexer.dispose();
  });
});
