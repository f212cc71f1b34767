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

/** What a code action asks for: context for one region of a document, within its own budget. */
export interface RegionContextRequest {
  uri: string;
  path: string;
  languageId: string;
  text: string;
  /** The region, as UTF-16 offsets into `text`. */
  start: number;
  end: number;
  /** Budget of all snippets together, their `<snippet>` frames included (o200k tokens). */
  maxTokens: number;
  /**
   * Test generation: the test file the tests go to. When it does not exist yet, a neighbouring
   * test file shows the repository's conventions (imports, naming, fixtures).
   */
  testPath?: string;
}

/**
 * Repository context for code actions: definitions of what the region uses, found through the
 * file's imports like completion's, read and parsed on demand (an action is not on the keystroke
 * path). workspace/region-context.ts implements it.
 */
export interface RegionContext {
  gather(request: RegionContextRequest): Promise<GatheredContext>;
}
