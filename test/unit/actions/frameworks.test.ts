/**
 * Test-framework detection and conventional test paths, on real temporary directories; and how
 * generated tests merge into an existing test file (imports to the head, tests at the end).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { planTests } from '../../../server/src/actions/frameworks.ts';
import { headInsertOffset, mergeTests } from '../../../server/src/actions/tests.ts';

const roots: string[] = [];
function repo(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'ghostline-fw-'));
  roots.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

describe('planTests', () => {
  it('reads the JavaScript framework from the nearest package.json', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ devDependencies: { vitest: '4' } }, 'vitest'],
      [{ devDependencies: { jest: '29' } }, 'jest'],
      [{ devDependencies: { 'ts-jest': '29' } }, 'jest'],
      [{ dependencies: { mocha: '10' } }, 'mocha'],
      [{}, 'node:test'],
    ];
    for (const [manifest, framework] of cases) {
      const root = repo({ 'package.json': JSON.stringify(manifest), 'src/a/b.ts': '' });
      expect(planTests(join(root, 'src/a/b.ts'), 'typescript', root)).toMatchObject({
        framework,
        testPath: join(root, 'src/a/b.test.ts'),
        importHint: './b.ts',
      });
    }
  });

  it('prefers an existing spec file and a __tests__ directory', () => {
    const spec = repo({ 'package.json': '{}', 'src/b.ts': '', 'src/b.spec.ts': '' });
    expect(planTests(join(spec, 'src/b.ts'), 'typescript', spec)).toMatchObject({
      testPath: join(spec, 'src/b.spec.ts'),
    });
    const dir = repo({ 'package.json': '{}', 'src/b.tsx': '', 'src/__tests__/other.test.tsx': '' });
    expect(planTests(join(dir, 'src/b.tsx'), 'typescriptreact', dir)).toMatchObject({
      testPath: join(dir, 'src/__tests__/b.test.tsx'),
      importHint: '../b.tsx',
    });
  });

  it('places pytest, go test, cargo test and JUnit tests by convention', () => {
    const py = repo({ 'pyproject.toml': '', 'pkg/mod.py': '' });
    expect(planTests(join(py, 'pkg/mod.py'), 'python', py)).toMatchObject({
      framework: 'pytest',
      testPath: join(py, 'pkg/test_mod.py'),
      importHint: 'pkg.mod',
    });
    const go = repo({ 'go.mod': '', 'x/y.go': 'package y\n' });
    expect(planTests(join(go, 'x/y.go'), 'go', go)).toMatchObject({
      framework: 'go test',
      testPath: join(go, 'x/y_test.go'),
    });
    const rust = repo({ 'Cargo.toml': '', 'src/lib.rs': '' });
    expect(planTests(join(rust, 'src/lib.rs'), 'rust', rust)).toMatchObject({
      framework: 'cargo test',
      sameFile: true,
      testPath: join(rust, 'src/lib.rs'),
    });
    const java = repo({ 'pom.xml': '', 'src/main/java/com/a/Shop.java': 'package com.a;\n' });
    expect(planTests(join(java, 'src/main/java/com/a/Shop.java'), 'java', java)).toMatchObject({
      framework: 'JUnit 5',
      testPath: join(java, 'src/test/java/com/a/ShopTest.java'),
      importHint: 'package com.a',
    });
  });

  it('refuses languages it does not know', () => {
    expect(planTests('/x/a.hs', 'haskell')).toEqual({
      refused: expect.stringMatching(/no known unit-test framework for haskell/),
    });
  });
});

describe('merging generated tests', () => {
  it('finds the end of the import head, Go import blocks included', () => {
    expect(headInsertOffset("import a from 'a';\nimport b from 'b';\n\ntest('x');\n")).toBe(38);
    expect(headInsertOffset('package p\n\nimport (\n\t"fmt"\n)\n\nfunc A() {}\n')).toBe(29);
    expect(headInsertOffset('#!/usr/bin/env python\nimport os\nfrom a import b\n\ndef test(): pass\n')).toBe(48);
    expect(headInsertOffset('def test(): pass\n')).toBe(0);
  });

  it('builds a new file from header and body, and appends to an existing one without repeating imports', () => {
    expect(mergeTests(undefined, { header: 'import t', body: 't()' })).toBe('import t\n\nt()\n');
    expect(mergeTests('', { header: '', body: 't()\n' })).toBe('t()\n');
    expect(mergeTests('import a\n\na()', { header: 'import a\nimport b', body: 'b()' })).toBe(
      'import a\nimport b\n\na()\n\nb()\n',
    );
  });
});
