/**
 * ghostline's own protocol surface, declared once: command ids and custom methods. docs/protocol.md
 * documents each; clients in clients/ use these names.
 */

export const Commands = {
  /** Sent by the client when a suggestion is accepted (the item's `command`). Args: [AcceptArgs]. */
  accept: 'ghostline.accept',
  /** Returns the process's counters (requests, model calls, cache hits, tokens, cost). */
  stats: 'ghostline.stats',
} as const;

export interface AcceptArgs {
  id: string;
  task: 'completion' | 'inline';
  model: string;
  source: string;
  length: number;
  latencyMs: number;
}

export const SERVER_NAME = 'ghostline';
