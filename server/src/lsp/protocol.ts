/**
 * ghostline's own protocol surface, declared once: command ids, custom notifications and the
 * experimental capability clients use to opt in. docs/protocol.md documents each; the client
 * configs in clients/ use these names.
 */

export const SERVER_NAME = 'ghostline';

export const Commands = {
  /** Sent by the client when a suggestion is accepted (the item's `command`). Args: [AcceptArgs]. */
  accept: 'ghostline.accept',
  /** Returns the process's counters (requests, model calls, cache hits, tokens, cost). */
  stats: 'ghostline.stats',
  /** Code actions, for clients without codeAction/resolve (executeCommand + workspace/applyEdit). Args: [ActionArgs]. */
  refactor: 'ghostline.refactor',
  refactorWithInstruction: 'ghostline.refactorWithInstruction',
  refactorVariants: 'ghostline.refactorVariants',
  explain: 'ghostline.explain',
  generateTests: 'ghostline.generateTests',
  fix: 'ghostline.fix',
  document: 'ghostline.document',
} as const;

export type ActionName = 'refactor' | 'refactorWithInstruction' | 'refactorVariants' | 'explain' | 'generateTests' | 'fix' | 'document';

export interface AcceptArgs {
  id: string;
  task: 'completion' | 'inline';
  model: string;
  source: string;
  length: number;
  latencyMs: number;
}

/** Arguments of every code-action command. */
export interface ActionArgs {
  uri: string;
  /** The selection (or the diagnostic's range) in the negotiated encoding. */
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  /** Document version when the action was offered; edits are versioned against it. */
  version: number;
  /** For refactorWithInstruction: the instruction, when the client config fills it (else the server asks). */
  instruction?: string;
  /** For fix: the diagnostic to fix. */
  diagnostic?: { message: string; source?: string; code?: string | number; range: ActionArgs['range'] };
}

/**
 * `ghostline/stream` (server → client notification): model output as it arrives, sent only to
 * clients that opt in with the setting `actions.streaming: true` (e.g. initializationOptions
 * `{"actions": {"streaming": true}}`) or `capabilities.experimental.ghostlineStream: true`.
 */
export const StreamNotification = {
  method: 'ghostline/stream',
} as const;

export interface StreamParams {
  /** One id per action run; all notifications of a run share it. */
  id: string;
  action: ActionName;
  /** Text added since the previous notification ('' on the last). */
  delta: string;
  done: boolean;
  /** On the last notification: the whole text (explanations) or a summary of the edit. */
  final?: string;
  /** On the last notification when the run failed or was cancelled. */
  error?: string;
  /** True when a fallback model starts over: drop the text streamed so far for this id. */
  restart?: boolean;
}

/** The experimental client capability that opts in to `ghostline/stream`. */
export const STREAM_CAPABILITY = 'ghostlineStream';

/** `CodeActionTag.LLMGenerated` (LSP 3.18), set on every action where the client declares tag support. */
export const LLM_GENERATED_TAG = 1;
