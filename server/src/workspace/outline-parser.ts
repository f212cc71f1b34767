/**
 * Builds a file's outline with tree-sitter (the grammars of actions/syntax.ts): top-level
 * functions, classes with their constructor and methods, types and small constants, each with its
 * signature as written and the text a prompt shows. Runs in the indexer, never on a keystroke.
 */
import type { Node } from 'web-tree-sitter';
import { detach } from '../context/identifiers.ts';
import { parseImports } from '../context/imports.ts';
import type { Outline, OutlineSymbol, SymbolKind } from '../context/outline.ts';
import { countTokens } from '../context/tokens.ts';

/** A definition this small is shown whole; a larger one by its signature. */
const SMALL_LINES = 8;
const SMALL_CHARS = 600;
/** Methods listed in a class outline at most (the constructor always comes first). */
const MAX_METHODS = 16;
/** Symbols kept per file at most. */
const MAX_SYMBOLS = 400;

interface Draft {
  name: string;
  kind: SymbolKind;
  container?: string;
  signature: string;
  snippet: string;
  line: number;
}

/**
 * tree-sitter's parse. actions/syntax.ts loads with the first outline (import() stays lazy in the
 * bundle), so an idle server has neither it nor the built-ins it imports.
 */
async function parseTree(languageId: string, text: string) {
  const { parse } = await import('../actions/syntax.ts');
  return parse(languageId, text);
}

export async function parseOutline(path: string, languageId: string, text: string): Promise<Outline> {
  const { imports, reexports } = parseImports(languageId, text);
  const drafts: Draft[] = [];
  const collect = COLLECTORS[languageId];
  // A language without a collector is never parsed (nor its grammar loaded).
  const tree = collect ? await parseTree(languageId, text).catch(() => undefined) : undefined;
  if (tree && collect) {
    try {
      collect(tree.rootNode, text, drafts);
    } finally {
      tree.delete();
    }
  }
  if (languageId === 'go' || languageId === 'rust') attachMethods(drafts, languageId);
  // Copies, so the outline (kept in an LRU) never keeps the parsed text alive.
  const symbols: OutlineSymbol[] = drafts.slice(0, MAX_SYMBOLS).map((d) => ({
    ...d,
    name: detach(d.name),
    signature: detach(d.signature),
    snippet: detach(d.snippet),
    ...(d.container === undefined ? {} : { container: detach(d.container) }),
    tokens: countTokens(d.snippet),
  }));
  return {
    path,
    languageId,
    symbols,
    imports: imports.map((i) => ({ local: detach(i.local), spec: detach(i.spec), imported: detach(i.imported) })),
    reexports: reexports.map((r) => ({
      spec: detach(r.spec),
      ...(r.names === undefined
        ? {}
        : { names: new Map([...r.names].map(([exported, inner]) => [detach(exported), detach(inner)])) }),
    })),
  };
}

type Collector = (root: Node, text: string, out: Draft[]) => void;

const COLLECTORS: Record<string, Collector> = {
  typescript: scriptSymbols,
  typescriptreact: scriptSymbols,
  javascript: scriptSymbols,
  javascriptreact: scriptSymbols,
  python: pythonSymbols,
  go: goSymbols,
  rust: rustSymbols,
};

/** The text of `node` from `start` (a wrapper such as `export`) up to its body, trimmed. */
function head(text: string, start: number, node: Node): string {
  const body = node.childForFieldName('body');
  const end = body ? body.startIndex : node.endIndex;
  return text.slice(start, end).replace(/\s+$/, '');
}

function isSmall(source: string): boolean {
  return source.length <= SMALL_CHARS && source.split('\n').length <= SMALL_LINES;
}

/** A function's prompt text: whole when small, else its signature with an elided body. */
function functionSnippet(
  text: string,
  start: number,
  node: Node,
  python: boolean,
): { signature: string; snippet: string } {
  const whole = text.slice(start, node.endIndex);
  const signature = head(text, start, node);
  if (isSmall(whole)) return { signature, snippet: whole };
  return { signature, snippet: python ? `${signature} ...` : `${signature} { … }` };
}

function indentOf(text: string, at: number): string {
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart, at))?.[0] ?? '';
}

// TypeScript and JavaScript.

function scriptSymbols(root: Node, text: string, out: Draft[]): void {
  for (const statement of root.namedChildren) {
    if (!statement) continue;
    let node: Node = statement;
    const start = statement.startIndex;
    if (node.type === 'export_statement') {
      const declaration =
        node.childForFieldName('declaration') ??
        node.namedChildren.find((c) => c && /declaration|class|function/.test(c.type)) ??
        null;
      if (!declaration) continue;
      node = declaration;
    }
    if (node.type === 'ambient_declaration') node = node.namedChildren[0] ?? node;
    scriptDeclaration(node, start, text, out);
  }
}

function scriptDeclaration(node: Node, start: number, text: string, out: Draft[]): void {
  const name = node.childForFieldName('name')?.text;
  const line = node.startPosition.row;
  switch (node.type) {
    case 'function_declaration':
    case 'generator_function_declaration':
    case 'function_signature': {
      if (!name) return;
      out.push({ name, kind: 'function', line, ...functionSnippet(text, start, node, false) });
      return;
    }
    case 'class_declaration':
    case 'abstract_class_declaration':
    case 'class': {
      if (!name) return;
      const members: { name: string; signature: string }[] = [];
      const body = node.childForFieldName('body');
      for (const member of body?.namedChildren ?? []) {
        if (!member || !/^(method_definition|method_signature|abstract_method_signature)$/.test(member.type)) continue;
        const memberName = member.childForFieldName('name')?.text;
        if (!memberName || memberName.startsWith('#')) continue;
        const signature = head(text, member.startIndex, member).replace(/;$/, '');
        if (/^\s*private\b/.test(signature)) continue;
        members.push({ name: memberName, signature });
        out.push({
          name: memberName,
          kind: 'method',
          container: name,
          line: member.startPosition.row,
          signature,
          snippet: `${signature} { … }`,
        });
      }
      members.sort((a, b) => Number(b.name === 'constructor') - Number(a.name === 'constructor'));
      const signature = head(text, start, node);
      const whole = text.slice(start, node.endIndex);
      const snippet = isSmall(whole)
        ? whole
        : `${signature} {\n${members
            .slice(0, MAX_METHODS)
            .map((m) => `  ${m.signature.replace(/\s*\n\s*/g, ' ')} { … }`)
            .join('\n')}\n}`;
      out.push({ name, kind: 'class', line, signature, snippet });
      return;
    }
    case 'interface_declaration':
    case 'type_alias_declaration':
    case 'enum_declaration': {
      if (!name) return;
      const whole = text.slice(start, node.endIndex);
      const signature = head(text, start, node);
      out.push({
        name,
        kind: 'type',
        line,
        signature,
        snippet: whole.split('\n').length <= 20 ? whole : `${signature} { … }`,
      });
      return;
    }
    case 'lexical_declaration':
    case 'variable_declaration': {
      for (const declarator of node.namedChildren) {
        if (!declarator || declarator.type !== 'variable_declarator') continue;
        const varName = declarator.childForFieldName('name');
        const value = declarator.childForFieldName('value');
        if (!varName || varName.type !== 'identifier') continue;
        if (value && /^(arrow_function|function_expression|function)$/.test(value.type)) {
          const whole = text.slice(start, node.endIndex);
          const body = value.childForFieldName('body');
          const signature =
            text.slice(start, body ? body.startIndex : value.endIndex).replace(/\s*(=>)?\s*$/, '') + ' =>';
          out.push({
            name: varName.text,
            kind: 'function',
            line,
            signature,
            snippet: isSmall(whole) ? whole : `${signature} { … }`,
          });
        } else {
          const whole = text.slice(start, node.endIndex);
          if (whole.length <= 160 && !whole.includes('\n'))
            out.push({ name: varName.text, kind: 'variable', line, signature: whole, snippet: whole });
        }
      }
      return;
    }
  }
}

// Python.

function pythonSymbols(root: Node, text: string, out: Draft[]): void {
  for (const statement of root.namedChildren) {
    if (!statement) continue;
    const start = statement.startIndex;
    const node =
      statement.type === 'decorated_definition' ? (statement.childForFieldName('definition') ?? statement) : statement;
    const name = node.childForFieldName('name')?.text;
    if (!name) continue;
    if (node.type === 'function_definition') {
      out.push({
        name,
        kind: 'function',
        line: node.startPosition.row,
        ...functionSnippet(text, node.startIndex, node, true),
      });
    } else if (node.type === 'class_definition') {
      const members: string[] = [];
      for (const member of node.childForFieldName('body')?.namedChildren ?? []) {
        if (!member) continue;
        const fn = member.type === 'decorated_definition' ? member.childForFieldName('definition') : member;
        if (!fn || fn.type !== 'function_definition') continue;
        const memberName = fn.childForFieldName('name')?.text;
        if (!memberName || (memberName.startsWith('_') && memberName !== '__init__')) continue;
        const signature = head(text, fn.startIndex, fn);
        const line = `${indentOf(text, fn.startIndex)}${signature} ...`;
        if (memberName === '__init__') members.unshift(line);
        else members.push(line);
        out.push({
          name: memberName,
          kind: 'method',
          container: name,
          line: fn.startPosition.row,
          signature,
          snippet: `${signature} ...`,
        });
      }
      const signature = head(text, node.startIndex, node);
      const whole = text.slice(start, node.endIndex);
      out.push({
        name,
        kind: 'class',
        line: node.startPosition.row,
        signature,
        snippet: isSmall(whole) ? whole : `${signature}\n${members.slice(0, MAX_METHODS).join('\n')}`,
      });
    }
  }
  // Module constants (`DEFAULT_TIMEOUT = 5`) are short and often passed as arguments.
  for (const statement of root.namedChildren) {
    if (statement?.type !== 'expression_statement') continue;
    const assignment = statement.namedChildren[0];
    const left = assignment?.type === 'assignment' ? assignment.childForFieldName('left') : undefined;
    const source = statement.text;
    if (left?.type === 'identifier' && source.length <= 160 && !source.includes('\n')) {
      out.push({
        name: left.text,
        kind: 'variable',
        line: statement.startPosition.row,
        signature: source,
        snippet: source,
      });
    }
  }
}

// Go.

function goSymbols(root: Node, text: string, out: Draft[]): void {
  for (const node of root.namedChildren) {
    if (!node) continue;
    if (node.type === 'function_declaration') {
      const name = node.childForFieldName('name')?.text;
      if (name)
        out.push({
          name,
          kind: 'function',
          line: node.startPosition.row,
          ...functionSnippet(text, node.startIndex, node, false),
        });
    } else if (node.type === 'method_declaration') {
      const name = node.childForFieldName('name')?.text;
      const receiver = node.childForFieldName('receiver')?.text ?? '';
      const container = /(\w+)(?:\[[^\]]*\])?\s*\)\s*$/.exec(receiver)?.[1];
      if (name)
        out.push({
          name,
          kind: 'method',
          container,
          line: node.startPosition.row,
          ...functionSnippet(text, node.startIndex, node, false),
        });
    } else if (node.type === 'type_declaration') {
      for (const spec of node.namedChildren) {
        const name = spec?.type === 'type_spec' ? spec.childForFieldName('name')?.text : undefined;
        if (!spec || !name) continue;
        const whole = `type ${text.slice(spec.startIndex, spec.endIndex)}`;
        out.push({
          name,
          kind: 'class',
          line: spec.startPosition.row,
          signature: whole.split('\n')[0]!,
          snippet: whole.split('\n').length <= 20 ? whole : `${whole.split('\n')[0]} … }`,
        });
      }
    }
  }
}

// Rust.

function rustSymbols(root: Node, text: string, out: Draft[]): void {
  for (const node of root.namedChildren) {
    if (!node) continue;
    const name = node.childForFieldName('name')?.text;
    switch (node.type) {
      case 'function_item':
        if (name)
          out.push({
            name,
            kind: 'function',
            line: node.startPosition.row,
            ...functionSnippet(text, node.startIndex, node, false),
          });
        break;
      case 'struct_item':
      case 'enum_item':
      case 'trait_item': {
        if (!name) break;
        const whole = text.slice(node.startIndex, node.endIndex);
        out.push({
          name,
          kind: 'class',
          line: node.startPosition.row,
          signature: head(text, node.startIndex, node),
          snippet: whole.split('\n').length <= 20 ? whole : `${head(text, node.startIndex, node)} { … }`,
        });
        break;
      }
      case 'impl_item': {
        const type = node.childForFieldName('type')?.text.replace(/<.*$/, '');
        for (const member of node.childForFieldName('body')?.namedChildren ?? []) {
          if (member?.type !== 'function_item') continue;
          const memberName = member.childForFieldName('name')?.text;
          if (memberName)
            out.push({
              name: memberName,
              kind: 'method',
              container: type,
              line: member.startPosition.row,
              signature: head(text, member.startIndex, member),
              snippet: `${head(text, member.startIndex, member)} { … }`,
            });
        }
        break;
      }
    }
  }
}

/** Go and Rust types list their methods (constructors such as `new` first) after their own text. */
function attachMethods(drafts: Draft[], languageId: string): void {
  for (const type of drafts) {
    if (type.kind !== 'class') continue;
    const methods = drafts.filter((d) => d.kind === 'method' && d.container === type.name);
    if (methods.length === 0) continue;
    methods.sort((a, b) => Number(b.name === 'new') - Number(a.name === 'new'));
    const lines = methods.slice(0, MAX_METHODS).map((m) => `    ${m.signature.replace(/\s*\n\s*/g, ' ')};`);
    type.snippet +=
      languageId === 'rust'
        ? `\nimpl ${type.name} {\n${lines.join('\n')}\n}`
        : `\n${methods
            .slice(0, MAX_METHODS)
            .map((m) => m.signature.replace(/\s*\n\s*/g, ' '))
            .join('\n')}`;
  }
}
