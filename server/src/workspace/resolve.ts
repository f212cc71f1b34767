/**
 * Resolves what a file imports to files in the workspace: TypeScript/JavaScript relative imports
 * (with `.js` written for `.ts`, index files) and tsconfig `paths` aliases, Python relative and
 * package imports, Go packages of the current module (go.mod), Rust `mod` and `use crate::/
 * super::/self::`. Only files inside the workspace root (or the file's own tree when there is no
 * root) are returned; package dependencies are never followed.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ImportBinding } from '../context/outline.ts';
import type { ResolvedBinding } from '../context/definitions.ts';

export interface ResolverOptions {
  /** Workspace root; resolution never leaves it. */
  root: () => string | undefined;
}

const SCRIPT_EXTENSIONS = ['.ts', '.tsx', '.d.ts', '.js', '.jsx', '.mjs', '.cjs', '.mts', '.cts'];

export class ImportResolver {
  private readonly options: ResolverOptions;
  /** Existence checks and small config files, cached: the same directories are asked again and again. */
  private readonly files = new Map<string, boolean>();
  private readonly configs = new Map<string, unknown>();

  constructor(options: ResolverOptions) {
    this.options = options;
  }

  /** Forgets cached file-system facts (a file was created or deleted). */
  clear(): void {
    this.files.clear();
    this.configs.clear();
  }

  private isFile(file: string): boolean {
    let known = this.files.get(file);
    if (known === undefined) {
      known = statSync(file, { throwIfNoEntry: false })?.isFile() ?? false;
      if (this.files.size > 20_000) this.files.clear();
      this.files.set(file, known);
    }
    return known;
  }

  private inside(file: string, from: string): boolean {
    const root = this.options.root() ?? path.dirname(from);
    const relative = path.relative(root, file);
    return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
  }

  private first(candidates: string[], from: string): string | undefined {
    return candidates.find((c) => this.inside(c, from) && this.isFile(c));
  }

  /** Resolves one import binding of the file at `from`; undefined when it leaves the workspace. */
  binding(from: string, languageId: string, binding: ImportBinding): ResolvedBinding | undefined {
    switch (languageId) {
      case 'typescript':
      case 'typescriptreact':
      case 'javascript':
      case 'javascriptreact': {
        const file = this.script(from, binding.spec);
        return file ? { paths: [file], imported: binding.imported } : undefined;
      }
      case 'python':
        return this.python(from, binding);
      case 'go': {
        const files = this.goPackage(from, binding.spec);
        return files.length > 0 ? { paths: files, imported: '*' } : undefined;
      }
      case 'rust':
        return this.rust(from, binding);
      default:
        return undefined;
    }
  }

  /** Files whose names are in scope without an import: the other files of a Go package. */
  unqualified(from: string, languageId: string): string[] {
    if (languageId !== 'go') return [];
    return this.goFiles(path.dirname(from), from.endsWith('_test.go')).filter((f) => f !== from);
  }

  /** The file a re-export's module specifier names, in the language of the re-exporting file. */
  module(from: string, spec: string): string | undefined {
    if (from.endsWith('.py')) return this.pythonModule(from, spec);
    return this.script(from, spec);
  }

  /** A TypeScript/JavaScript module specifier (relative, or a tsconfig `paths` alias). */
  script(from: string, spec: string): string | undefined {
    if (spec.startsWith('.') || spec.startsWith('/'))
      return this.scriptFile(path.resolve(path.dirname(from), spec), from);
    for (const target of this.aliasTargets(from, spec)) {
      const found = this.scriptFile(target, from);
      if (found) return found;
    }
    return undefined;
  }

  private scriptFile(base: string, from: string): string | undefined {
    const candidates = [base];
    const swapped = base.replace(/\.(m|c)?jsx?$/, (_, kind: string | undefined) => `.${kind ?? ''}ts`);
    if (swapped !== base) candidates.push(swapped, swapped.replace(/\.ts$/, '.tsx'));
    for (const ext of SCRIPT_EXTENSIONS) candidates.push(base + ext);
    for (const ext of SCRIPT_EXTENSIONS) candidates.push(path.join(base, `index${ext}`));
    return this.first(
      candidates.filter((c) => !/\.json$/.test(c)),
      from,
    );
  }

  /** tsconfig/jsconfig `compilerOptions.paths` targets for an aliased specifier, nearest config first. */
  private aliasTargets(from: string, spec: string): string[] {
    const config = this.nearest(from, ['tsconfig.json', 'jsconfig.json']);
    if (!config) return [];
    const json = this.readJson(config) as
      | { compilerOptions?: { baseUrl?: string; paths?: Record<string, string[]> } }
      | undefined;
    const options = json?.compilerOptions;
    if (!options?.paths) return [];
    const base = path.resolve(path.dirname(config), options.baseUrl ?? '.');
    const out: string[] = [];
    for (const [pattern, targets] of Object.entries(options.paths)) {
      const star = pattern.indexOf('*');
      let rest: string | undefined;
      if (star === -1) rest = pattern === spec ? '' : undefined;
      else if (
        spec.startsWith(pattern.slice(0, star)) &&
        spec.endsWith(pattern.slice(star + 1)) &&
        spec.length >= pattern.length - 1
      ) {
        rest = spec.slice(star, spec.length - (pattern.length - star - 1));
      }
      if (rest === undefined) continue;
      for (const target of targets ?? []) out.push(path.resolve(base, target.replace('*', rest)));
    }
    return out;
  }

  /** The nearest file of one of `names` in the folders from `from` up to the workspace root. */
  private nearest(from: string, names: string[]): string | undefined {
    const root = this.options.root();
    let dir = path.dirname(from);
    for (let i = 0; i < 32; i++) {
      for (const name of names) {
        const candidate = path.join(dir, name);
        if (this.isFile(candidate)) return candidate;
      }
      if (dir === root) return undefined;
      const parent = path.dirname(dir);
      if (parent === dir) return undefined;
      dir = parent;
    }
    return undefined;
  }

  private readJson(file: string): unknown {
    if (this.configs.has(file)) return this.configs.get(file);
    let value: unknown;
    try {
      // tsconfig allows comments and trailing commas.
      const text = readFileSync(file, 'utf8')
        .replace(/\/\*[\s\S]*?\*\/|(^|[^:"'])\/\/.*$/gm, '$1')
        .replace(/,(\s*[}\]])/g, '$1');
      value = JSON.parse(text);
    } catch {
      value = undefined;
    }
    this.configs.set(file, value);
    return value;
  }

  // Python.

  private python(from: string, binding: ImportBinding): ResolvedBinding | undefined {
    const module = this.pythonModule(from, binding.spec);
    if (binding.imported === '*') return module ? { paths: [module], imported: '*' } : undefined;
    // `from pkg import mod` imports a submodule when pkg/mod.py exists.
    const packageDir =
      module && path.basename(module) === '__init__.py'
        ? path.dirname(module)
        : this.pythonPackageDir(from, binding.spec);
    if (packageDir) {
      const submodule = this.first(
        [path.join(packageDir, `${binding.imported}.py`), path.join(packageDir, binding.imported, '__init__.py')],
        from,
      );
      if (submodule) return { paths: [submodule], imported: '*' };
    }
    return module ? { paths: [module], imported: binding.imported } : undefined;
  }

  /** The folder a relative spec made only of dots names (`.` or `..`), where `__init__.py` may be missing. */
  private pythonPackageDir(from: string, spec: string): string | undefined {
    const dots = /^\.+$/.exec(spec)?.[0].length;
    if (dots === undefined) return undefined;
    let dir = path.dirname(from);
    for (let i = 1; i < dots; i++) dir = path.dirname(dir);
    return dir;
  }

  private pythonModule(from: string, spec: string): string | undefined {
    const dots = /^\.*/.exec(spec)![0].length;
    const parts = spec.slice(dots).split('.').filter(Boolean);
    const files = (base: string) =>
      parts.length === 0
        ? [path.join(base, '__init__.py')]
        : [path.join(base, ...parts) + '.py', path.join(base, ...parts, '__init__.py')];
    if (dots > 0) {
      let dir = path.dirname(from);
      for (let i = 1; i < dots; i++) dir = path.dirname(dir);
      return this.first(files(dir), from);
    }
    // Absolute: the package may sit in any folder from the file's up to the workspace root (or src/).
    const root = this.options.root();
    let dir = path.dirname(from);
    for (let i = 0; i < 32; i++) {
      const found = this.first(files(dir), from);
      if (found) return found;
      if (dir === root || path.dirname(dir) === dir) break;
      dir = path.dirname(dir);
    }
    return root ? this.first(files(path.join(root, 'src')), from) : undefined;
  }

  // Go.

  private goPackage(from: string, spec: string): string[] {
    const goMod = this.nearest(from, ['go.mod']);
    if (!goMod) return [];
    let module = this.configs.get(goMod) as string | undefined;
    if (module === undefined) {
      try {
        module = /^module\s+(\S+)/m.exec(readFileSync(goMod, 'utf8'))?.[1] ?? '';
      } catch {
        module = '';
      }
      this.configs.set(goMod, module);
    }
    if (!module || (spec !== module && !spec.startsWith(`${module}/`))) return [];
    const dir = path.join(path.dirname(goMod), spec.slice(module.length));
    return this.inside(path.join(dir, 'x.go'), from) ? this.goFiles(dir, false) : [];
  }

  private goFiles(dir: string, tests: boolean): string[] {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return [];
    }
    return names
      .filter((name) => name.endsWith('.go') && (tests || !name.endsWith('_test.go')))
      .sort()
      .slice(0, 64)
      .map((name) => path.join(dir, name));
  }

  // Rust.

  private rust(from: string, binding: ImportBinding): ResolvedBinding | undefined {
    if (binding.spec.startsWith('mod:')) {
      const file = this.rustModuleFile(this.rustChildDir(from), [binding.imported], from);
      return file ? { paths: [file], imported: '*' } : undefined;
    }
    const parts = binding.spec.split('::');
    let dir: string | undefined;
    if (parts[0] === 'crate') {
      const cargo = this.nearest(from, ['Cargo.toml']);
      dir = cargo ? path.join(path.dirname(cargo), 'src') : undefined;
    } else if (parts[0] === 'self') dir = this.rustChildDir(from);
    else if (parts[0] === 'super') dir = path.dirname(this.rustChildDir(from));
    if (dir === undefined) return undefined;
    const rest = parts.slice(1);
    // The imported name may itself be a module (use crate::a::b; then b::f()).
    const asModule = this.rustModuleFile(dir, [...rest, binding.imported], from);
    if (asModule) return { paths: [asModule], imported: '*' };
    const file =
      rest.length === 0
        ? this.first(['lib.rs', 'main.rs', 'mod.rs'].map((n) => path.join(dir, n)).concat(`${dir}.rs`), from)
        : this.rustModuleFile(dir, rest, from);
    return file ? { paths: [file], imported: binding.imported } : undefined;
  }

  /** The folder holding the child modules of the module in file `from`. */
  private rustChildDir(from: string): string {
    const base = path.basename(from);
    return base === 'mod.rs' || base === 'lib.rs' || base === 'main.rs'
      ? path.dirname(from)
      : from.replace(/\.rs$/, '');
  }

  private rustModuleFile(dir: string, parts: string[], from: string): string | undefined {
    if (parts.length === 0) return undefined;
    return this.first([path.join(dir, ...parts) + '.rs', path.join(dir, ...parts, 'mod.rs')], from);
  }
}
