/**
 * Finds how a repository runs its unit tests — vitest, jest, mocha or node:test from package.json,
 * pytest, go test, cargo test, JUnit — and where a test for a given source file conventionally
 * lives, so generated tests land where the project's test runner looks.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, parse as parsePath, relative, sep } from 'node:path';

export type Framework = 'vitest' | 'jest' | 'mocha' | 'node:test' | 'pytest' | 'go test' | 'cargo test' | 'JUnit 5';

export interface TestPlan {
  framework: Framework;
  /** Absolute path of the test file. */
  testPath: string;
  /** Rust: unit tests go into the source file itself (`#[cfg(test)] mod tests`). */
  sameFile: boolean;
  /** How the test file refers to the code under test (relative module path, Python module, Go package). */
  importHint: string;
}

const JS_LANGUAGES = new Set(['typescript', 'typescriptreact', 'javascript', 'javascriptreact']);
const PYTHON_MARKERS = ['pyproject.toml', 'setup.py', 'setup.cfg', 'pytest.ini', 'tox.ini', 'requirements.txt'];

/** The nearest directory from `start` up to `root` (or the file system root) that holds one of the markers. */
export function findUp(start: string, markers: string[], root?: string): string | undefined {
  for (let dir = start; ; dir = dirname(dir)) {
    if (markers.some((marker) => existsSync(join(dir, marker)))) return dir;
    if ((root && dir === root) || dirname(dir) === dir) return undefined;
  }
}

function readJson(path: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** vitest, jest or mocha when package.json depends on them; node:test otherwise. */
export function jsFramework(packageDir: string | undefined): Framework {
  const manifest = packageDir ? readJson(join(packageDir, 'package.json')) : undefined;
  const deps = {
    ...(manifest?.dependencies as object | undefined),
    ...(manifest?.devDependencies as object | undefined),
  };
  if ('vitest' in deps) return 'vitest';
  if ('jest' in deps || 'ts-jest' in deps) return 'jest';
  if ('mocha' in deps) return 'mocha';
  return 'node:test';
}

function moduleSpecifier(from: string, to: string): string {
  const path = relative(dirname(from), to).split(sep).join('/');
  return path.startsWith('.') ? path : `./${path}`;
}

export function planTests(sourcePath: string, languageId: string, root?: string): TestPlan | { refused: string } {
  const dir = dirname(sourcePath);
  const { name, ext } = parsePath(sourcePath);
  if (JS_LANGUAGES.has(languageId)) {
    const framework = jsFramework(findUp(dir, ['package.json'], root));
    const candidates = [
      join(dir, `${name}.test${ext}`),
      join(dir, `${name}.spec${ext}`),
      join(dir, '__tests__', `${name}.test${ext}`),
    ];
    const existing = candidates.find((path) => existsSync(path));
    const testPath = existing ?? (existsSync(join(dir, '__tests__')) ? candidates[2]! : candidates[0]!);
    return { framework, testPath, sameFile: false, importHint: moduleSpecifier(testPath, sourcePath) };
  }
  if (languageId === 'python') {
    const project = findUp(dir, PYTHON_MARKERS, root) ?? root ?? dir;
    const testsDir = join(project, 'tests');
    const testPath = existsSync(testsDir) ? join(testsDir, `test_${name}.py`) : join(dir, `test_${name}.py`);
    const module = relative(project, join(dir, name))
      .split(sep)
      .filter((part) => part !== '' && part !== '.');
    if (module[0] === 'src') module.shift();
    return { framework: 'pytest', testPath, sameFile: false, importHint: module.join('.') };
  }
  if (languageId === 'go') {
    const source = readText(sourcePath);
    const pkg = /^package\s+(\w+)/m.exec(source)?.[1] ?? basename(dir);
    return {
      framework: 'go test',
      testPath: join(dir, `${name}_test.go`),
      sameFile: false,
      importHint: `package ${pkg} (same package)`,
    };
  }
  if (languageId === 'rust') {
    return {
      framework: 'cargo test',
      testPath: sourcePath,
      sameFile: true,
      importHint: 'use super::*; inside #[cfg(test)] mod tests',
    };
  }
  if (languageId === 'java') {
    const main = `${sep}src${sep}main${sep}java${sep}`;
    const testPath = sourcePath.includes(main)
      ? sourcePath.replace(main, `${sep}src${sep}test${sep}java${sep}`).replace(/\.java$/, 'Test.java')
      : join(dir, `${name}Test.java`);
    const pkg = /^package\s+([\w.]+)\s*;/m.exec(readText(sourcePath))?.[1];
    return { framework: 'JUnit 5', testPath, sameFile: false, importHint: pkg ? `package ${pkg}` : 'default package' };
  }
  return {
    refused: `ghostline: no known unit-test framework for ${languageId} files (supported: TypeScript/JavaScript, Python, Go, Rust, Java).`,
  };
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
