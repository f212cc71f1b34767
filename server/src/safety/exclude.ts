/**
 * Decides which files never reach a prompt: key material, env files, credential stores, and
 * whatever the workspace lists in `.ghostlineignore` (gitignore syntax) or the settings add.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { compileIgnoreLine, matchIgnoreRules, type IgnoreRule } from './gitignore.ts';

/**
 * Always excluded unless a later rule (settings or `.ghostlineignore`) re-includes with `!`.
 * `.env.*` also covers `.env.example`: templates sometimes hold real values, so re-including them
 * is left to the user (`!.env.example`). Private SSH keys are listed by name, because `id_*`
 * would also hide ordinary files such as `id_utils.ts`.
 */
export const DEFAULT_EXCLUDES: readonly string[] = [
  '.env',
  '.env.*',
  '*.pem',
  '*.key',
  'id_rsa*',
  'id_dsa*',
  'id_ecdsa*',
  'id_ed25519*',
  '**/secrets/**',
  '**/.secrets/**',
  '*.p12',
  '*.pfx',
  '*.jks',
  '*.keystore',
  '.npmrc',
  '.netrc',
  '.pgpass',
  '.pypirc',
  '.git-credentials',
  '**/.aws/credentials',
  'credentials.json',
];

export const IGNORE_FILE = '.ghostlineignore';

export interface ExclusionOptions {
  /** Root of the workspace; `.ghostlineignore` is read there and anchored patterns are relative to it. */
  workspaceRoot?: string;
  /** Extra patterns (gitignore syntax) from the settings, after the defaults. */
  globs: string[];
  /** Read `<workspaceRoot>/.ghostlineignore` (default true); re-read when its mtime changes. */
  readIgnoreFile?: boolean;
}

export interface ExclusionResult {
  excluded: boolean;
  /** The deciding rule, e.g. `default: *.pem` or `.ghostlineignore:3: secrets/`. */
  rule?: string;
}

export interface Exclusion {
  isExcluded(filePath: string): ExclusionResult;
}

function compileAll(lines: readonly string[], label: (line: string, index: number) => string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  lines.forEach((line, index) => {
    const rule = compileIgnoreLine(line, label(line.trim(), index));
    if (rule !== undefined) rules.push(rule);
  });
  return rules;
}

export function createExclusion(options: ExclusionOptions): Exclusion {
  const root = options.workspaceRoot === undefined ? undefined : path.resolve(options.workspaceRoot);
  const fixedRules = [
    ...compileAll(DEFAULT_EXCLUDES, (line) => `default: ${line}`),
    ...compileAll(options.globs, (line) => `settings: ${line}`),
  ];
  const ignoreFile = root !== undefined && options.readIgnoreFile !== false ? path.join(root, IGNORE_FILE) : undefined;
  let fileRules: IgnoreRule[] = [];
  let fileStamp = '';

  /** Re-reads `.ghostlineignore` when it appeared, changed or vanished; a stat per call is cheap. */
  function currentRules(): IgnoreRule[] {
    if (ignoreFile === undefined) return fixedRules;
    const stat = statSync(ignoreFile, { throwIfNoEntry: false });
    const stamp = stat === undefined ? '' : `${stat.mtimeMs}:${stat.size}`;
    if (stamp !== fileStamp) {
      fileStamp = stamp;
      let lines: string[] = [];
      try {
        lines = stat === undefined ? [] : readFileSync(ignoreFile, 'utf8').split(/\r?\n/);
      } catch {
        // Unreadable (permissions, a directory by that name): the defaults still apply.
      }
      fileRules = compileAll(lines, (line, index) => `${IGNORE_FILE}:${index + 1}: ${line}`);
    }
    return fileRules.length === 0 ? fixedRules : [...fixedRules, ...fileRules];
  }

  return {
    isExcluded(filePath: string): ExclusionResult {
      const normalized = filePath.replaceAll('\\', '/');
      let relative: string;
      let inside = true;
      if (root !== undefined && path.isAbsolute(normalized)) {
        relative = path.relative(root, normalized).replaceAll('\\', '/');
        if (relative.startsWith('..') || path.isAbsolute(relative)) {
          // Outside the workspace, only patterns without anchoring (`*.pem`, `.env`) apply.
          inside = false;
          relative = normalized;
        }
      } else {
        relative = normalized;
        inside = !path.isAbsolute(normalized);
      }
      const rule = matchIgnoreRules(currentRules(), relative, inside);
      return rule === undefined ? { excluded: false } : { excluded: true, rule: rule.source };
    },
  };
}
