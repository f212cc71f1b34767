/**
 * The prompts of the code actions. Instructions are byte-stable per action (so OpenAI's prompt
 * cache hits across requests). The input opens with the repository context (definitions from other
 * files the region uses, in a stable order), then the volatile parts — file, surrounding code, the
 * region, the user's instruction, parse errors from a previous try — region last.
 */
import { snippetsText, type PromptSnippet } from '../context/prompt.ts';
import type { ActionName } from './names.ts';
import type { Prepared } from './types.ts';

export const REGION_OPEN = '<region>';
export const REGION_CLOSE = '</region>';

/** Said in every action's instructions: what the `<snippet>` elements opening the input are. */
const CONTEXT_NOTE =
  'The input may open with <snippet> elements: code from other files of the repository (definitions the region uses, an example test file), for reference only, to get names, parameters and types right; never rewrite them or copy them into the answer.';

const REWRITE_RULES = [
  'Reply with the complete new text of the region and nothing else: no Markdown fences, no commentary before or after.',
  'Keep the indentation style and line endings of the original; keep everything the task does not ask to change exactly as it is.',
  'The code around the region is context only: never repeat it.',
  CONTEXT_NOTE,
].join('\n');

const INSTRUCTIONS: Record<Exclude<ActionName, 'generateTests' | 'explain' | 'refactorVariants'>, string> = {
  refactor: [
    'You are a careful senior engineer refactoring code inside an editor.',
    'Rewrite the code between <region> and </region> to be clearer and simpler while keeping its behaviour, its public names and its signatures.',
    REWRITE_RULES,
  ].join('\n'),
  refactorWithInstruction: [
    'You are a careful senior engineer changing code inside an editor as the user asks.',
    "Rewrite the code between <region> and </region> following the user's instruction; change nothing else.",
    REWRITE_RULES,
  ].join('\n'),
  fix: [
    'You are a careful senior engineer fixing one reported problem inside an editor.',
    'Rewrite the code between <region> and </region> so the diagnostic goes away, with the smallest change that fixes its cause. Do not silence it (no casts to any, no ignore comments) unless nothing else can fix it.',
    REWRITE_RULES,
  ].join('\n'),
  document: [
    'You are a careful senior engineer writing documentation comments inside an editor.',
    "Add a doc comment to the declaration between <region> and </region>, or update the one it has so it matches the code. Follow the language's convention named in the input. Describe what the code does, its parameters, return value and errors in a few lines; do not restate the obvious.",
    'Change only comments: every line of code must stay exactly as it is.',
    REWRITE_RULES,
  ].join('\n'),
};

export const EXPLAIN_INSTRUCTIONS = [
  'You are a senior engineer explaining code to a colleague inside their editor.',
  'Explain the code between <region> and </region>: what it does, how, and anything surprising (edge cases, performance, bugs you notice). Use the surrounding code only as context.',
  'Answer in concise Markdown: a one-sentence summary first, then short sections or bullets. Quote code sparingly.',
  CONTEXT_NOTE,
].join('\n');

export const VARIANTS_INSTRUCTIONS = [
  'You are a careful senior engineer refactoring code inside an editor.',
  'Propose distinct alternative rewrites of the code between <region> and </region>, each keeping its behaviour, public names and signatures, and each taking a different approach (e.g. simplest, most idiomatic, most efficient).',
  'Answer in JSON as the schema asks: for each variant a title of at most six words and the complete new text of the region as code (no Markdown fences), keeping the original indentation.',
  CONTEXT_NOTE,
].join('\n');

export const TESTS_INSTRUCTIONS = [
  'You are a careful senior engineer writing unit tests inside an editor.',
  'Write focused unit tests for the code between <region> and </region> with the test framework named in the input: normal cases, edge cases and error cases, each test small and named for the behaviour it checks. Import the code under test from the module path given.',
  'Answer in JSON as the schema asks: `header` holds the lines that belong at the top of the test file (package clause, imports) that the existing test file does not already have, or an empty string; `body` holds the test code that goes after everything in the file. No Markdown fences.',
  CONTEXT_NOTE,
].join('\n');

export function rewriteInstructions(action: ActionName): string {
  if (action === 'generateTests' || action === 'explain' || action === 'refactorVariants')
    throw new Error(`${action} is not a rewrite`);
  return INSTRUCTIONS[action];
}

/** Doc comment conventions by LSP language id. */
const DOC_CONVENTIONS: Record<string, string> = {
  typescript: 'JSDoc (/** … */ above the declaration, @param and @returns tags)',
  typescriptreact: 'JSDoc (/** … */ above the declaration, @param and @returns tags)',
  javascript: 'JSDoc (/** … */ above the declaration, @param {type} and @returns tags)',
  javascriptreact: 'JSDoc (/** … */ above the declaration, @param {type} and @returns tags)',
  python:
    'a PEP 257 docstring (triple double quotes as the first statement of the body; Google style Args/Returns/Raises sections)',
  rust: 'rustdoc (/// lines above the item, Markdown, # Errors / # Panics sections where they apply)',
  go: 'godoc (// comment lines directly above the declaration, starting with the declared name)',
  java: 'Javadoc (/** … */ with @param, @return and @throws)',
  csharp: 'XML documentation comments (/// <summary>, <param>, <returns>)',
  cpp: 'Doxygen (/** … */ or /// with \\brief, \\param, \\return)',
  c: 'Doxygen (/** … */ with \\brief, \\param, \\return)',
  php: 'PHPDoc (/** … */ with @param, @return and @throws)',
  ruby: 'YARD (# comment lines with @param and @return)',
};

export function docConvention(languageId: string): string {
  return DOC_CONVENTIONS[languageId] ?? 'the documentation comment convention usual for this language';
}

/**
 * The shared input layout: repository snippets, then the file, the code around the region, the
 * region; `extra` lines last.
 */
export function regionInput(prepared: Prepared, snippets: readonly PromptSnippet[], extra: string[] = []): string {
  const context = snippets.length > 0 ? `${snippetsText(snippets)}\n` : '';
  return (
    context +
    [
      `File: ${prepared.path}`,
      `Language: ${prepared.doc.languageId}`,
      '',
      'Code before the region:',
      prepared.before,
      'Code after the region:',
      prepared.after,
      '',
      'The region:',
      `${REGION_OPEN}\n${prepared.region}\n${REGION_CLOSE}`,
      ...(extra.length > 0 ? ['', ...extra] : []),
    ].join('\n')
  );
}

/** Feedback appended to a retry after the answer did not parse. */
export function parseFeedback(errors: { line: number; message: string }[]): string {
  const listed = errors.slice(0, 10).map((e) => `- line ${e.line}: ${e.message}`);
  return [
    'Your previous answer does not parse. Syntax errors found:',
    ...listed,
    'Answer again with code that parses.',
  ].join('\n');
}

export const VARIANTS_SCHEMA = {
  name: 'refactor_variants',
  schema: {
    type: 'object',
    properties: {
      variants: {
        type: 'array',
        items: {
          type: 'object',
          properties: { title: { type: 'string' }, code: { type: 'string' } },
          required: ['title', 'code'],
          additionalProperties: false,
        },
      },
    },
    required: ['variants'],
    additionalProperties: false,
  },
};

export const TESTS_SCHEMA = {
  name: 'unit_tests',
  schema: {
    type: 'object',
    properties: { header: { type: 'string' }, body: { type: 'string' } },
    required: ['header', 'body'],
    additionalProperties: false,
  },
};
