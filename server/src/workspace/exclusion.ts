/**
 * Which files repository context may read: never a file the prompt guard excludes (the default
 * exclusions, `safety.exclude`, `.ghostlineignore`), nor one the workspace's `.gitignore` ignores
 * (build output, vendored or generated code, local secrets), nor one too large or minified to be
 * worth parsing.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { createExclusion, type Exclusion } from '../safety/exclude.ts';
import { compileIgnoreLine, matchIgnoreRules, type IgnoreRule } from '../safety/gitignore.ts';

/** Files larger than this are not parsed for context (bytes). */
export const MAX_CONTEXT_FILE_BYTES = 512 * 1024;

export interface ContextExclusionOptions {
  root: () => string | undefined;
  globs: () => string[];
}

export class ContextExclusion {
  private readonly options: ContextExclusionOptions;
  private exclusion?: { signature: string; value: Exclusion };
  /** The rules of each folder's `.gitignore`, re-read when it changes. */
  private readonly gitignores = new Map<string, { stamp: string; rules: IgnoreRule[] }>();

  constructor(options: ContextExclusionOptions) {
    this.options = options;
  }

  /** Undefined when the file may be used for context, else the reason it may not. */
  reason(file: string): string | undefined {
    const root = this.options.root();
    const globs = this.options.globs();
    const signature = JSON.stringify([root ?? null, globs]);
    if (this.exclusion?.signature !== signature)
      this.exclusion = { signature, value: createExclusion({ workspaceRoot: root, globs }) };
    const excluded = this.exclusion.value.isExcluded(file);
    if (excluded.excluded) return `excluded (${excluded.rule ?? 'a rule'})`;
    if (/\.min\.(js|mjs|cjs|css)$|\.map$/.test(file)) return 'minified or generated';
    if (root !== undefined && path.isAbsolute(file)) {
      const relative = path.relative(root, file).replaceAll('\\', '/');
      if (!relative.startsWith('..') && !path.isAbsolute(relative)) {
        const parts = relative.split('/');
        if (parts.includes('.git')) return 'inside .git';
        // Each folder's .gitignore, from the root down, speaks of paths relative to that folder.
        for (let depth = 0; depth < parts.length; depth++) {
          const dir = path.join(root, ...parts.slice(0, depth));
          const rule = matchIgnoreRules(this.gitignoreRules(dir), parts.slice(depth).join('/'), true);
          if (rule)
            return `ignored by ${path.relative(root, path.join(dir, '.gitignore')) || '.gitignore'} (${rule.source})`;
        }
      }
    }
    return undefined;
  }

  private gitignoreRules(dir: string): IgnoreRule[] {
    const file = path.join(dir, '.gitignore');
    const stat = statSync(file, { throwIfNoEntry: false });
    const stamp = stat ? `${stat.mtimeMs}:${stat.size}` : '';
    const known = this.gitignores.get(dir);
    if (known?.stamp === stamp) return known.rules;
    let lines: string[] = [];
    try {
      lines = stat ? readFileSync(file, 'utf8').split(/\r?\n/) : [];
    } catch {
      lines = [];
    }
    const rules: IgnoreRule[] = [];
    lines.forEach((line, index) => {
      const rule = compileIgnoreLine(line, `.gitignore:${index + 1}: ${line.trim()}`);
      if (rule) rules.push(rule);
    });
    if (this.gitignores.size > 1000) this.gitignores.clear();
    this.gitignores.set(dir, { stamp, rules });
    return rules;
  }
}
