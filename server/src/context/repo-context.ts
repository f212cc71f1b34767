/**
 * The repository context the completion pipeline puts before the file in its prompt: snippets of
 * other files (definitions, similar open code, recent edits) within the `context` budgets.
 * workspace/repo-context.ts implements it from prepared outlines; the engine only knows this shape.
 */
import type { PromptSnippet } from './prompt.ts';

export interface ContextRequest {
  uri: string;
  path: string;
  languageId: string;
  text: string;
  offset: number;
}

export interface GatheredContext {
  snippets: PromptSnippet[];
  /** o200k tokens of the snippets' text (tags not included). */
  tokens: number;
  /** The files the snippets come from, as named in the prompt (for the audit trail). */
  files: string[];
}

export interface RepoContext {
  /** Synchronous and cheap: reads only what the indexer prepared. */
  gather(request: ContextRequest): GatheredContext;
}

export const NO_CONTEXT: GatheredContext = { snippets: [], tokens: 0, files: [] };
