/**
 * Parses code with tree-sitter (web-tree-sitter and VS Code's prebuilt grammars) to find the
 * declaration around the cursor and to check that generated code parses. Grammars load lazily,
 * once each; a language without a grammar gets `undefined` and callers skip the check.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Language, Node, Tree } from 'web-tree-sitter';
import { readAsset } from '../assets.ts';

/** LSP language ids mapped to the grammar files @vscode/tree-sitter-wasm ships. */
const GRAMMARS: Record<string, string> = {
  typescript: 'typescript',
  typescriptreact: 'tsx',
  javascript: 'javascript',
  javascriptreact: 'javascript',
  python: 'python',
  go: 'go',
  rust: 'rust',
  java: 'java',
  csharp: 'c-sharp',
  cpp: 'cpp',
  php: 'php',
  ruby: 'ruby',
  shellscript: 'bash',
  bash: 'bash',
  sh: 'bash',
  css: 'css',
};

type TreeSitter = typeof import('web-tree-sitter');

let runtime: Promise<TreeSitter> | undefined;
const languages = new Map<string, Promise<Language | undefined>>();

/** Where the shipped wasm files live beside the bundle (and in the executable's assets). */
export const TREE_SITTER_ASSETS = 'tree-sitter';

/**
 * A wasm file: shipped beside the bundle or in the executable, else from its npm package when
 * running from the sources.
 */
async function wasm(file: string, inPackage: (resolve: (id: string) => string) => string): Promise<Uint8Array> {
  const shipped = readAsset(`${TREE_SITTER_ASSETS}/${file}`);
  if (shipped) return shipped;
  const require = createRequire(import.meta.url);
  return readFile(join(inPackage(require.resolve), file));
}

/**
 * tree-sitter itself, loaded on the first parse: completion never needs it. The build turns the
 * `import()` into a load of dist/tree-sitter.cjs, a chunk beside the bundle (scripts/build.ts, CHUNKS).
 */
function treeSitter(): Promise<TreeSitter> {
  runtime ??= (async () => {
    const module = await import('web-tree-sitter');
    await module.Parser.init({
      wasmBinary: await wasm('web-tree-sitter.wasm', (resolve) => dirname(resolve('web-tree-sitter'))),
    });
    return module;
  })();
  return runtime;
}

/** The grammar files the build ships (every one GRAMMARS names). */
export function grammarFiles(): string[] {
  return [...new Set(Object.values(GRAMMARS))].map((grammar) => `tree-sitter-${grammar}.wasm`);
}

export function hasGrammar(languageId: string): boolean {
  return languageId in GRAMMARS;
}

async function language(languageId: string): Promise<Language | undefined> {
  const grammar = GRAMMARS[languageId];
  if (!grammar) return undefined;
  let loading = languages.get(grammar);
  if (!loading) {
    // A grammar that cannot load (a broken install) means no syntax check, as for a language without one.
    loading = treeSitter()
      .then(async ({ Language }) =>
        Language.load(
          await wasm(`tree-sitter-${grammar}.wasm`, (resolve) =>
            join(dirname(resolve('@vscode/tree-sitter-wasm/package.json')), 'wasm'),
          ),
        ),
      )
      .catch(() => undefined);
    languages.set(grammar, loading);
  }
  return loading;
}

/** Parses text; undefined when the language has no grammar. The caller must delete() the tree. */
export async function parse(languageId: string, text: string): Promise<Tree | undefined> {
  const lang = await language(languageId);
  if (!lang) return undefined;
  const { Parser } = await treeSitter();
  const parser = new Parser();
  try {
    parser.setLanguage(lang);
    return parser.parse(text) ?? undefined;
  } finally {
    parser.delete();
  }
}

export interface ParseProblem {
  start: number;
  end: number;
  line: number;
  message: string;
}

/** The syntax errors (ERROR and MISSING nodes) that overlap [start, end); undefined without a grammar. */
export async function syntaxErrors(
  languageId: string,
  text: string,
  start = 0,
  end = text.length,
): Promise<ParseProblem[] | undefined> {
  const tree = await parse(languageId, text);
  if (!tree) return undefined;
  try {
    const errors: ParseProblem[] = [];
    const visit = (node: Node) => {
      if (node.endIndex < start || node.startIndex > end || (!node.hasError && !node.isMissing)) return;
      if (node.isMissing) {
        errors.push({
          start: node.startIndex,
          end: node.endIndex,
          line: node.startPosition.row + 1,
          message: `missing ${node.type}`,
        });
        return;
      }
      const before = errors.length;
      for (const child of node.children) visit(child);
      // Report an ERROR node only when no smaller error inside it explains the problem.
      if (node.type === 'ERROR' && errors.length === before) {
        const snippet = text.slice(node.startIndex, Math.min(node.endIndex, node.startIndex + 40)).replace(/\s+/g, ' ');
        errors.push({
          start: node.startIndex,
          end: node.endIndex,
          line: node.startPosition.row + 1,
          message: `unexpected \`${snippet}\``,
        });
      }
    };
    visit(tree.rootNode);
    return errors;
  } finally {
    tree.delete();
  }
}

/** Node types that name a unit worth refactoring, explaining, testing or documenting. */
const DECLARATION =
  /^(function_declaration|generator_function_declaration|function_definition|function_item|method_definition|method_declaration|constructor_declaration|class_declaration|abstract_class_declaration|class_definition|class|interface_declaration|impl_item|struct_item|enum_item|trait_item|type_declaration|method|singleton_method|module)$/;
/** Wrappers that belong to the declaration they hold (export, decorators, `const f = () => …`). */
const WRAPPER =
  /^(export_statement|decorated_definition|lexical_declaration|variable_declaration|variable_declarator|arrow_function|function_expression|function)$/;

export interface Declaration {
  start: number;
  end: number;
  /** Where the declaration's leading comments start (equal to start when it has none). */
  commentStart: number;
  /** Where its head ends: the body's first line, and a Python docstring when there is one. */
  headEnd?: number;
}

/** The innermost declaration around offset, wrappers included; undefined without a grammar or a declaration. */
export async function enclosingDeclaration(
  languageId: string,
  text: string,
  offset: number,
): Promise<Declaration | undefined> {
  const tree = await parse(languageId, text);
  if (!tree) return undefined;
  try {
    let node: Node | null = tree.rootNode.descendantForIndex(Math.max(0, Math.min(offset, text.length - 1)));
    while (node && !isDeclaration(node)) node = node.parent;
    if (!node) return undefined;
    const body = node.childForFieldName('body');
    const first = body?.firstNamedChild;
    const docstring =
      first?.type === 'expression_statement' && first.firstNamedChild?.type === 'string' ? first : undefined;
    let outer: Node = node;
    while (outer.parent && WRAPPER.test(outer.parent.type)) outer = outer.parent;
    let commentStart = outer.startIndex;
    for (
      let previous = outer.previousSibling;
      previous && /comment/.test(previous.type);
      previous = previous.previousSibling
    ) {
      // A blank line ends the comment block that documents this declaration.
      if (/\n[ \t]*\r?\n/.test(text.slice(previous.endIndex, commentStart))) break;
      commentStart = previous.startIndex;
    }
    const headEnd = docstring ? docstring.endIndex : body ? body.startIndex : undefined;
    return {
      start: outer.startIndex,
      end: outer.endIndex,
      commentStart,
      ...(headEnd !== undefined ? { headEnd } : {}),
    };
  } finally {
    tree.delete();
  }
}

function isDeclaration(node: Node): boolean {
  // The root is the whole file (Python's `module`), never a unit to work on without asking.
  if (!node.parent) return false;
  if (DECLARATION.test(node.type)) return true;
  // An arrow function or function expression bound to a name: `const f = () => …`.
  return (
    (node.type === 'arrow_function' || node.type === 'function_expression') &&
    node.parent?.type === 'variable_declarator'
  );
}

/** Containers whose named children are statements: the file itself and the blocks of each grammar. */
const STATEMENT_LIST =
  /^(program|module|source_file|translation_unit|compilation_unit|block|statement_block|compound_statement|declaration_list|class_body|field_declaration_list|statement_list|body_statement|do_block|switch_body|switch_case|switch_default|case_clause|default_clause|expression_case|type_case|communication_case|else_clause|finally_clause)$/;

/**
 * The statement around offset, for a cursor in no declaration: the outermost statement that holds
 * the cursor and has at most `maxLines` lines (never the file itself), else the innermost one. On a
 * blank line or a comment between statements, the nearest statement of that block, below first.
 * Undefined without a grammar or when there is no statement.
 */
export async function enclosingStatement(
  languageId: string,
  text: string,
  offset: number,
  maxLines: number,
): Promise<{ start: number; end: number } | undefined> {
  const tree = await parse(languageId, text);
  if (!tree) return undefined;
  try {
    const at = Math.max(0, Math.min(offset, text.length - 1));
    const lines = (node: Node) => node.endPosition.row - node.startPosition.row + 1;
    const leaf = tree.rootNode.descendantForIndex(at);
    const statements: Node[] = [];
    for (let node: Node | null = leaf; node?.parent; node = node.parent) {
      if (node.isNamed && !/comment/.test(node.type) && STATEMENT_LIST.test(node.parent.type)) statements.push(node);
    }
    if (statements.length > 0) {
      const chosen = statements.filter((node) => lines(node) <= maxLines).at(-1) ?? statements[0]!;
      return { start: chosen.startIndex, end: chosen.endIndex };
    }
    let container: Node | null = leaf;
    while (container && !STATEMENT_LIST.test(container.type)) container = container.parent;
    const row = rowOf(text, offset);
    let nearest: Node | undefined;
    let nearestDistance = Infinity;
    for (const child of container?.namedChildren ?? []) {
      if (!child || /comment/.test(child.type)) continue;
      // A statement below is preferred at equal distance: a blank line or comment introduces what follows.
      const distance =
        child.startPosition.row >= row ? child.startPosition.row - row : row - child.endPosition.row + 0.5;
      if (distance < nearestDistance) {
        nearest = child;
        nearestDistance = distance;
      }
    }
    return nearest ? { start: nearest.startIndex, end: nearest.endIndex } : undefined;
  } finally {
    tree.delete();
  }
}

function rowOf(text: string, offset: number): number {
  let row = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) row++;
  return row;
}
