/**
 * Connects the router's audit hook to the audit file: turns each model call into one audit line
 * (cost, user, file, redaction count) and keeps the file matching the `safety.audit` settings,
 * reopening it when they change. Off unless enabled or given a file.
 */
import { homedir } from 'node:os';
import path from 'node:path';
import type { AuditHook, CallRecord } from '../router/router.ts';
import type { Usage } from '../providers/types.ts';
import { createAuditLog, type AuditLog, type AuditLogger } from './audit.ts';

export interface AuditSettings {
  enabled?: boolean;
  file?: string;
  retentionDays: number;
  maxBytes: number;
  includeSource: boolean;
  hashPaths: boolean;
}

export interface ResolvedAudit {
  file: string;
  retentionDays: number;
  maxBytes: number;
  includeSource: boolean;
  hashPaths: boolean;
}

/** `$XDG_STATE_HOME/ghostline/audit.jsonl`, else `~/.local/state/ghostline/audit.jsonl` (XDG base directories). */
export function defaultAuditFile(env: NodeJS.ProcessEnv): string {
  const state =
    env.XDG_STATE_HOME && path.isAbsolute(env.XDG_STATE_HOME)
      ? env.XDG_STATE_HOME
      : path.join(homedir(), '.local', 'state');
  return path.join(state, 'ghostline', 'audit.jsonl');
}

/** The audit file settings in force, or undefined when the trail is off. */
export function resolveAudit(settings: AuditSettings, env: NodeJS.ProcessEnv): ResolvedAudit | undefined {
  const enabled = settings.enabled ?? settings.file !== undefined;
  if (!enabled) return undefined;
  const { retentionDays, maxBytes, includeSource, hashPaths } = settings;
  return { file: settings.file ?? defaultAuditFile(env), retentionDays, maxBytes, includeSource, hashPaths };
}

export interface AuditTrailOptions {
  settings: () => ResolvedAudit | undefined;
  user: () => string;
  costOf: (model: string, usage: Usage) => number;
  logger?: AuditLogger;
  /** Hears of every call whether or not the file is on (the dashboard's counters: fallbacks, last error). */
  observe?: (call: CallRecord) => void;
}

export class AuditTrail implements AuditHook {
  private readonly options: AuditTrailOptions;
  private current?: { signature: string; log: AuditLog };
  /** Logs replaced after a settings change, still flushing. */
  private closing: Promise<void>[] = [];

  constructor(options: AuditTrailOptions) {
    this.options = options;
  }

  record(call: CallRecord): void {
    this.options.observe?.(call);
    const log = this.log();
    if (log === undefined) return;
    log.record({
      task: call.task,
      model: call.model,
      reason: call.reason,
      prompt: `${call.instructions}\n\n${call.input}`,
      output: call.output,
      tokensIn: call.usage.inputTokens,
      tokensOut: call.usage.outputTokens,
      tokensCached: call.usage.cachedTokens,
      costUsd: call.outcome === 'cache' ? 0 : this.options.costOf(call.model, call.usage),
      redactions: call.meta?.redactions ?? 0,
      file: call.meta?.file,
      contextFiles: call.meta?.contextFiles,
      user: this.options.user(),
      outcome: call.outcome,
      latencyMs: Math.round(call.latencyMs),
    });
  }

  /** Flushes and closes the file (the process is ending). */
  async close(): Promise<void> {
    const open = this.current;
    this.current = undefined;
    await Promise.all([...this.closing.splice(0), open?.log.close()]);
  }

  /** The open log for the settings in force; a change of settings closes the old file. */
  private log(): AuditLog | undefined {
    const settings = this.options.settings();
    const signature = settings === undefined ? '' : JSON.stringify(settings);
    if (this.current?.signature === signature) return this.current.log;
    if (this.current !== undefined) this.closing.push(this.current.log.close());
    this.current = undefined;
    if (settings === undefined) return undefined;
    const log = createAuditLog({ ...settings, logger: this.options.logger });
    this.current = { signature, log };
    return log;
  }
}
