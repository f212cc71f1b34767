// Content exclusion: default secret files, settings globs and .ghostlineignore in gitignore syntax.
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createExclusion } from '../../../server/src/safety/exclude.ts';
import { compileIgnoreLine, matchIgnoreRules, type IgnoreRule } from '../../../server/src/safety/gitignore.ts';

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'ghostline-exclude-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('default exclusions', () => {
  it.each([
    ['.env', 'default: .env'],
    ['packages/api/.env', 'default: .env'],
    ['.env.production', 'default: .env.*'],
    ['.env.example', 'default: .env.*'],
    ['certs/server.pem', 'default: *.pem'],
    ['.ssh/deploy.pem', 'default: *.pem'],
    ['tls/private.key', 'default: *.key'],
    ['home/.ssh/id_rsa', 'default: id_rsa*'],
    ['id_ed25519', 'default: id_ed25519*'],
    ['id_ecdsa_sk', 'default: id_ecdsa*'],
    ['config/secrets/db.yml', 'default: **/secrets/**'],
    ['secrets/api.txt', 'default: **/secrets/**'],
    ['deploy/.secrets/token', 'default: **/.secrets/**'],
    ['signing/release.p12', 'default: *.p12'],
    ['cert.pfx', 'default: *.pfx'],
    ['.npmrc', 'default: .npmrc'],
    ['.netrc', 'default: .netrc'],
    ['gcp/credentials.json', 'default: credentials.json'],
    ['home/.aws/credentials', 'default: **/.aws/credentials'],
  ])('excludes %s', (file, rule) => {
    const exclusion = createExclusion({ workspaceRoot: root, globs: [] });
    expect(exclusion.isExcluded(path.join(root, file))).toEqual({ excluded: true, rule });
  });

  it.each([
    'src/index.ts',
    'src/id_utils.ts',
    'src/env.ts',
    'docs/secrets.md',
    'src/keys.ts',
    'README.md',
    'src/environment/.envrc.ts',
  ])('keeps %s', (file) => {
    const exclusion = createExclusion({ workspaceRoot: root, globs: [] });
    expect(exclusion.isExcluded(path.join(root, file))).toEqual({ excluded: false });
  });

  it('applies unanchored defaults to files outside the workspace and to relative paths', () => {
    const exclusion = createExclusion({ workspaceRoot: root, globs: ['/build/'] });
    expect(exclusion.isExcluded('/etc/ssl/private/site.key').excluded).toBe(true);
    expect(exclusion.isExcluded('/elsewhere/build/out.js').excluded).toBe(false);
    expect(exclusion.isExcluded('build/out.js')).toEqual({ excluded: true, rule: 'settings: /build/' });
    expect(exclusion.isExcluded('pkg\\.env').excluded).toBe(true);
  });
});

describe('.ghostlineignore', () => {
  function writeIgnore(text: string): void {
    writeFileSync(path.join(root, '.ghostlineignore'), text);
  }

  it('adds gitignore patterns with comments, directories, anchors and **', () => {
    writeIgnore('# generated and private code\n\nvendor/\n/fixtures/*.json\ndocs/**/internal-*.md\n*.sql\n');
    const exclusion = createExclusion({ workspaceRoot: root, globs: [] });
    const check = (file: string) => exclusion.isExcluded(path.join(root, file));
    expect(check('vendor/lib/a.js')).toEqual({ excluded: true, rule: '.ghostlineignore:3: vendor/' });
    expect(check('packages/x/vendor/b.js').excluded).toBe(true);
    expect(check('vendor').excluded).toBe(false);
    expect(check('fixtures/users.json')).toEqual({ excluded: true, rule: '.ghostlineignore:4: /fixtures/*.json' });
    expect(check('test/fixtures/users.json').excluded).toBe(false);
    expect(check('fixtures/deep/users.json').excluded).toBe(false);
    expect(check('docs/internal-plan.md').excluded).toBe(true);
    expect(check('docs/a/b/internal-plan.md').excluded).toBe(true);
    expect(check('docs/public.md').excluded).toBe(false);
    expect(check('db/schema.sql')).toEqual({ excluded: true, rule: '.ghostlineignore:6: *.sql' });
  });

  it('re-includes with ! negation, last rule wins, but not inside an excluded directory', () => {
    writeIgnore('!.env.example\n*.log\n!keep.log\nprivate/\n!private/readme.md\n');
    const exclusion = createExclusion({ workspaceRoot: root, globs: [] });
    const check = (file: string) => exclusion.isExcluded(path.join(root, file));
    expect(check('.env.example')).toEqual({ excluded: false });
    expect(check('.env.local').excluded).toBe(true);
    expect(check('app.log').excluded).toBe(true);
    expect(check('logs/keep.log')).toEqual({ excluded: false });
    expect(check('private/readme.md')).toEqual({ excluded: true, rule: '.ghostlineignore:4: private/' });
  });

  it('is re-read when it changes and ignored when readIgnoreFile is false', () => {
    writeIgnore('*.csv\n');
    const exclusion = createExclusion({ workspaceRoot: root, globs: [] });
    const file = path.join(root, 'data/a.csv');
    expect(exclusion.isExcluded(file).excluded).toBe(true);
    writeIgnore('*.tsv\n');
    utimesSync(path.join(root, '.ghostlineignore'), new Date(), new Date(Date.now() + 5_000));
    expect(exclusion.isExcluded(file).excluded).toBe(false);
    expect(
      createExclusion({ workspaceRoot: root, globs: [], readIgnoreFile: false }).isExcluded(path.join(root, 'a.tsv'))
        .excluded,
    ).toBe(false);
  });
});

describe('gitignore syntax', () => {
  const rules = (...lines: string[]): IgnoreRule[] =>
    lines.map((line) => compileIgnoreLine(line)).filter((rule) => rule !== undefined);
  it.each([
    ['a?c.txt', 'abc.txt', true],
    ['a?c.txt', 'a/c.txt', false],
    ['file[0-9].txt', 'file7.txt', true],
    ['file[!0-9].txt', 'file7.txt', false],
    ['\\#notes', '#notes', true],
    ['\\!important', '!important', true],
    ['trailing.txt   ', 'trailing.txt', true],
    ['a/**/b', 'a/b', true],
    ['a/**/b', 'a/x/y/b', true],
    ['logs/**', 'logs/2024/01.txt', true],
    ['**/build', 'x/y/build', true],
    ['*.min.js', 'dist/app.min.js', true],
  ])('%s matches %s: %s', (pattern, file, expected) => {
    expect(matchIgnoreRules(rules(pattern), file) !== undefined).toBe(expected);
  });

  it('skips comments and blank lines', () => {
    expect(rules('# comment', '', '   ')).toEqual([]);
  });
});
