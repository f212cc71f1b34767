/**
 * The composition root for every front end (the LSP server, `ghostline complete`, `doctor`,
 * `stats`): builds ghostline's services in order — configuration, logger, metrics, caches, guard,
 * audit trail, budgets, the model-call service, the completion engine — as one immutable snapshot.
 * A settings change loads the configuration anew, rebuilds what it affects (providers, the Redis
 * tier, the log level) and swaps the snapshot in one assignment; nothing outside sets a field.
 */
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { BUDGET_HARD_CAP, BudgetGate } from './budget/gate.ts';
import { MemorySpendStore } from './budget/memory-store.ts';
import { MemoryCache } from './cache/memory.ts';
import { loadRedisDriver } from './cache/redis-client.ts';
import { createRedisTier, type RedisTier } from './cache/redis-tier.ts';
import { ModelCalls } from './calls/model-calls.ts';
import { providerSchema, type GhostlineConfig, type ProviderConfig } from './config/schema.ts';
import {
  clientLayer,
  environmentLayer,
  fileLayer,
  TEAM_FILE,
  userConfigPath,
  type RawLayer,
} from './config/sources.ts';
import { ConfigStore, formatProblems, type ConfigProblem } from './config/store.ts';
import { CURSOR_MARKER } from './context/prompt.ts';
import { countTokens } from './context/tokens.ts';
import { CompletionEngine } from './engine/engine.ts';
import { createOpenAIProvider } from './providers/openai-provider.ts';
import { loadSdk } from './providers/sdk.ts';
import type { ModelProvider, ProviderError } from './providers/types.ts';
import { checkPolicy } from './router/policy.ts';
import { costOf } from './router/prices.ts';
import { AuditTrail, resolveAudit } from './safety/audit-trail.ts';
import { createPromptGuard } from './safety/guard.ts';
import { loadGuidance } from './safety/guidance.ts';
import { createLogger, type Logger } from './telemetry/logger.ts';
import { createMetrics, type Metrics } from './telemetry/metrics.ts';
import { localUsageDir, LocalUsageSink } from './usage/local-store.ts';
import { UsageCounters, type UsageEvents } from './usage/recorder.ts';
import { ContextExclusion } from './workspace/exclusion.ts';
import { WorkspaceIndexer } from './workspace/indexer.ts';
import { WorkspaceRegionContext } from './workspace/region-context.ts';
import { WorkspaceContext } from './workspace/repo-context.ts';

export type Severity = 'error' | 'warning' | 'info';

/** Where settings sent by the editor come from, lowest first. */
export type ClientSource = 'initializationOptions' | 'workspace/configuration';

export interface ComposeOptions {
  env: NodeJS.ProcessEnv;
  /** Workspace root: the team file `.ghostline.json` and AGENTS.md guidance are read under it. */
  workspaceRoot?: string | undefined;
  logFile?: string | undefined;
  /** A logger to use instead of building one from the settings (shell commands pass a quiet one). */
  logger?: Logger;
  /**
   * Hears the problems the user must be told about (config errors, no key, Redis down and back);
   * messages are de-duplicated here, per topic when one is given.
   */
  report?: (severity: Severity, message: string) => void;
  /** Connect to the team's Redis when configured (default true; `ghostline stats` opens its own). */
  connectRedis?: boolean;
  /** Settings the editor sent before composition (initializationOptions). */
  clientSettings?: Partial<Record<ClientSource, unknown>>;
  /** The current version of an open document, so answers for text that moved on are dropped. */
  currentVersion?: (uri: string) => number | undefined;
  /** performance.now() of an open document's last change: the completion debounce counts from it. */
  lastChange?: (uri: string) => number | undefined;
  /** The median gap between an open document's recent changes while the user types. */
  typingGap?: (uri: string) => number | undefined;
  /** Whether an open document's last change began a burst of typing (first since open, or after a pause). */
  startsBurst?: (uri: string) => boolean;
  /** The text of an open document, for repository context (the protocol edge or a shell command). */
  documentText?: (uri: string) => { text: string; version: number } | undefined;
}

/** One immutable snapshot of the services; a settings change makes a new one. */
export interface Services {
  readonly config: GhostlineConfig;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly engine: CompletionEngine;
  readonly calls: ModelCalls;
  /** Prepares repository context off the keystroke path: outlines, imports, similar windows. */
  readonly indexer: WorkspaceIndexer;
  /** Repository snippets for completion prompts, from what the indexer prepared. */
  readonly repoContext: WorkspaceContext;
  /** Repository snippets for code-action prompts: definitions the region uses, read on demand. */
  readonly regionContext: WorkspaceRegionContext;
  /** The dashboard's daily counters (suggestions shown and accepted, the editor's name). */
  readonly usage: UsageEvents;
  readonly workspaceRoot: string | undefined;
  /** The team's Redis tier when `cache.redisUrl` is set (it may be down; it degrades by itself). */
  readonly redis: RedisTier | undefined;
  /** Who budgets charge: `budget.user`, else the login name. */
  readonly user: string;
  /** The provider a route names. */
  provider(name: string): ModelProvider;
  providerSettings(name: string): ProviderConfig;
  /** True when the provider can authenticate (a key, or a local server that needs none). */
  hasCredentials(name?: string): boolean;
  /** AGENTS.md guidance for a file, within `safety.guidanceMaxTokens` ('' when none). */
  guidance(filePath: string): Promise<string>;
}

export interface Composition {
  /** The services in force; read it per request, never keep it across a settings change. */
  readonly services: Services;
  /** Settings sent by the editor: loads the configuration again and swaps in new services. */
  configure(source: ClientSource, value: unknown): ConfigProblem[];
  /** Tells the user something once (per topic: a message repeats only after another one on its topic). */
  report(severity: Severity, message: string, topic?: string): void;
  /** Writes queued audit lines and closes the Redis connections. */
  close(): Promise<void>;
  /**
   * Loads what the first completion would otherwise load on the keystroke path (the o200k
   * vocabulary, ~10 ms, and the openai SDK, ~20 ms); the protocol edge calls it when the first
   * document opens.
   */
  warmUp(): void;
}

/** Said once when the default provider has no credentials, at start or on the first call. */
export const NO_API_KEY_MESSAGE =
  'ghostline: no API key. Set OPENAI_API_KEY (or providers.openai.apiKey), or point providers.openai.baseUrl at a local OpenAI-compatible server. Suggestions stay empty until then.';

/** Provider settings when nothing configures one: the schema's own defaults. */
const PROVIDER_DEFAULTS: ProviderConfig = providerSchema.parse({});

function loginName(env: NodeJS.ProcessEnv): string {
  if (env.USER ?? env.USERNAME) return (env.USER ?? env.USERNAME)!;
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

export function compose(options: ComposeOptions): Composition {
  const { env, workspaceRoot } = options;
  const clientLayers = new Map<ClientSource, RawLayer>();
  for (const [source, value] of Object.entries(options.clientSettings ?? {}) as [ClientSource, unknown][]) {
    const layer = clientLayer(source, value);
    if (layer) clientLayers.set(source, layer);
  }

  // 1. Configuration (its problems are told once the logger exists).
  const store = new ConfigStore(checkPolicy);
  const firstProblems = load(store);

  // 2. The logger, which removes configured API keys from every line.
  const logger =
    options.logger ??
    createLogger({
      level: store.config.log.level,
      file: options.logFile ?? store.config.log.file,
      censor: (line) => censor(line),
    });

  // 3. Telling the user, de-duplicated.
  const reported = new Set<string>();
  const lastByTopic = new Map<string, string>();
  const report = (severity: Severity, rawMessage: string, topic?: string): void => {
    const message = censor(rawMessage);
    if (topic === undefined ? reported.has(message) : lastByTopic.get(topic) === message) return;
    if (topic === undefined) reported.add(message);
    else lastByTopic.set(topic, message);
    options.report?.(severity, message);
    logger[severity === 'info' ? 'info' : severity === 'warning' ? 'warn' : 'error'](
      { event: 'user-message' },
      message,
    );
  };
  tell(firstProblems);

  // 4. Long-lived services: they read the snapshot in force at each call.
  const metrics = createMetrics();
  const memory = new MemoryCache(store.config.cache.maxEntries);
  const localSpend = new MemorySpendStore();
  const user = () => store.config.budget.user ?? loginName(env);
  const providers = new Map<string, { signature: string; provider: ModelProvider }>();
  let redis: { signature: string; tier: RedisTier | undefined } = { signature: '', tier: undefined };
  let closed = false;
  let localUsage: LocalUsageSink | undefined;
  const usage = new UsageCounters({
    // The team's Redis; without one, local day files kept only while the audit trail is on (beside it).
    sink: () => {
      if (options.connectRedis === false) return undefined;
      if (redis.tier) return redis.tier.usage;
      const trail = resolveAudit(store.config.safety.audit, env);
      if (!trail) return undefined;
      const dir = localUsageDir(trail.file);
      if (localUsage?.dir !== dir) localUsage = new LocalUsageSink(dir);
      return localUsage;
    },
    user,
    metrics,
  });
  const budget = new BudgetGate({
    config: () => store.config,
    store: () => redis.tier?.spend ?? localSpend,
    user,
    logger,
    metrics,
    usage,
    report: (severity, message) => report(severity, message),
  });
  const guard = createPromptGuard({
    settings: () => store.config.safety,
    workspaceRoot: () => workspaceRoot,
    cursorMarker: CURSOR_MARKER,
    notify: (message) => report('info', message),
    logger,
  });
  const audit = new AuditTrail({
    settings: () => resolveAudit(store.config.safety.audit, env),
    user: () => store.config.safety.audit.user ?? user(),
    costOf: (model, spent) => costOf(store.config, model, spent),
    logger,
    observe: (call) => usage.attempt(call),
  });
  const calls = new ModelCalls({
    config: () => store.config,
    provider: (name) => provider(name),
    logger,
    metrics,
    guard,
    budget,
    audit,
  });
  const documentText = options.documentText ?? (() => undefined);
  const exclusion = new ContextExclusion({ root: () => workspaceRoot, globs: () => store.config.safety.exclude });
  const indexer = new WorkspaceIndexer({
    root: () => workspaceRoot,
    config: () => store.config.context,
    exclusion,
    documentText,
    logger,
  });
  const repoContext = new WorkspaceContext({
    indexer,
    config: () => store.config.context,
    root: () => workspaceRoot,
    documentText,
  });
  const regionContext = new WorkspaceRegionContext({
    root: () => workspaceRoot,
    exclusion,
    openDocuments: (uri) => indexer.others(uri),
    documentText,
    logger,
  });
  const engine = new CompletionEngine({
    config: () => store.config,
    logger,
    metrics,
    memory,
    calls,
    team: () => redis.tier,
    audit,
    usage,
    context: repoContext,
    currentVersion: options.currentVersion ?? (() => undefined),
    lastChange: options.lastChange ?? (() => undefined),
    typingGap: options.typingGap ?? (() => undefined),
    startsBurst: options.startsBurst ?? (() => false),
    notify: (problem) => notifyProviderProblem(problem),
    // One topic: "not answering" and "answers again" alternate, each said once per change.
    health: (severity, message) => report(severity, message, 'model-health'),
  });

  let services = snapshot();

  function load(target: ConfigStore): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const layers: RawLayer[] = [environmentLayer(env)];
    for (const path of [userConfigPath(env), ...(workspaceRoot ? [join(workspaceRoot, TEAM_FILE)] : [])]) {
      const { layer, error } = fileLayer(path);
      if (layer) layers.push(layer);
      if (error) problems.push({ source: path, path: '', message: error, severity: 'error' });
    }
    for (const source of ['initializationOptions', 'workspace/configuration'] as const) {
      const layer = clientLayers.get(source);
      if (layer) layers.push(layer);
    }
    problems.push(...target.load(layers));
    return problems;
  }

  function tell(problems: ConfigProblem[]): void {
    if (problems.length > 0)
      report(problems.some((p) => p.severity === 'error') ? 'error' : 'warning', formatProblems(problems));
  }

  function providerSettings(name: string): ProviderConfig {
    // `openai` always exists, from the environment when nothing configured it.
    return store.config.providers[name] ?? PROVIDER_DEFAULTS;
  }

  /** The provider named in a route, rebuilt when its settings change. */
  function provider(name: string): ModelProvider {
    const config = store.config;
    const settings = providerSettings(name);
    const signature = JSON.stringify([settings, config.timeouts, config.retry]);
    const existing = providers.get(name);
    if (existing && existing.signature === signature) return existing.provider;
    const built = createOpenAIProvider({
      name,
      api: settings.api,
      baseUrl: settings.baseUrl,
      apiKey: settings.apiKey ?? (settings.apiKeyEnv ? env[settings.apiKeyEnv] : undefined),
      organization: settings.organization,
      project: settings.project,
      headers: settings.headers,
      sendPromptCacheKey: settings.sendPromptCacheKey,
      supportsPrediction: settings.supportsPrediction,
      timeouts: config.timeouts,
      retry: config.retry,
      logger,
    });
    providers.set(name, { signature, provider: built });
    return built;
  }

  function hasCredentials(name = 'openai'): boolean {
    const settings = providerSettings(name);
    return Boolean(settings.apiKey || (settings.apiKeyEnv && env[settings.apiKeyEnv]) || settings.baseUrl);
  }

  /**
   * Removes the configured API keys (as written and JSON-escaped) from a log line or a message for
   * the user: a server may echo a key in an error, and editors keep the messages they are shown.
   */
  function censor(text: string): string {
    let out = text;
    for (const settings of [...Object.values(store.config.providers), providerSettings('openai')]) {
      for (const key of [settings.apiKey, settings.apiKeyEnv ? env[settings.apiKeyEnv] : undefined]) {
        if (key === undefined || key.length < 8) continue;
        out = out.replaceAll(key, '[api key]').replaceAll(JSON.stringify(key).slice(1, -1), '[api key]');
      }
    }
    return out;
  }

  /** Builds, rebuilds or drops the Redis tier to match the settings (URL, team, CA file). */
  function syncRedis(): void {
    const cache = store.config.cache;
    const url = options.connectRedis === false || !cache.enabled || closed ? undefined : cache.redisUrl;
    const signature = url ? JSON.stringify([url, cache.team, cache.redisCaFile]) : '';
    if (redis.signature === signature) return;
    void redis.tier?.close();
    redis = { signature, tier: undefined };
    if (!url) return;
    // ioredis loads only now (cache/redis-client.ts). In the bundle that takes a few microtasks,
    // so the tier exists before the next message is read; the snapshot is swapped again then.
    loadRedisDriver().then(
      () => {
        if (redis.signature !== signature || closed) return;
        buildRedisTier(url, signature);
        services = snapshot();
      },
      (error: unknown) =>
        report(
          'error',
          `ghostline: cannot load the Redis driver (${String(error)}); answers are cached in memory only.`,
        ),
    );
  }

  function buildRedisTier(url: string, signature: string): void {
    const cache = store.config.cache;
    const built = createRedisTier({
      url,
      team: cache.team,
      caFile: cache.redisCaFile,
      settings: () => {
        const c = store.config.cache;
        return {
          timeoutMs: c.redisTimeoutMs,
          maxValueBytes: c.maxValueBytes,
          lockMs: c.flightLockMs,
          waitMs: c.flightWaitMs,
          ttlSeconds: c.ttlSeconds,
        };
      },
      logger,
      metrics,
      report: (severity, message) => report(severity, message, 'redis'),
    });
    if (!built.ok) report('error', `ghostline: ${built.error}; answers are cached in memory only.`);
    redis = { signature, tier: built.ok ? built.tier : undefined };
  }

  function notifyProviderProblem(problem: ProviderError): void {
    // Budget refusals carry their own message, already reported by the budget gate.
    if (problem.details.code === BUDGET_HARD_CAP) return;
    const messages: Partial<Record<ProviderError['kind'], string>> = {
      no_api_key: NO_API_KEY_MESSAGE,
      auth: `ghostline: the model API rejected the credentials (${problem.message}). Check OPENAI_API_KEY.`,
      quota: `ghostline: the OpenAI account is out of quota (${problem.message}). Suggestions stay empty until billing is fixed.`,
    };
    const message = messages[problem.kind];
    if (message) report('error', message);
  }

  function snapshot(): Services {
    logger.level = store.config.log.level;
    syncRedis();
    const maxTokens = store.config.safety.guidanceMaxTokens;
    return Object.freeze({
      config: store.config,
      logger,
      metrics,
      engine,
      calls,
      indexer,
      repoContext,
      regionContext,
      usage,
      workspaceRoot,
      redis: redis.tier,
      user: user(),
      provider,
      providerSettings,
      hasCredentials,
      async guidance(filePath: string): Promise<string> {
        if (workspaceRoot === undefined || maxTokens === 0) return '';
        const found = await loadGuidance({ workspaceRoot, filePath, maxTokens, countTokens }).catch(() => undefined);
        return found?.text ?? '';
      },
    });
  }

  return {
    get services() {
      return services;
    },
    warmUp() {
      countTokens('warm up');
      if (hasCredentials()) void loadSdk();
    },
    configure(source, value) {
      const layer = clientLayer(source, value);
      if (layer) clientLayers.set(source, layer);
      else clientLayers.delete(source);
      const problems = load(store);
      tell(problems);
      services = snapshot();
      return problems;
    },
    report,
    async close() {
      closed = true;
      indexer.dispose();
      // Counts still in memory go out while the Redis tier is still open.
      await usage.close();
      const tier = redis.tier;
      redis = { signature: 'closed', tier: undefined };
      services = snapshot();
      await tier?.close();
      await audit.close();
    },
  };
}
