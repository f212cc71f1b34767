/**
 * Parses code with tree-sitter (web-tree-sitter and VS Code's prebuilt grammars) to find the
 * declaration around the cursor and to check that generated code parses. Grammars load lazily,
 * once each; a language without a grammar gets `undefined` and callers skip the check.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Language, Parser, type Node, type Tree } from 'web-tree-sitter';

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

let init: Promise<void> | undefined;
const languages = new Map<string, Promise<Language | undefined>>();

function grammarDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@vscode/tree-sitter-wasm/package.json')), 'wasm');
}

export function hasGrammar(languageId: string): boolean {
  return languageId in GRAMMARS;
}

async function language(languageId: string): Promise<Language | undefined> {
  const grammar = GRAMMARS[languageId];
  if (!grammar) return undefined;
  let loading = languages.get(grammar);
  if (!loading) {
    init ??= Parser.init();
    loading = init.then(() => Language.load(join(grammarDir(), `tree-sitter-${grammar}.wasm`)));
    languages.set(grammar, loading);
  }
  return loading;
}

/** Parses text; undefined when the language has no grammar. The caller must delete() the tree. */
export async function parse(languageId: string, text: string): Promise<Tree | undefined> {
  const lang = await language(languageId);
  if (!lang) return undefined;
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
export async function syntaxErrors(languageId: string, text: string, start = 0, end = text.length): Promise<ParseProblem[] | undefined> {
  const tree = await parse(languageId, text);
  if (!tree) return undefined;
  try {
    const errors: ParseProblem[] = [];
    const visit = (node: Node) => {
      if (node.endIndex < start || node.startIndex > end || (!node.hasError && !node.isMissing)) return;
      if (node.isMissing) {
        errors.push({ start: node.startIndex, end: node.endIndex, line: node.startPosition.row + 1, message: `missing ${node.type}` });
        return;
      }
      const before = errors.length;
      for (const child of node.children) visit(child);
      // Report an ERROR node only when no smaller error inside it explains the problem.
      if (node.type === 'ERROR' && errors.length === before) {
        const snippet = text.slice(node.startIndex, Math.min(node.endIndex, node.startIndex + 40)).replace(/\s+/g, ' ');
        errors.push({ start: node.startIndex, end: node.endIndex, line: node.startPosition.row + 1, message: `unexpected \`${snippet}\`` });
      }
    };
    visit(tree.rootNode);
    return errors;
  } finally {
    tree.delete();
  }
}

/** Node types that name a unit worth refactoring, explaining, testing or documenting. */
const DECLARATION = /^(function_declaration|generator_function_declaration|function_definition|function_item|method_definition|method_declaration|constructor_declaration|class_declaration|abstract_class_declaration|class_definition|class|interface_declaration|impl_item|struct_item|enum_item|trait_item|type_declaration|method|singleton_method|module)$/;
/** Wrappers that belong to the declaration they hold (export, decorators, `const f = () => …`). */
const WRAPPER = /^(export_statement|decorated_definition|lexical_declaration|variable_declaration|variable_declarator|arrow_function|function_expression|function)$/;

export interface Declaration {
  start: number;
  end: number;
  /** Where the declaration's leading comments start (equal to start when it has none). */
  commentStart: number;
  /** Where its head ends: the body's first line, and a Python docstring when there is one. */
  headEnd?: number;
}

/** The innermost declaration around offset, wrappers included; undefined without a grammar or a declaration. */
export async function enclosingDeclaration(languageId: string, text: string, offset: number): Promise<Declaration | undefined> {
  const tree = await parse(languageId, text);
  if (!tree) return undefined;
  try {
    let node: Node | null = tree.rootNode.descendantForIndex(Math.max(0, Math.min(offset, text.length - 1)));
    while (node && !isDeclaration(node)) node = node.parent;
    if (!node) return undefined;
    const body = node.childForFieldName('body');
    const first = body?.firstNamedChild;
    const docstring = first?.type === 'expression_statement' && first.firstNamedChild?.type === 'string' ? first : undefined;
    let outer: Node = node;
    while (outer.parent && WRAPPER.test(outer.parent.type)) outer = outer.parent;
    let commentStart = outer.startIndex;
    for (let previous = outer.previousSibling; previous && /comment/.test(previous.type); previous = previous.previousSibling) {
      // A blank line ends the comment block that documents this declaration.
      if (/\n[ \t]*\r?\n/.test(text.slice(previous.endIndex, commentStart))) break;
      commentStart = previous.startIndex;
    }
    const headEnd = docstring ? docstring.endIndex : body ? body.startIndex : undefined;
    return { start: outer.startIndex, end: outer.endIndex, commentStart, ...(headEnd !== undefined ? { headEnd } : {}) };
  } finally {
    tree.delete();
  }
}

function isDeclaration(node: Node): boolean {
  if (DECLARATION.test(node.type)) return true;
  // An arrow function or function expression bound to a name: `const f = () => …`.
  return (node.type === 'arrow_function' || node.type === 'function_expression') && node.parent?.type === 'variable_declarator';
}
