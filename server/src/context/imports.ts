/**
 * What a file imports, read from its text with small patterns per language: TypeScript and
 * JavaScript (`import`, `require`, re-exports), Python (`from … import`, `import …`), Go (`import`
 * blocks) and Rust (`mod`, `use crate::/super::/self::`). Pure; resolution to files is done by
 * workspace/resolve.ts.
 */
import type { ImportBinding, Reexport } from './outline.ts';

export interface FileImports {
  imports: ImportBinding[];
  reexports: Reexport[];
}

/** The imports and re-exports of `text` in `languageId`; empty for languages it does not know. */
export function parseImports(languageId: string, text: string): FileImports {
  switch (languageId) {
    case 'typescript':
    case 'typescriptreact':
    case 'javascript':
    case 'javascriptreact':
      return scriptImports(text);
    case 'python': {
      // A module's `from x import a` makes `a` importable from it too (packages re-export this way).
      const imports = pythonImports(text);
      const reexports = new Map<string, Map<string, string>>();
      for (const binding of imports) {
        if (binding.imported === '*' && !binding.spec.startsWith('.') && binding.local === binding.spec) continue;
        const names = reexports.get(binding.spec) ?? new Map<string, string>();
        names.set(binding.local, binding.imported);
        reexports.set(binding.spec, names);
      }
      return { imports, reexports: [...reexports].map(([spec, names]) => ({ spec, names })) };
    }
    case 'go':
      return { imports: goImports(text), reexports: [] };
    case 'rust':
      return { imports: rustImports(text), reexports: [] };
    default:
      return { imports: [], reexports: [] };
  }
}

// Only the head of a file holds imports in practice; bounding the scan keeps huge files cheap.
const HEAD_CHARS = 200_000;

function scriptImports(full: string): FileImports {
  const text = full.slice(0, HEAD_CHARS);
  const imports: ImportBinding[] = [];
  const reexports: Reexport[] = [];
  for (const match of text.matchAll(/(?:^|[;\n])\s*import\s+(?:type\s+)?([^;'"`]*?)\s+from\s+['"]([^'"]+)['"]/g)) {
    const clause = match[1]!.trim();
    const spec = match[2]!;
    const namespace = /\*\s+as\s+([\w$]+)/.exec(clause);
    if (namespace) imports.push({ local: namespace[1]!, spec, imported: '*' });
    const braces = /\{([^}]*)\}/.exec(clause);
    if (braces) for (const [imported, local] of namedList(braces[1]!)) imports.push({ local, spec, imported });
    const head = clause
      .replace(/\{[^}]*\}/, '')
      .replace(/\*\s+as\s+[\w$]+/, '')
      .replace(/,/g, ' ')
      .trim();
    if (/^[\w$]+$/.test(head)) imports.push({ local: head, spec, imported: 'default' });
  }
  for (const match of text.matchAll(
    /(?:const|let|var)\s+(\{[^}]*\}|[\w$]+)\s*=\s*require\(\s*['"]([^'"]+)['"]\s*\)/g,
  )) {
    const target = match[1]!;
    const spec = match[2]!;
    if (target.startsWith('{')) {
      for (const part of target.slice(1, -1).split(',')) {
        const [imported, local] = part.split(':').map((s) => s.trim());
        if (imported) imports.push({ local: local || imported, spec, imported });
      }
    } else imports.push({ local: target, spec, imported: '*' });
  }
  for (const match of text.matchAll(
    /(?:^|[;\n])\s*export\s+(?:type\s+)?(\*|\*\s+as\s+[\w$]+|\{[^}]*\})\s+from\s+['"]([^'"]+)['"]/g,
  )) {
    const clause = match[1]!;
    const spec = match[2]!;
    if (clause === '*') reexports.push({ spec });
    else if (clause.startsWith('{'))
      reexports.push({
        spec,
        names: new Map(namedList(clause.slice(1, -1)).map(([imported, local]) => [local, imported])),
      });
  }
  return { imports, reexports };
}

/** `a, b as c, type d` → [[a, a], [b, c], [d, d]] (imported, local). */
function namedList(list: string): [string, string][] {
  const out: [string, string][] = [];
  for (const raw of list.split(',')) {
    const part = raw.replace(/^\s*type\s+/, '').trim();
    if (!part) continue;
    const [imported, local] = part.split(/\s+as\s+/).map((s) => s.trim());
    if (imported && /^[\w$]+$/.test(imported)) out.push([imported, local && /^[\w$]+$/.test(local) ? local : imported]);
  }
  return out;
}

function pythonImports(full: string): ImportBinding[] {
  const text = full.slice(0, HEAD_CHARS);
  const imports: ImportBinding[] = [];
  for (const match of text.matchAll(/^[ \t]*from[ \t]+(\.*[\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n#;]+)/gm)) {
    const spec = match[1]!;
    const names = match[2]!.replace(/[()\\]/g, ' ');
    for (const raw of names.split(',')) {
      const [imported, local] = raw
        .trim()
        .split(/\s+as\s+/)
        .map((s) => s.trim());
      if (!imported || imported === '*' || !/^\w+$/.test(imported)) continue;
      imports.push({ local: local || imported, spec, imported });
    }
  }
  for (const match of text.matchAll(/^[ \t]*import[ \t]+([^\n#;]+)/gm)) {
    for (const raw of match[1]!.split(',')) {
      const [module, alias] = raw
        .trim()
        .split(/\s+as\s+/)
        .map((s) => s.trim());
      if (!module || !/^[\w.]+$/.test(module)) continue;
      imports.push({ local: alias || module, spec: module, imported: '*' });
    }
  }
  return imports;
}

function goImports(full: string): ImportBinding[] {
  const text = full.slice(0, HEAD_CHARS);
  const imports: ImportBinding[] = [];
  const add = (alias: string | undefined, spec: string) => {
    if (alias === '_' || alias === '.') return;
    const segments = spec.split('/');
    let local = segments.at(-1) ?? spec;
    // example.com/x/v2 is package x.
    if (/^v\d+$/.test(local) && segments.length > 1) local = segments.at(-2)!;
    imports.push({ local: alias ?? local.replace(/[^\w]/g, '_'), spec, imported: '*' });
  };
  for (const match of text.matchAll(/^import\s+(?:([\w.]+)\s+)?"([^"]+)"/gm)) add(match[1], match[2]!);
  for (const block of text.matchAll(/^import\s*\(([^)]*)\)/gm)) {
    for (const line of block[1]!.matchAll(/^\s*(?:([\w.]+)\s+)?"([^"]+)"/gm)) add(line[1], line[2]!);
  }
  return imports;
}

function rustImports(full: string): ImportBinding[] {
  const text = full.slice(0, HEAD_CHARS);
  const imports: ImportBinding[] = [];
  for (const match of text.matchAll(/^\s*(?:pub(?:\([^)]*\))?\s+)?mod\s+(\w+)\s*;/gm))
    imports.push({ local: match[1]!, spec: `mod:${match[1]!}`, imported: '*' });
  for (const match of text.matchAll(
    /^\s*(?:pub(?:\([^)]*\))?\s+)?use\s+((?:crate|super|self)(?:::\w+)*)(?:::\{([^}]*)\}|\s+as\s+(\w+))?\s*;/gm,
  )) {
    const path = match[1]!;
    if (match[2] !== undefined) {
      for (const raw of match[2].split(',')) {
        const [name, alias] = raw
          .trim()
          .split(/\s+as\s+/)
          .map((s) => s.trim());
        if (!name || !/^\w+$/.test(name)) continue;
        if (name === 'self') {
          const parts = path.split('::');
          if (parts.length > 1)
            imports.push({
              local: alias || parts.at(-1)!,
              spec: parts.slice(0, -1).join('::'),
              imported: parts.at(-1)!,
            });
        } else imports.push({ local: alias || name, spec: path, imported: name });
      }
      continue;
    }
    const parts = path.split('::');
    if (parts.length > 1)
      imports.push({ local: match[3] ?? parts.at(-1)!, spec: parts.slice(0, -1).join('::'), imported: parts.at(-1)! });
  }
  return imports;
}
