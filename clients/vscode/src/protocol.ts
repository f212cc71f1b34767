/**
 * The parts of ghostline's protocol (server/src/lsp/protocol.ts) the extension uses, repeated here
 * because the extension is built and packaged on its own; test/e2e/vscode.test.ts checks that the
 * action list and package.json's commands still match the server's.
 */

export const ACTIONS = [
  'refactor',
  'refactorWithInstruction',
  'refactorVariants',
  'explain',
  'generateTests',
  'fix',
  'document',
] as const;
export type ActionName = (typeof ACTIONS)[number];

export const STATS_COMMAND = 'ghostline.stats';
export const STREAM_METHOD = 'ghostline/stream';
export const STREAM_CAPABILITY = 'ghostlineStream';

/** The server command of an action: `ghostline.refactor`, ... */
export function serverCommand(action: ActionName): string {
  return `ghostline.${action}`;
}

/** The extension's palette command of an action; distinct from the server's ids, which vscode-languageclient registers itself. */
export function paletteCommand(action: ActionName): string {
  return `ghostline.vscode.${action}`;
}

export interface LspRange {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

export interface ActionArgs {
  uri: string;
  range: LspRange;
  version: number;
  instruction?: string;
  diagnostic?: { message: string; source?: string; code?: string | number; range: LspRange };
}

export interface StreamParams {
  id: string;
  action: ActionName;
  delta: string;
  done: boolean;
  final?: string;
  error?: string;
  restart?: boolean;
}

/** The counters `ghostline.stats` returns (the ones the status bar reads). */
export interface Stats {
  requests: number;
  cacheHits: number;
  sharedCacheHits?: number;
  typedAheadHits?: number;
  costUsd: number;
  accepted: number;
  shown: number;
}
