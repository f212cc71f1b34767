// Repository guidance: AGENTS.md files from the root down, nearest last and labelled, within a
// token budget that drops the farthest first; contents cached by mtime.
import { mkdirSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadGuidance } from '../../../server/src/safety/guidance.ts';

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'ghostline-guidance-'));
  mkdirSync(path.join(root, 'packages/api/src'), { recursive: true });
  writeFileSync(path.join(root, 'AGENTS.md'), '# Repo\nUse pnpm. Tabs, not spaces.\n');
  writeFileSync(path.join(root, 'packages/AGENTS.md'), '# Packages\nEach package has its own tests.\n');
  writeFileSync(path.join(root, 'packages/api/AGENTS.md'), '# API\nUse spaces here; handlers return Result values.\n');
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

const load = (filePath: string, maxTokens = 10_000) =>
  loadGuidance({ workspaceRoot: root, filePath, maxTokens, countTokens });

describe('loadGuidance', () => {
  it('orders AGENTS.md from the root down, nearest last, each labelled with its path', async () => {
    const guidance = await load(path.join(root, 'packages/api/src/handler.ts'));
    expect(guidance.sources).toEqual([
      path.join(root, 'AGENTS.md'),
      path.join(root, 'packages/AGENTS.md'),
      path.join(root, 'packages/api/AGENTS.md'),
    ]);
    expect(guidance.text).toBe(
      [
        'Repository guidance from AGENTS.md files. Later sections are closer to the file being edited and take precedence over earlier ones.',
        '',
        '<guidance source="AGENTS.md">\n# Repo\nUse pnpm. Tabs, not spaces.\n</guidance>',
        '',
        '<guidance source="packages/AGENTS.md">\n# Packages\nEach package has its own tests.\n</guidance>',
        '',
        '<guidance source="packages/api/AGENTS.md">\n# API\nUse spaces here; handlers return Result values.\n</guidance>',
      ].join('\n'),
    );
  });

  it('reads only the folders on the way to the file, and accepts a relative path', async () => {
    mkdirSync(path.join(root, 'packages/web'));
    writeFileSync(path.join(root, 'packages/web/AGENTS.md'), '# Web\n');
    const guidance = await load('packages/cli/main.ts');
    expect(guidance.sources).toEqual([path.join(root, 'AGENTS.md'), path.join(root, 'packages/AGENTS.md')]);
  });

  it('drops the farthest files first to stay within maxTokens', async () => {
    const all = await load(path.join(root, 'packages/api/src/handler.ts'));
    const budget = countTokens(all.text) - 1;
    const trimmed = await load(path.join(root, 'packages/api/src/handler.ts'), budget);
    expect(trimmed.sources).toEqual([path.join(root, 'packages/AGENTS.md'), path.join(root, 'packages/api/AGENTS.md')]);
    expect(countTokens(trimmed.text)).toBeLessThanOrEqual(budget);
    expect(trimmed.text).not.toContain('Use pnpm');
  });

  it('cuts the nearest file by lines when it alone is over budget, and gives nothing when no line fits', async () => {
    writeFileSync(
      path.join(root, 'packages/api/AGENTS.md'),
      Array.from({ length: 200 }, (_, i) => `Rule ${i}: keep handlers small.`).join('\n'),
    );
    const cut = await load(path.join(root, 'packages/api/x.ts'), 120);
    expect(cut.sources).toEqual([path.join(root, 'packages/api/AGENTS.md')]);
    expect(countTokens(cut.text)).toBeLessThanOrEqual(120);
    expect(cut.text).toContain('Rule 0: keep handlers small.');
    expect(cut.text).not.toContain('Rule 199');
    expect(await load(path.join(root, 'packages/api/x.ts'), 5)).toEqual({ text: '', sources: [] });
  });

  it('returns nothing for files outside the workspace or without AGENTS.md', async () => {
    expect(await load('/somewhere/else/file.ts')).toEqual({ text: '', sources: [] });
    rmSync(path.join(root, 'AGENTS.md'));
    rmSync(path.join(root, 'packages/AGENTS.md'));
    rmSync(path.join(root, 'packages/api/AGENTS.md'));
    expect(await load(path.join(root, 'packages/api/src/a.ts'))).toEqual({ text: '', sources: [] });
  });

  it('re-reads a file when its mtime changes', async () => {
    const file = path.join(root, 'packages/api/src/handler.ts');
    expect((await load(file)).text).toContain('handlers return Result values');
    writeFileSync(path.join(root, 'packages/api/AGENTS.md'), '# API\nHandlers throw typed errors.\n');
    const later = new Date(Date.now() + 10_000);
    utimesSync(path.join(root, 'packages/api/AGENTS.md'), later, later);
    const guidance = await load(file);
    expect(guidance.text).toContain('Handlers throw typed errors.');
    expect(guidance.text).not.toContain('Result values');
  });

  it('serves an unchanged file (same mtime and size) from the cache without reading it', async () => {
    const agents = path.join(root, 'packages/api/AGENTS.md');
    const file = path.join(root, 'packages/api/src/handler.ts');
    // Whole seconds, so that restoring the mtime below is exact on every filesystem.
    const stamp = Math.floor(Date.now() / 1000) - 60;
    utimesSync(agents, stamp, stamp);
    await load(file);
    writeFileSync(agents, '# API\nUse spaces here; handlers return Xxxxxx values.\n');
    utimesSync(agents, stamp, stamp);
    expect(statSync(agents).mtimeMs).toBe(stamp * 1000);
    expect((await load(file)).text).toContain('handlers return Result values');
  });
});
