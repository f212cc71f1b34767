/**
 * Builds ghostline's services from configuration — logger, providers, caches (memory and the team's
 * Redis tier), budgets, the completion engine — for every front end: the LSP server,
 * `ghostline complete`, `ghostline doctor` and `ghostline stats`.
 */
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { BUDGET_HARD_CAP, BudgetGate } from './budget/gate.ts';
import { MemorySpendStore } from './budget/memory-store.ts';
import { MemoryCache } from './cache/memory.ts';
import { createRedisTier, type RedisTier } from './cache/redis-tier.ts';
import { checkPolicy, modelInfo } from './router/policy.ts';
import { ConfigStore, formatProblems, type ConfigProblem } from './config/store.ts';
import { clientLayer, environmentLayer, fileLayer, TEAM_FILE, userConfigPath, type RawLayer } from './config/sources.ts';
import type { GhostlineConfig, ProviderConfig } from './config/schema.ts';
import { CompletionEngine } from './engine/engine.ts';
import type { PromptGuard } from './engine/guard.ts';
import { createOpenAIProvider } from './providers/openai-provider.ts';
import { ProviderError, type ModelProvider } from './providers/types.ts';
import { createLogger, type Logger } from './telemetry/logger.ts';
import { createMetrics, estimateCost, type Metrics } from './telemetry/metrics.ts';
import { CURSOR_MARKER } from './context/prompt.ts';
import { countTokens } from './context/tokens.ts';
import { AuditTrail, resolveAudit } from './safety/audit-trail.ts';
import { createPromptGuard } from './safety/guard.ts';
import { loadGuidance } from './safety/guidance.ts';

export interface AppOptions {
  env: NodeJS.ProcessEnv;
  /** Workspace root for the team file; may be set later (initialize). */
  workspaceRoot?: string;
  logFile?: string;
  logger?: Logger;
  /** Reports problems the user must hear about (config errors, no key); de-duplicated here. */
  report?: (severity: 'error' | 'warning' | 'info', message: string) => void;
  /** Connect to the team's Redis when configured (default true; `ghostline stats` opens its own). */
  connectRedis?: boolean;
}

/** Said once when the default provider has no credentials, at start or on the first call. */
export const NO_API_KEY_MESSAGE =
  'ghostline: no API key. Set OPENAI_API_KEY (or providers.openai.apiKey), or point providers.openai.baseUrl at a local OpenAI-compatible server. Suggestions stay empty until then.';

/** Apps of this process, so one-shot shell commands can close their connections and exit. */
const openApps = new Set<App>();

export async function closeAllApps(): Promise<void> {
  await Promise.all([...openApps].map((app) => app.close()));
}

export class App {
  readonly configStore = new ConfigStore(checkPolicy);
  readonly metrics: Metrics = createMetrics();
  readonly memory: MemoryCache;
  readonly engine: CompletionEngine;
  /** Budgets and the team rate limit, for every routed model call (pass it to runRouted). */
  readonly budget: BudgetGate;
  logger: Logger;
  /** Exclusion, redaction and output scrubbing around every model call (safety/guard.ts). */
  readonly guard: PromptGuard;
  /** The audit trail: one JSON line per model call, when `safety.audit` turns it on. */
  readonly audit: AuditTrail;
  private readonly options: AppOptions;
  private readonly clientLayers = new Map<string, RawLayer>();
  private readonly providers = new Map<string, { signature: string; provider: ModelProvider }>();
  private readonly reported = new Set<string>();
  private readonly localSpend = new MemorySpendStore();
  private redis?: { signature: string; tier?: RedisTier };
  workspaceRoot?: string;
  /** The protocol edge sets this to its document store; undefined means "not tracked". */
  versionOf: (uri: string) => number | undefined = () => undefined;

  constructor(options: AppOptions) {
    this.options = options;
    this.workspaceRoot = options.workspaceRoot;
    this.reload();
    const config = this.config;
    this.logger = options.logger ?? createLogger({ level: config.log.level, file: options.logFile ?? config.log.file, censor: (line) => this.censor(line) });
    this.memory = new MemoryCache(config.cache.maxEntries);
    this.budget = new BudgetGate({
      config: () => this.config,
      store: () => this.redisTier?.spend ?? this.localSpend,
      user: () => this.user,
      logger: this.logger,
      metrics: this.metrics,
      report: (severity, message) => this.report(severity, message),
    });
    const app = this;
    this.guard = createPromptGuard({
      settings: () => this.config.safety,
      workspaceRoot: () => this.workspaceRoot,
      cursorMarker: CURSOR_MARKER,
      notify: (message) => this.report('info', message),
      logger: this.logger,
    });
    this.audit = new AuditTrail({
      settings: () => resolveAudit(this.config.safety.audit, this.options.env),
      user: () => this.config.safety.audit.user ?? this.user,
      costOf: (model, usage) => estimateCost(modelInfo(this.config, model), usage),
      logger: this.logger,
    });
    this.engine = new CompletionEngine({
      config: () => this.config,
      provider: (name) => this.provider(name),
      logger: this.logger,
      metrics: this.metrics,
      memory: this.memory,
      // Getters: the Redis tier is rebuilt when its settings change.
      get shared() {
        return app.redisTier?.cache;
      },
      get team() {
        return app.redisTier;
      },
      budget: this.budget,
      currentVersion: (uri) => this.versionOf(uri),
      notify: (problem) => this.notifyProviderProblem(problem),
      guard: this.guard,
      audit: this.audit,
    });
    openApps.add(this);
    this.syncRedis();
  }

  /** The team tier when `cache.redisUrl` is set (it may be down; it degrades by itself). */
  get redisTier(): RedisTier | undefined {
    return this.redis?.tier;
  }

  /** Who budgets charge: `budget.user`, else the login name. */
  get user(): string {
    const configured = this.config.budget.user ?? this.options.env.USER ?? this.options.env.USERNAME;
    if (configured) return configured;
    try {
      return userInfo().username;
    } catch {
      return 'unknown';
    }
  }

  /** Builds, rebuilds or drops the Redis tier to match the settings (URL, team, CA file). */
  private syncRedis(): void {
    const cache = this.config.cache;
    const url = this.options.connectRedis === false || !cache.enabled ? undefined : cache.redisUrl;
    const signature = url ? JSON.stringify([url, cache.team, cache.redisCaFile]) : '';
    if ((this.redis?.signature ?? '') === signature) return;
    void this.redis?.tier?.close();
    this.redis = undefined;
    if (!url) return;
    const built = createRedisTier({
      url,
      team: cache.team,
      caFile: cache.redisCaFile,
      settings: () => {
        const c = this.config.cache;
        return { timeoutMs: c.redisTimeoutMs, maxValueBytes: c.maxValueBytes, lockMs: c.flightLockMs, waitMs: c.flightWaitMs, ttlSeconds: c.ttlSeconds };
      },
      logger: this.logger,
      metrics: this.metrics,
      report: (severity, message) => this.report(severity, message),
    });
    if (!built.ok) this.report('error', `ghostline: ${built.error}; answers are cached in memory only.`);
    this.redis = { signature, tier: built.ok ? built.tier : undefined };
  }

  /** Closes the Redis connections (shell commands call this before exiting). */
  async close(): Promise<void> {
    openApps.delete(this);
    const tier = this.redis?.tier;
    this.redis = { signature: 'closed' };
    await tier?.close();
    await this.audit.close();
  }

  /**
   * Project instructions for code actions: the AGENTS.md files from the workspace root down to the
   * file's folder, nearest last, within `safety.guidanceMaxTokens` ('' when there are none).
   */
  async guidance(filePath: string): Promise<string> {
    const maxTokens = this.config.safety.guidanceMaxTokens;
    if (this.workspaceRoot === undefined || maxTokens === 0) return '';
    const found = await loadGuidance({ workspaceRoot: this.workspaceRoot, filePath, maxTokens, countTokens }).catch(() => undefined);
    return found?.text ?? '';
  }

  get config(): GhostlineConfig {
    return this.configStore.config;
  }

  /** The layers lowest first: environment, user file, team file, then client-sent settings. */
  private layers(problems: ConfigProblem[]): RawLayer[] {
    const layers: RawLayer[] = [environmentLayer(this.options.env)];
    const files = [userConfigPath(this.options.env), ...(this.workspaceRoot ? [join(this.workspaceRoot, TEAM_FILE)] : [])];
    for (const path of files) {
      const { layer, error } = fileLayer(path);
      if (layer) layers.push(layer);
      if (error) problems.push({ source: path, path: '', message: error, severity: 'error' });
    }
    for (const source of ['initializationOptions', 'workspace/configuration']) {
      const layer = this.clientLayers.get(source);
      if (layer) layers.push(layer);
    }
    return layers;
  }

  /** Rebuilds the configuration from every source; reports problems once. */
  reload(): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    problems.push(...this.configStore.load(this.layers(problems)));
    if (problems.length > 0) this.report(problems.some((p) => p.severity === 'error') ? 'error' : 'warning', formatProblems(problems));
    if (this.logger) {
      this.logger.level = this.config.log.level;
      if (this.redis?.signature !== 'closed') this.syncRedis();
    }
    return problems;
  }

  /** Settings sent by the editor (initializationOptions, workspace/configuration, didChangeConfiguration). */
  setClientSettings(source: 'initializationOptions' | 'workspace/configuration', value: unknown): ConfigProblem[] {
    const layer = clientLayer(source, value);
    if (layer) this.clientLayers.set(source, layer);
    else this.clientLayers.delete(source);
    return this.reload();
  }

  setWorkspaceRoot(root: string | undefined): void {
    this.workspaceRoot = root;
    this.reload();
  }

  /** The provider named in a route, rebuilt when its settings change. */
  provider(name: string): ModelProvider {
    const config = this.config;
    const settings = this.providerSettings(name);
    const signature = JSON.stringify([settings, config.timeouts, config.retry]);
    const existing = this.providers.get(name);
    if (existing && existing.signature === signature) return existing.provider;
    const provider = createOpenAIProvider({
      name,
      api: settings.api,
      baseUrl: settings.baseUrl,
      apiKey: settings.apiKey ?? (settings.apiKeyEnv ? this.options.env[settings.apiKeyEnv] : undefined),
      organization: settings.organization,
      project: settings.project,
      headers: settings.headers,
      sendPromptCacheKey: settings.sendPromptCacheKey,
      supportsPrediction: settings.supportsPrediction,
      timeouts: config.timeouts,
      retry: config.retry,
      logger: this.logger,
    });
    this.providers.set(name, { signature, provider });
    return provider;
  }

  providerSettings(name: string): ProviderConfig {
    const settings = this.config.providers[name];
    if (settings) return settings;
    // `openai` always exists, from the environment when nothing configured it.
    return { api: 'responses', headers: {}, sendPromptCacheKey: true, supportsPrediction: true };
  }

  /** True when the default provider can authenticate (a key, or a local server that needs none). */
  hasCredentials(name = 'openai'): boolean {
    const settings = this.providerSettings(name);
    return Boolean(settings.apiKey || (settings.apiKeyEnv && this.options.env[settings.apiKeyEnv]) || settings.baseUrl);
  }

  /**
   * Removes the configured API keys (as written and JSON-escaped) from a log line or a message for
   * the user: a server may echo a key in an error, and editors keep the messages they are shown.
   */
  censor(text: string): string {
    let out = text;
    for (const provider of [...Object.values(this.config.providers), this.providerSettings('openai')]) {
      for (const key of [provider.apiKey, provider.apiKeyEnv ? this.options.env[provider.apiKeyEnv] : undefined]) {
        if (key === undefined || key.length < 8) continue;
        out = out.replaceAll(key, '[api key]').replaceAll(JSON.stringify(key).slice(1, -1), '[api key]');
      }
    }
    return out;
  }

  report(severity: 'error' | 'warning' | 'info', rawMessage: string): void {
    const message = this.censor(rawMessage);
    if (this.reported.has(message)) return;
    this.reported.add(message);
    this.options.report?.(severity, message);
    this.logger?.[severity === 'info' ? 'info' : severity === 'warning' ? 'warn' : 'error']({ event: 'user-message' }, message);
  }

  private notifyProviderProblem(problem: ProviderError): void {
    // Budget refusals carry their own message, already reported by the budget gate.
    if (problem.details.code === BUDGET_HARD_CAP) return;
    const messages: Partial<Record<ProviderError['kind'], string>> = {
      no_api_key: NO_API_KEY_MESSAGE,
      auth: `ghostline: the model API rejected the credentials (${problem.message}). Check OPENAI_API_KEY.`,
      quota: `ghostline: the OpenAI account is out of quota (${problem.message}). Suggestions stay empty until billing is fixed.`,
    };
    const message = messages[problem.kind];
    if (message) this.report('error', message);
  }
}
