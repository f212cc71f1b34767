/**
 * What the code-action runners need and what they give back. Outcomes are values (an edit, a text,
 * variants, a refusal with its message, cancelled); only the protocol edge turns them into LSP.
 */
import type { GhostlineConfig } from '../config/schema.ts';
import type { PromptGuard } from '../engine/guard.ts';
import type { OpenDocument } from '../lsp/documents.ts';
import type { ActionArgs, ActionName } from '../lsp/protocol.ts';
import type { AuditHook, BudgetHook, ProviderLookup } from '../router/router.ts';
import type { Logger } from '../telemetry/logger.ts';
import type { Metrics } from '../telemetry/metrics.ts';
import type { TextChange } from './diff.ts';

export interface ActionDeps {
  config: () => GhostlineConfig;
  provider: ProviderLookup;
  logger: Logger;
  metrics: Metrics;
  documents: { get(uri: string): OpenDocument | undefined; offsetAt(uri: string, position: { line: number; character: number }): number | undefined };
  pathOf: (uri: string) => string;
  workspaceRoot: () => string | undefined;
  guard?: () => PromptGuard | undefined;
  /** Project instructions from the AGENTS.md files between the workspace root and this file ('' for none). */
  guidance?: (filePath: string) => Promise<string>;
  /** Hears of every model call, for the audit trail. */
  audit?: AuditHook;
  /** Team budgets and the shared rate limit, applied to every action's model call. */
  budget?: BudgetHook;
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
