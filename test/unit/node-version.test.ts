/**
 * One Node story: the oldest supported major (MIN_NODE_MAJOR, which CI runs the integration tests
 * on) is what package.json `engines`, the bin shim's check, `.ci/run` and README.md say.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MIN_NODE_MAJOR } from '../../server/src/version.ts';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

describe('the oldest supported Node', () => {
  it('is the same everywhere it is stated', () => {
    const pkg = JSON.parse(read('package.json')) as { engines: { node: string } };
    expect(pkg.engines.node).toBe(`>=${MIN_NODE_MAJOR}`);
    expect(read('bin/ghostline.js')).toContain(`const MIN_NODE_MAJOR = ${MIN_NODE_MAJOR};`);
    expect(read('.ci/run')).toContain(`node@${MIN_NODE_MAJOR}`);
    expect(read('README.md')).toContain(`Node.js ≥ ${MIN_NODE_MAJOR}`);
  });
});
