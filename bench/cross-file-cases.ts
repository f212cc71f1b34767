/**
 * The cross-file benchmark's cases, mined from real multi-file code nobody here wrote: the
 * TypeScript sources npm packages ship (zod, gpt-tokenizer, @jridgewell/sourcemap-codec) and,
 * where the machine has Python, standard-library packages. A case is a line that calls a function
 * or constructs a class defined (once) in another file of the same package, imported by the current
 * file, with arguments on that line, and no earlier call of that name in the current file, so the
 * arguments cannot be guessed from the file alone. Mining uses plain patterns of its own, not
 * ghostline's resolver.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { mulberry32 } from '../test/fake-openai/rng.ts';
import { ROOT } from './corpus.ts';

export interface PackageSource {
  name: string;
  /** Where the package sits in the benchmark's workspace: Python packages keep their import names. */
  folder: string;
  languageId: 'typescript' | 'python';
  dir: string;
  /** Paths relative to dir. */
  files: string[];
}

export interface CrossFileCase {
  pkg: string;
  /** The package's folder in the workspace. */
  folder: string;
  languageId: string;
  /** Relative to the package folder. */
  file: string;
  definitionFile: string;
  line: number;
  /** What is typed: the line from its first non-blank character through the call's `(`. */
  typed: string;
  indent: string;
  /** The true arguments and the closing parenthesis. */
  args: string;
  name: string;
  /** The definition's parameter list as written (`name(…)`, `constructor(…)`, `__init__(…)`), whitespace removed. */
  signatureKey: string;
}

const SKIP_DIRS =
  /(^|\/)(tests?|__tests__|fixtures|bpeRanks|codegen|scraper|encoding|model|idlelib|test|lib2to3|tkinter|turtledemo)(\/|$)/;

function walk(dir: string, ext: string, out: string[] = [], base = dir): string[] {
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    const rel = relative(base, full);
    if (statSync(full).isDirectory()) {
      if (!SKIP_DIRS.test(`${rel}/`)) walk(full, ext, out, base);
    } else if (name.endsWith(ext) && !/\.(test|spec|d)\.ts$/.test(name) && statSync(full).size < 256 * 1024)
      out.push(rel);
  }
  return out;
}

/** Python's standard library folder, when python3 exists on this machine. */
function pythonStdlib(): string | undefined {
  try {
    const dir = execFileSync('python3', ['-c', 'import sysconfig; print(sysconfig.get_paths()["stdlib"])'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    return existsSync(dir) ? dir : undefined;
  } catch {
    return undefined;
  }
}

export function crossFilePackages(): PackageSource[] {
  const packages: PackageSource[] = [];
  for (const [name, rel] of [
    ['zod', 'node_modules/zod/src/v4'],
    ['gpt-tokenizer', 'node_modules/gpt-tokenizer/src'],
    ['sourcemap-codec', 'node_modules/@jridgewell/sourcemap-codec/src'],
  ] as const) {
    const dir = join(ROOT, rel);
    if (existsSync(dir))
      packages.push({ name, folder: `ts/${name}`, languageId: 'typescript', dir, files: walk(dir, '.ts') });
  }
  const stdlib = pythonStdlib();
  for (const name of stdlib ? ['asyncio', 'email', 'concurrent', 'importlib', 'json', 'http'] : []) {
    const dir = join(stdlib!, name);
    if (existsSync(dir))
      packages.push({
        name: `python-${name}`,
        folder: `python/${name}`,
        languageId: 'python',
        dir,
        files: walk(dir, '.py'),
      });
  }
  return packages;
}

interface Definition {
  file: string;
  key: string;
}

/** The text from `(` at `open` through its matching `)`, or undefined when it does not close on that text. */
function balanced(text: string, open: number, limit = 4000): string | undefined {
  let depth = 0;
  for (let i = open; i < Math.min(text.length, open + limit); i++) {
    const ch = text[i];
    if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return text.slice(open, i + 1);
  }
  return undefined;
}

const strip = (s: string) => s.replace(/\s+/g, '');

/** Top-level functions and classes of a package with their parameter lists; names defined twice are dropped. */
function definitions(pkg: PackageSource): Map<string, Definition> {
  const found = new Map<string, Definition | null>();
  const add = (name: string, def: Definition) => found.set(name, found.has(name) ? null : def);
  for (const file of pkg.files) {
    const text = readFileSync(join(pkg.dir, file), 'utf8');
    if (pkg.languageId === 'typescript') {
      for (const m of text.matchAll(
        /^export\s+(?:declare\s+)?(?:async\s+)?function\s*\*?\s*([A-Za-z_$][\w$]*)\s*(?:<[^(]*?>)?\s*\(/gm,
      )) {
        const params = balanced(text, m.index + m[0].length - 1);
        // The key is the signature as written from the name on: generics included.
        const named = text.slice(
          m.index + m[0].indexOf(m[1]!, m[0].indexOf('function') + 8),
          m.index + m[0].length - 1,
        );
        if (params && strip(params).length > 2) add(m[1]!, { file, key: strip(`${named}${params}`) });
      }
      for (const m of text.matchAll(/^export\s+(?:abstract\s+)?class\s+([A-Za-z_$][\w$]*)[^{]*\{/gm)) {
        const end = text.indexOf('\n}', m.index);
        const body = text.slice(m.index, end === -1 ? undefined : end);
        const ctor = /\n\s+constructor\s*\(/.exec(body);
        const params = ctor ? balanced(body, ctor.index + ctor[0].length - 1) : undefined;
        if (params && strip(params).length > 2) add(m[1]!, { file, key: strip(`constructor${params}`) });
      }
    } else {
      for (const m of text.matchAll(/^def\s+([A-Za-z_]\w*)\s*\(/gm)) {
        const params = balanced(text, m.index + m[0].length - 1);
        if (params && strip(params).length > 2 && !m[1]!.startsWith('_'))
          add(m[1]!, { file, key: strip(`${m[1]}${params}`) });
      }
      for (const m of text.matchAll(/^class\s+([A-Za-z_]\w*)[^:]*:\n((?:[ \t]+.*\n|\s*\n)*)/gm)) {
        const init = /\n([ \t]+)def\s+__init__\s*\(/.exec(`\n${m[2]!}`);
        const params = init ? balanced(`\n${m[2]!}`, init.index + init[0].length - 1) : undefined;
        if (params && strip(params) !== '(self)' && !m[1]!.startsWith('_'))
          add(m[1]!, { file, key: strip(`__init__${params}`) });
      }
    }
  }
  return new Map([...found].filter((entry): entry is [string, Definition] => entry[1] !== null));
}

/** The import statements of a file, each joined onto one line. */
function importStatements(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(
    /^\s*import\s[^;'"]*?from\s+['"][^'"]+['"]|^\s*import\s+\S.*$|^\s*from\s+\S+\s+import\s+(\([^)]*\)|.*)$/gm,
  ))
    out.push(m[0].replace(/\s+/g, ' '));
  return out;
}

/** Whether an import statement of `file` names the defining file, or a barrel (index.ts, __init__.py) in a folder above it. */
function importsFrom(pkg: PackageSource, file: string, statement: string, definitionFile: string): boolean {
  const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '';
  const resolved = (spec: string) => {
    const parts = (dir ? dir.split('/') : []).concat(spec.split('/'));
    const out: string[] = [];
    for (const part of parts) {
      if (part === '..') out.pop();
      else if (part !== '.' && part !== '') out.push(part);
    }
    return out.join('/');
  };
  const defNoExt = definitionFile.replace(/\.(ts|py)$/, '');
  const defDir = definitionFile.includes('/') ? definitionFile.slice(0, definitionFile.lastIndexOf('/')) : '';
  if (pkg.languageId === 'typescript') {
    const spec = /from\s+['"]([^'"]+)['"]/.exec(statement)?.[1];
    if (!spec?.startsWith('.')) return false;
    const target = resolved(spec).replace(/\.(js|ts)$/, '');
    return (
      target === defNoExt ||
      (target.endsWith('index')
        ? `${defDir}/`.startsWith(`${target.slice(0, -'index'.length)}`)
        : `${defDir}/`.startsWith(`${target}/`) || defDir === target)
    );
  }
  const module = /^\s*from\s+(\S+)/.exec(statement)?.[1] ?? /^\s*import\s+(\S+)/.exec(statement)?.[1] ?? '';
  const stem = defNoExt.split('/').pop()!;
  return (
    module.split('.').includes(stem) ||
    statement.includes(` ${stem}`) ||
    (stem === '__init__' && module.split('.').includes(defDir.split('/').pop() ?? ''))
  );
}

/** Mines the cases of every package, at most `perFile` per file, then a seeded sample of `limit`. */
export function mineCases(packages: PackageSource[], limit: number, seed: number, perFile = 2): CrossFileCase[] {
  const cases: CrossFileCase[] = [];
  const seen = new Set<string>();
  for (const pkg of packages) {
    const defs = definitions(pkg);
    for (const file of pkg.files) {
      const text = readFileSync(join(pkg.dir, file), 'utf8').replace(/\r\n/g, '\n');
      const lines = text.split('\n');
      const importLines = importStatements(text);
      let taken = 0;
      let offset = 0;
      for (let line = 0; line < lines.length && taken < perFile; offset += lines[line]!.length + 1, line++) {
        const content = lines[line]!;
        if (/^\s*(import|from|export\s+\*|#|\/\/|\*|def |class |async def |function |export function)/.test(content))
          continue;
        for (const m of content.matchAll(/(?:new\s+)?(?:([A-Za-z_$][\w$]*)\.)?([A-Za-z_$][\w$]*)\(/g)) {
          const name = m[2]!;
          const def = defs.get(name);
          if (!def || def.file === file) continue;
          const qualifier = m[1];
          // The name (or its module) must be imported from the defining file (or a barrel above it).
          const statement = importLines.find((l) =>
            new RegExp(`(^|[^\\w$])${(qualifier ?? name).replace(/\$/g, '\\$')}([^\\w$]|$)`).test(l),
          );
          if (!statement || !importsFrom(pkg, file, statement, def.file)) continue;
          if (seen.has(`${name}${content.slice(m.index)}`)) continue;
          seen.add(`${name}${content.slice(m.index)}`);
          // Defined here too, or called before this line: guessable from the current file.
          if (new RegExp(`(function|class|def)\\s+${name}\\b`).test(text) || text.slice(0, offset).includes(`${name}(`))
            continue;
          const open = m.index + m[0].length - 1;
          const call = balanced(content, open);
          if (!call || call.length < 4 || call.length > 100) continue;
          const indent = /^\s*/.exec(content)![0];
          cases.push({
            pkg: pkg.name,
            folder: pkg.folder,
            languageId: pkg.languageId,
            file,
            definitionFile: def.file,
            line,
            typed: content.slice(indent.length, open + 1),
            indent,
            args: call.slice(1),
            name,
            signatureKey: def.key,
          });
          taken++;
          break;
        }
      }
    }
  }
  const random = mulberry32(seed);
  const shuffled = cases
    .map((c) => ({ c, r: random() }))
    .sort((a, b) => a.r - b.r)
    .map((x) => x.c);
  // An even share per language when both exist, so neither swamps the other.
  const byLanguage = new Map<string, CrossFileCase[]>();
  for (const c of shuffled) byLanguage.set(c.languageId, [...(byLanguage.get(c.languageId) ?? []), c]);
  const out: CrossFileCase[] = [];
  const groups = [...byLanguage.values()];
  for (let i = 0; out.length < limit && groups.some((g) => g.length > i); i++)
    for (const g of groups) if (g[i] && out.length < limit) out.push(g[i]!);
  return out.sort((a, b) => (a.pkg + a.file + a.line).localeCompare(b.pkg + b.file + b.line));
}
