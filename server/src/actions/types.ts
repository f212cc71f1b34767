/**
 * What the code-action runners need and what they give back. Outcomes are values (an edit, a text,
 * variants, a refusal with its message, cancelled); only the protocol edge turns them into LSP.
 */
import type { ModelCalls } from '../calls/model-calls.ts';
import type { GhostlineConfig } from '../config/schema.ts';
import type { RegionContext } from '../context/repo-context.ts';
import type { Logger } from '../telemetry/logger.ts';
import type { TextChange } from './diff.ts';
import type { ActionName } from './names.ts';
import type { Span } from './target.ts';

/** A position in the client's negotiated encoding (zero-based line and column). */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** An open document as the editor has it now. */
export interface OpenDocument {
  uri: string;
  languageId: string;
  version: number;
  text: string;
  /** A NUL byte marks a binary file: no suggestions are offered there. */
  binary: boolean;
}

/** The open documents; positions are converted from the negotiated encoding to UTF-16 offsets. */
export interface DocumentView {
  get(uri: string): OpenDocument | undefined;
  /** The UTF-16 offset of a client position, or undefined when the line does not exist. */
  offsetAt(uri: string, position: Position): number | undefined;
  /** A UTF-16 offset back to a client position. */
  positionAt(uri: string, offset: number): Position | undefined;
  readonly size: number;
}

export { ACTION_NAMES, isActionName, type ActionName } from './names.ts';

/** Arguments of every code-action command. */
export interface ActionArgs {
  uri: string;
  /** The selection (or the diagnostic's range) in the negotiated encoding. */
  range: Range;
  /** Document version when the action was offered; edits are versioned against it. */
  version: number;
  /** For refactorWithInstruction: the instruction, when the client config fills it (else the server asks). */
  instruction?: string;
  /** For fix: the diagnostic to fix. */
  diagnostic?: { message: string; source?: string; code?: string | number; range: Range };
}

/** What every runner starts from: the document as the model will see it and the region to work on. */
export interface Prepared {
  doc: OpenDocument;
  path: string;
  span: Span;
  region: string;
  before: string;
  after: string;
}

export interface ActionDeps {
  config: () => GhostlineConfig;
  logger: Logger;
  /** Every model call: guard, router, budgets, audit trail, accounting. */
  calls: ModelCalls;
  documents: DocumentView;
  pathOf: (uri: string) => string;
  workspaceRoot: () => string | undefined;
  /** Project instructions from the AGENTS.md files between the workspace root and this file ('' for none). */
  guidance: (filePath: string) => Promise<string>;
  /** Repository context (definitions the region uses); absent: the file alone. */
  context?: RegionContext;
}

/** Where a run's output goes while the model works: progress, and stream deltas for opted-in clients. */
export interface RunSink {
  /** Progress text, e.g. "received 120 characters" (the sink throttles). */
  progress(message: string): void;
  /** Model text as it arrives (only for answers that are code or prose, not JSON). */
  delta(text: string): void;
  /** A fallback model starts over: text streamed so far is void. */
  restart(): void;
}

export interface ActionRequest {
  action: ActionName;
  args: ActionArgs;
  signal: AbortSignal;
  sink: RunSink;
}

/**
 * Edits to one file, computed against `baseText` (the text the model saw). `version` is the
 * document version of baseText, or null for a file the editor does not have open.
 */
export interface FileEdit {
  uri: string;
  version: number | null;
  baseText: string;
  changes: TextChange[];
  /** The file does not exist yet: create it first. */
  create: boolean;
}

export type ActionOutcome =
  | { kind: 'edit'; files: FileEdit[]; summary: string; model: string }
  | { kind: 'text'; text: string; model: string }
  | { kind: 'variants'; variants: { title: string; code: string; files: FileEdit[] }[]; model: string }
  | { kind: 'refused'; message: string; severity: 'error' | 'warning' | 'info' }
  | { kind: 'cancelled' };

export function refused(message: string, severity: 'error' | 'warning' | 'info' = 'warning'): ActionOutcome {
  return { kind: 'refused', message, severity };
}
