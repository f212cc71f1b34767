/**
 * The completion pipeline's request, outcome and dependencies, shared by engine.ts (the flow) and
 * answers.ts (where answers come from), so neither imports the other.
 */
import type { UsageEvents } from '../usage/recorder.ts';
import type { CacheStore, TeamTier } from '../cache/types.ts';
import type { MemoryCache } from '../cache/memory.ts';
import type { ModelCalls } from '../calls/model-calls.ts';
import type { GhostlineConfig } from '../config/schema.ts';
import type { ProviderError } from '../providers/types.ts';
import type { AuditHook } from '../router/router.ts';
import type { Logger } from '../telemetry/logger.ts';
import type { Metrics } from '../telemetry/metrics.ts';
import type { RepoContext } from '../context/repo-context.ts';

export interface SuggestRequest {
  uri: string;
  /** File system path (or the URI) named in the prompt. */
  path: string;
  languageId: string;
  version: number;
  /** Document text (UTF-16 string) and the cursor offset in it. */
  text: string;
  offset: number;
  task: 'completion' | 'inline';
  /** Automatic triggers are debounced; invoked ones run at once. */
  automatic: boolean;
  /** The LSP request's cancellation as a signal. */
  signal: AbortSignal;
}

export type SuggestOutcome =
  | { kind: 'ok'; text: string; source: 'model' | 'cache' | 'typed-ahead'; model: string; latencyMs: number }
  | { kind: 'empty'; reason: string }
  | { kind: 'cancelled' }
  | { kind: 'superseded' }
  | { kind: 'stale' };

export interface EngineDeps {
  config: () => GhostlineConfig;
  logger: Logger;
  metrics: Metrics;
  memory: MemoryCache;
  /** Every model call: guard, router, budgets, audit, accounting. */
  calls: ModelCalls;
  /** The team's Redis tier (shared cache, cross-process single-flight, statistics), when configured. */
  team: () => (TeamTier & { cache: CacheStore }) | undefined;
  /** Hears of every answer served from a cache (model calls reach it through the router). */
  audit: AuditHook;
  /** The dashboard's daily counters: what cached answers saved, when no team tier keeps it. */
  usage?: UsageEvents;
  /** Snippets of other files of the repository for the prompt (workspace/repo-context.ts), optional. */
  context?: RepoContext;
  /** The current version of a document, to drop answers for text that moved on (undefined: untracked). */
  currentVersion: (uri: string) => number | undefined;
  /**
   * performance.now() of the document's last change (undefined: unknown): the debounce waits
   * until `completion.debounceMs` passed since then, not since the request arrived.
   */
  lastChange?: (uri: string) => number | undefined;
  /** The median gap between the document's recent changes while typing: the adaptive debounce follows it. */
  typingGap?: (uri: string) => number | undefined;
  /** Whether the document's last change was the first since it opened or after a pause (a burst starts). */
  startsBurst?: (uri: string) => boolean;
  /** Called once per problem the user should hear about (no key, quota); the caller de-duplicates. */
  notify?: (problem: ProviderError) => void;
  /**
   * Tells the user that the model stalls or is unreachable, and that it answers again: the engine
   * calls it on each change of state only.
   */
  health?: (severity: 'warning' | 'info', message: string) => void;
}
