/**
 * ghostline's own protocol surface, declared once: command ids, custom notifications and the
 * experimental capability clients use to opt in. docs/protocol.md documents each; the client
 * configs in clients/ use these names.
 */

import { ACTION_NAMES, type ActionName, type StreamEvent } from '../features/types.ts';

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

export type { AcceptArgs, ActionArgs, ActionName } from '../features/types.ts';

/** The action commands, in the order their ids are advertised. */
export const ACTION_COMMANDS: readonly string[] = ACTION_NAMES.map((action) => Commands[action]);

/** The action a command id runs, if it is an action command. */
export function actionOfCommand(command: string): ActionName | undefined {
  return ACTION_NAMES.find((action) => Commands[action] === command);
}

/**
 * `ghostline/stream` (server → client notification): model output as it arrives, sent only to
 * clients that opt in with the setting `actions.streaming: true` (e.g. initializationOptions
 * `{"actions": {"streaming": true}}`) or `capabilities.experimental.ghostlineStream: true`.
 */
export const StreamNotification = {
  method: 'ghostline/stream',
} as const;

/** One `ghostline/stream` notification: `id` groups a run, `restart` voids the text streamed so far. */
export type StreamParams = StreamEvent;

/** The experimental client capability that opts in to `ghostline/stream`. */
export const STREAM_CAPABILITY = 'ghostlineStream';

/** `CodeActionTag.LLMGenerated` (LSP 3.18), set on every action where the client declares tag support. */
export const LLM_GENERATED_TAG = 1;
