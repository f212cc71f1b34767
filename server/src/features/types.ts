/**
 * What every feature receives from the protocol edge, and what it gives back: its own server
 * capabilities (declared only when the client supports them) and its handlers.
 */
import type { ClientCapabilities, Connection, ServerCapabilities } from 'vscode-languageserver';
import type { GhostlineConfig } from '../config/schema.ts';
import type { CompletionEngine } from '../engine/engine.ts';
import type { PromptGuard } from '../engine/guard.ts';
import type { DocumentStore } from '../lsp/documents.ts';
import type { AuditHook, BudgetHook, ProviderLookup } from '../router/router.ts';
import type { Logger } from '../telemetry/logger.ts';
import type { Metrics } from '../telemetry/metrics.ts';

export interface FeatureContext {
  connection: Connection;
  documents: DocumentStore;
  engine: CompletionEngine;
  logger: Logger;
  metrics: Metrics;
  config: () => GhostlineConfig;
  client: () => ClientCapabilities;
  /** Turns a document URI into the path named in prompts (file system path for file: URIs). */
  pathOf: (uri: string) => string;
  /** The provider a route names (for features that call runRouted themselves, e.g. code actions). */
  provider: ProviderLookup;
  workspaceRoot: () => string | undefined;
  guard: () => PromptGuard | undefined;
  /** Project instructions from AGENTS.md files for a file ('' for none), for code actions. */
  guidance: (filePath: string) => Promise<string>;
  /** The audit trail, for features that call runRouted themselves. */
  audit: AuditHook;
  /** Team budgets and rate limit, for features that call runRouted themselves. */
  budget: BudgetHook;
}

export interface Feature {
  readonly name: string;
  capabilities(client: ClientCapabilities, config: GhostlineConfig): Partial<ServerCapabilities>;
  register(context: FeatureContext): void;
}
