/**
 * The one zod schema for ghostline's settings: the single source of truth for validation,
 * defaults, docs/configuration.md and the VS Code extension's contributed settings.
 * Every field carries a description; generated docs read it.
 *
 * Written with zod/mini (./zod.ts): functions wrap a schema where classic zod chains methods, so
 * the helpers below keep a setting on one line: `setting(integer(0, 2000), 250, 'What it does.')`.
 */
import { TASKS, type Task } from './tasks.ts';
import * as z from './zod.ts';

type Schema = z.ZodMiniType;

/** The schema with its description, which docs/configuration.md and the VS Code settings show. */
function described<T extends Schema>(schema: T, description: string): T {
  z.globalRegistry.add(schema, { description });
  return schema;
}

/** A setting with a default value: absent, it is `fallback`. */
function setting<T extends Schema>(schema: T, fallback: z.util.NoUndefined<z.output<T>>, description: string) {
  return described(z._default(schema, fallback), description);
}

/** A setting that may stay unset. */
function optional<T extends Schema>(schema: T, description: string) {
  return described(z.optional(schema), description);
}

/** A group of settings: absent, each of its settings takes its own default. */
function section<T extends z.ZodMiniObject>(schema: T, description: string) {
  return described(z.prefault(schema, {} as z.input<T>), description);
}

/** An integer from `min` to `max`, both included. */
function integer(min: number, max: number) {
  return z.number().check(z.int(), z.minimum(min), z.maximum(max));
}

/** A number from `min` to `max`, both included. */
function decimal(min: number, max: number) {
  return z.number().check(z.minimum(min), z.maximum(max));
}

/** A string that may not be empty. */
function nonEmpty() {
  return z.string().check(z.minLength(1));
}

/** One task's token budget for the repository context of its code actions. */
function actionContextBudget(tokens: number, what: string) {
  return setting(integer(0, 16000), tokens, `Token budget for ${what}.`);
}

const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

export const providerSchema = z.strictObject({
  api: setting(
    z.enum(['responses', 'chat']),
    'responses',
    'Wire protocol: `responses` (OpenAI Responses API) or `chat` (Chat Completions, for Ollama, llama.cpp, vLLM, LiteLLM).',
  ),
  baseUrl: optional(
    z.string().check(z.url()),
    'Base URL of the API, e.g. `http://127.0.0.1:11434/v1` for Ollama. Env: `OPENAI_BASE_URL`.',
  ),
  apiKey: optional(nonEmpty(), 'API key. Prefer the `OPENAI_API_KEY` environment variable; never commit it.'),
  apiKeyEnv: optional(z.string(), "Name of an environment variable holding this provider's API key."),
  organization: optional(z.string(), 'OpenAI organization id. Env: `OPENAI_ORG_ID`.'),
  project: optional(z.string(), 'OpenAI project id. Env: `OPENAI_PROJECT_ID`.'),
  headers: setting(
    z.record(z.string(), z.string()),
    {},
    'Extra HTTP headers sent with every request to this provider.',
  ),
  sendPromptCacheKey: setting(
    z.boolean(),
    true,
    'Send `prompt_cache_key` (OpenAI only; some compatible servers reject unknown fields).',
  ),
  supportsPrediction: setting(
    z.boolean(),
    true,
    'Provider accepts Predicted Outputs (`prediction`) on Chat Completions.',
  ),
});
export type ProviderConfig = z.infer<typeof providerSchema>;

export const routeOverrideSchema = z.strictObject({
  model: optional(nonEmpty(), 'Model for this task.'),
  temperature: optional(decimal(0, 2), 'Sampling temperature.'),
  maxOutputTokens: optional(z.number().check(z.int(), z.positive(), z.maximum(32768)), 'Maximum output tokens.'),
  fallbacks: optional(z.array(nonEmpty()), 'Models tried in order on 429, 5xx and timeouts.'),
  provider: optional(nonEmpty(), 'Name of the provider (key of `providers`) serving this task.'),
});
export type RouteOverride = z.infer<typeof routeOverrideSchema>;

const taskOverrides = z.strictObject(
  Object.fromEntries(TASKS.map((task) => [task, z.optional(routeOverrideSchema)])) as Record<
    Task,
    z.ZodMiniOptional<typeof routeOverrideSchema>
  >,
);

/** A model declared under `models`: for a built-in model, only the fields given replace the built-in ones. */
export const modelInfoSchema = z.strictObject({
  contextWindow: optional(
    z.number().check(z.int(), z.positive()),
    'Context window in tokens (required for a model that is not built in).',
  ),
  inputPrice: optional(
    z.number().check(z.minimum(0)),
    'USD per 1M input tokens (default: the built-in price, else 0).',
  ),
  cachedInputPrice: optional(
    z.number().check(z.minimum(0)),
    'USD per 1M cached input tokens (default: the built-in price, else 0).',
  ),
  outputPrice: optional(
    z.number().check(z.minimum(0)),
    'USD per 1M output tokens (default: the built-in price, else 0).',
  ),
});
export type ModelDeclaration = z.infer<typeof modelInfoSchema>;

/** What the router and the budgets know of a model: built-in facts with the declared fields over them. */
export interface ModelInfo {
  contextWindow: number;
  inputPrice: number;
  cachedInputPrice: number;
  outputPrice: number;
}

/** Daily caps (per UTC day); a cap is crossed once spend reaches it. */
export const budgetCapsSchema = z.strictObject({
  softTokens: optional(
    integer(1, 1e12),
    'Tokens per day after which calls move to a cheaper model (SSOT.md "Past a soft cap", or `budget.cheaperModel`).',
  ),
  hardTokens: optional(integer(1, 1e12), 'Tokens per day after which model calls are refused.'),
  softCostUsd: optional(
    decimal(0, 1e9),
    'Estimated USD per day after which calls move to a cheaper model (SSOT.md "Past a soft cap", or `budget.cheaperModel`).',
  ),
  hardCostUsd: optional(decimal(0, 1e9), 'Estimated USD per day after which model calls are refused.'),
});

export const configSchema = z.strictObject({
  providers: setting(
    z.record(z.string(), providerSchema),
    {},
    'Named model providers. `openai` is always defined (from the environment); add others for OpenAI-compatible servers.',
  ),
  router: section(
    z.strictObject({
      tasks: section(taskOverrides, 'Per-task overrides of the routing table in SSOT.md.'),
      languages: setting(
        z.record(z.string(), taskOverrides),
        {},
        'Per-language overrides, keyed by LSP language id, e.g. `{"python": {"completion": {"model": "gpt-4.1"}}}`.',
      ),
    }),
    'Which model serves which task.',
  ),
  models: setting(
    z.record(z.string(), modelInfoSchema),
    {},
    'Context windows and prices of models beyond the built-in ones, or of built-in ones whose facts differ (declared fields replace the built-in ones; used for escalation and cost estimates).',
  ),
  completion: section(
    z.strictObject({
      enabled: setting(z.boolean(), true, 'Answer `textDocument/completion` and `textDocument/inlineCompletion`.'),
      debounceMs: setting(
        integer(0, 2000),
        250,
        'Wait this long before calling the model after an automatic trigger, or an invoked one while the user is typing (a request within two debounce periods of the previous one); a newer request in the same document replaces the waiting one. Chosen from measurements: docs/performance.md.',
      ),
      adaptiveDebounce: setting(
        z.boolean(),
        true,
        "Shorten the debounce to the typist's own rhythm: 1.25 times the median gap between their recent keystrokes in the document, or in any document while this one has too few (at least 100 ms, at most `debounceMs`), so a fast typist's pause starts the model call sooner; and no debounce for the first key after a pause of a second or more (or the first since the document opened), whose call the following keys reuse; for an editor that asks for completion items only after its own delay (not inline completion), that key starts the call itself, before the editor asks, and so does a pause of 150 ms at the end of a line where the editor asked in most recent such pauses (a manual completion key).",
      ),
      budgetMs: setting(
        integer(200, 60000),
        2500,
        'Longest a completion waits for the model. Past it the request is answered without a suggestion, the call is stopped, and the user is told once that the model is stalling (and once when it answers again).',
      ),
      multilineWaitMs: setting(
        integer(0, 60000),
        150,
        'How long a multi-line suggestion waits for its whole block. Past it, the request is served the lines that have streamed complete, and the model call streams on, so the keys that follow get the rest (typed-ahead). Set it to `budgetMs` to always wait for the block. Chosen from measurements: docs/performance.md.',
      ),
      hedgeMs: setting(
        integer(0, 60000),
        1000,
        "When a completion's model call has sent nothing for this long, a second call starts on the next model of the chain (or the same model) and the first answer wins; a call silent this long is never joined by a new request. 0 turns hedging off.",
      ),
      abandonGraceMs: setting(
        integer(0, 5000),
        1000,
        "A model call whose requests were all cancelled keeps streaming this long, so the next keystroke's request can reuse it (typed-ahead) instead of starting a new call — long enough for an editor that asks again only after its own idle delay (Neovim: 150 ms after the last key, so not while the keys come faster, often for most of a second). A call started before any request asked (the first key of a burst, a pause at a line's end) streams to its end instead, for at most `budgetMs`.",
      ),
      prefixLines: setting(integer(1, 2000), 100, 'Lines before the cursor offered to the prompt.'),
      suffixLines: setting(integer(0, 2000), 50, 'Lines after the cursor offered to the prompt.'),
      maxPromptTokens: setting(integer(256, 100000), 2048, 'Token budget for the code context (o200k tokens).'),
      maxLines: setting(integer(1, 200), 12, 'Longest suggestion, in lines.'),
      multiline: setting(
        z.enum(['auto', 'always', 'never']),
        'auto',
        '`auto`: multi-line only at the start of a block or an empty line.',
      ),
      triggerCharacters: setting(
        z.array(z.string().check(z.length(1))),
        ['.', '(', '[', '{', ',', ' ', ':', '=', '>', '\n'],
        'Characters that trigger completion automatically.',
      ),
    }),
    'Completion and inline ghost text.',
  ),
  context: section(
    z.strictObject({
      enabled: setting(
        z.boolean(),
        true,
        'Add code from other files of the repository to completion prompts (docs/context.md). Off: the current file only.',
      ),
      maxTokens: setting(
        integer(0, 16000),
        1024,
        'Token budget for all repository snippets of one completion prompt together, on top of `completion.maxPromptTokens`. Chosen from measurements: docs/performance.md.',
      ),
      definitions: section(
        z.strictObject({
          enabled: setting(
            z.boolean(),
            true,
            "Definitions (signatures, small bodies, classes with their constructor) of what the code near the cursor uses, found through the file's imports and in open files.",
          ),
          maxTokens: setting(integer(0, 16000), 768, 'Token budget of the definitions.'),
        }),
        'Definitions of imported names used near the cursor.',
      ),
      openDocuments: section(
        z.strictObject({
          enabled: setting(
            z.boolean(),
            true,
            'Windows of other open files most similar to the code before the cursor.',
          ),
          maxTokens: setting(integer(0, 16000), 256, 'Token budget of the similar windows.'),
          maxDocuments: setting(integer(1, 200), 20, 'Most recently used open files compared with the cursor.'),
        }),
        'Similar code in other open files ("neighbouring tabs").',
      ),
      recentEdits: section(
        z.strictObject({
          enabled: setting(z.boolean(), true, 'Regions the user changed recently in other files.'),
          maxTokens: setting(integer(0, 16000), 192, 'Token budget of the recent edits.'),
        }),
        'Recently edited regions of other files.',
      ),
    }),
    'Repository context for completion: definitions, similar open code, recent edits. Excluded and git-ignored files are never read.',
  ),
  actions: section(
    z.strictObject({
      enabled: setting(
        z.boolean(),
        true,
        'Offer code actions (refactor, explain, tests, fix, docs). Listing them never calls a model.',
      ),
      streaming: setting(
        z.boolean(),
        false,
        'Send `ghostline/stream` notifications with model output as it arrives (docs/protocol.md). Clients may instead declare `capabilities.experimental.ghostlineStream`.',
      ),
      variants: setting(integer(2, 5), 3, 'How many alternatives "Refactor (variants)" asks for.'),
      contextLines: setting(integer(0, 1000), 60, 'Lines before and after the target region sent as context.'),
      maxRegionLines: setting(
        integer(1, 5000),
        400,
        'Largest region an action rewrites; larger selections are refused with a message.',
      ),
      context: section(
        z.strictObject({
          enabled: setting(
            z.boolean(),
            true,
            "Add the definitions (from other files of the repository) of what the action's region uses to its prompt, and for tests into a new file the head of a neighbouring test file (docs/code-actions.md). Off: the file alone.",
          ),
          maxTokens: section(
            z.strictObject({
              refactor: actionContextBudget(1536, 'refactor, refactor with instruction and refactor variants'),
              explain: actionContextBudget(1536, 'explain'),
              tests: actionContextBudget(2048, 'generate unit tests (definitions, then a neighbouring test file)'),
              fix: actionContextBudget(1536, 'fix'),
              docs: actionContextBudget(512, 'doc comments'),
            }),
            'Token budget of the repository snippets of each task, frames included; 0 turns them off.',
          ),
        }),
        'Repository context for code actions. Excluded and git-ignored files are never read; snippets are redacted like the file.',
      ),
    }),
    'Code actions.',
  ),
  timeouts: section(
    z.strictObject({
      firstTokenMs: setting(integer(100, 120000), 8000, 'Abort when the first token has not arrived by then.'),
      idleMs: setting(integer(100, 120000), 5000, 'Abort when a stream is silent this long between chunks.'),
      totalMs: setting(integer(500, 600000), 60000, 'Abort a single model call after this long.'),
    }),
    "Deadlines for model calls (the SDK's own timeout does not cover streams).",
  ),
  retry: section(
    z.strictObject({
      maxAttempts: setting(integer(1, 10), 3, 'Attempts per model, first included.'),
      baseDelayMs: setting(integer(0, 60000), 250, 'First backoff delay; doubles each attempt, with jitter.'),
      maxDelayMs: setting(integer(0, 120000), 4000, 'Longest backoff delay.'),
      maxRetryAfterMs: setting(
        integer(0, 600000),
        10000,
        'Longest `retry-after` honoured; longer waits move to the next fallback model instead.',
      ),
    }),
    "Retry policy for model calls (the SDK's own retries are off).",
  ),
  cache: section(
    z.strictObject({
      enabled: setting(z.boolean(), true, 'Cache model answers.'),
      maxEntries: setting(integer(0, 1000000), 500, 'In-memory LRU size.'),
      ttlSeconds: setting(integer(1, 30 * 86400), 900, 'How long a cached answer stays valid.'),
      redisUrl: optional(
        z.string(),
        'Shared Redis for a team: `redis://[user:password@]host:port[/db]`, `rediss://` (TLS), `redis+sentinel://host:26379,host2:26379/mymaster[/db]`, `redis+cluster://host:port,host2:port`. Env: `REDIS_URL`. See docs/team.md.',
      ),
      team: setting(nonEmpty(), 'default', 'Team namespace for shared cache keys and budgets.'),
      redisTimeoutMs: setting(
        integer(5, 5000),
        50,
        'Deadline of each Redis operation; past it the request goes on without Redis (memory or the model).',
      ),
      redisCaFile: optional(
        z.string(),
        'PEM file of the CA that signed the Redis server certificate, for `rediss://` with a private CA.',
      ),
      maxValueBytes: setting(
        integer(256, 16 * 1024 * 1024),
        65536,
        'Answers larger than this are kept in memory only, not stored in Redis.',
      ),
      flightLockMs: setting(
        integer(100, 60000),
        3000,
        'Lifetime of the cross-process single-flight lock; the holder renews it while the model streams, so a crashed holder is replaced within this time.',
      ),
      flightWaitMs: setting(
        integer(0, 120000),
        5000,
        "Longest wait for another editor's answer to the same prompt before calling the model here.",
      ),
    }),
    'Answer cache: memory, and a Redis tier shared by a team.',
  ),
  budget: section(
    z.strictObject({
      user: optional(nonEmpty(), 'Who is charged under `budget.perUser` (default: the login name).'),
      team: section(budgetCapsSchema, 'Daily caps for the whole team (counted in Redis; per process without it).'),
      perUser: section(budgetCapsSchema, 'Daily caps for each user.'),
      cheaperModel: optional(
        nonEmpty(),
        'Model every task moves to past a soft cap, when cheaper than the routed one (default: the task\'s model in SSOT.md "Past a soft cap"; else the cheapest model in the route\'s chain).',
      ),
      requestsPerMinute: optional(
        integer(1, 1e9),
        "Team-wide model requests per minute (a sliding window shared through Redis), e.g. the organisation's OpenAI limit.",
      ),
      tokensPerMinute: optional(
        integer(1, 1e12),
        'Team-wide tokens per minute, counted as prompt plus output allowance as OpenAI does.',
      ),
      rateLimitWaitMs: setting(
        integer(0, 10000),
        250,
        'Longest a request waits for room under the team limit before it is answered without a suggestion.',
      ),
      rateLimitProcesses: setting(
        integer(1, 10000),
        10,
        'How many ghostline processes share the team limit. While Redis cannot confirm a call in time, each process takes at most this fraction of the limit per minute on its own (its calls of the minute included), and counts those calls into the shared window once Redis answers.',
      ),
    }),
    'Team budgets (per UTC day) and the shared rate limit. See docs/team.md.',
  ),
  safety: section(
    z.strictObject({
      redact: setting(
        z.boolean(),
        true,
        'Replace secrets in prompts by placeholders before they leave the machine (docs/safety.md).',
      ),
      scrubOutput: setting(z.boolean(), true, 'Remove credentials from model answers before they reach the editor.'),
      exclude: setting(
        z.array(z.string()),
        [],
        'Extra files kept out of prompts (gitignore syntax), after the built-in defaults (`.env*`, `*.pem`, `id_rsa*`, `**/secrets/**`, ...) and before `.ghostlineignore`; `!pattern` re-includes.',
      ),
      audit: section(
        z.strictObject({
          enabled: optional(
            z.boolean(),
            'Write the audit trail. Default: on when `safety.audit.file` is set, else off.',
          ),
          file: optional(
            z.string(),
            'Audit file (JSON lines). Default when enabled: `$XDG_STATE_HOME/ghostline/audit.jsonl` (`~/.local/state/ghostline/audit.jsonl`).',
          ),
          retentionDays: setting(
            integer(1, 3650),
            30,
            'Rotated audit files older than this are deleted (SSOT.md: 30 days).',
          ),
          maxBytes: setting(
            integer(4096, 1024 * 1024 * 1024),
            10 * 1024 * 1024,
            'Size at which the audit file is rotated (renamed with a UTC timestamp).',
          ),
          includeSource: setting(
            z.boolean(),
            false,
            'Also write the (redacted) prompt and the answer; off: only their hashes and sizes.',
          ),
          hashPaths: setting(z.boolean(), false, 'Write the sha256 of file paths instead of the paths.'),
          user: optional(nonEmpty(), 'User named in audit lines (default: `budget.user`, else the login name).'),
        }),
        'Audit trail: one JSON line per model call.',
      ),
      guidanceMaxTokens: setting(
        integer(0, 32000),
        1500,
        'Token budget for AGENTS.md guidance given to code actions (0 turns it off); the farthest files are dropped first.',
      ),
    }),
    'Secrets, excluded files, the audit trail and repository guidance (docs/safety.md).',
  ),
  log: section(
    z.strictObject({
      level: setting(logLevel, 'info', 'Log level. Env: `GHOSTLINE_LOG_LEVEL`.'),
      file: optional(z.string(), 'Log to this file instead of stderr. Env: `GHOSTLINE_LOG_FILE`; flag `--log-file`.'),
      includeSource: setting(
        z.boolean(),
        false,
        'Include prompt and suggestion text in debug logs (off: logs carry sizes and hashes only).',
      ),
    }),
    'Logging.',
  ),
});

export type GhostlineConfig = z.infer<typeof configSchema>;
export type CompletionConfig = GhostlineConfig['completion'];
export type ContextConfig = GhostlineConfig['context'];

/** The settings every source is merged onto. */
export function defaultConfig(): GhostlineConfig {
  return configSchema.parse({});
}
