import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderConfigDocs } from '../../../server/src/config/docs.ts';

describe('docs/configuration.md', () => {
  it('matches the schema (run `npm run docs:config` after changing a setting)', () => {
    const onDisk = readFileSync(new URL('../../../docs/configuration.md', import.meta.url), 'utf8');
    expect(onDisk).toBe(renderConfigDocs());
  });

  it('documents every top-level section', () => {
    const docs = renderConfigDocs();
    for (const key of ['providers', 'router', 'models', 'completion', 'timeouts', 'retry', 'cache', 'log'])
      expect(docs).toContain(`\`${key}`);
  });
});
