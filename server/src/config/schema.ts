/**
 * The one zod schema for ghostline's settings: the single source of truth for validation,
 * defaults, docs/configuration.md and the VS Code extension's contributed settings.
 * Every field carries a description; generated docs read it.
 */
import { z } from 'zod';
import { TASKS, type Task } from './tasks.ts';

/** One task's token budget for the repository context of its code actions. */
function actionContextBudget(tokens: number, what: string) {
  return z.number().int().min(0).max(16000).default(tokens).describe(`Token budget for ${what}.`);
}

const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

export const providerSchema = z.strictObject({
  api: z
    .enum(['responses', 'chat'])
    .default('responses')
    .describe(
      'Wire protocol: `responses` (OpenAI Responses API) or `chat` (Chat Completions, for Ollama, llama.cpp, vLLM, LiteLLM).',
    ),
  baseUrl: z
    .string()
    .url()
    .optional()
    .describe('Base URL of the API, e.g. `http://127.0.0.1:11434/v1` for Ollama. Env: `OPENAI_BASE_URL`.'),
  apiKey: z
    .string()
    .min(1)
    .optional()
    .describe('API key. Prefer the `OPENAI_API_KEY` environment variable; never commit it.'),
  apiKeyEnv: z.string().optional().describe("Name of an environment variable holding this provider's API key."),
  organization: z.string().optional().describe('OpenAI organization id. Env: `OPENAI_ORG_ID`.'),
  project: z.string().optional().describe('OpenAI project id. Env: `OPENAI_PROJECT_ID`.'),
  headers: z
    .record(z.string(), z.string())
    .default({})
    .describe('Extra HTTP headers sent with every request to this provider.'),
  sendPromptCacheKey: z
    .boolean()
    .default(true)
    .describe('Send `prompt_cache_key` (OpenAI only; some compatible servers reject unknown fields).'),
  supportsPrediction: z
    .boolean()
    .default(true)
    .describe('Provider accepts Predicted Outputs (`prediction`) on Chat Completions.'),
});
export type ProviderConfig = z.infer<typeof providerSchema>;

export const routeOverrideSchema = z.strictObject({
  model: z.string().min(1).optional().describe('Model for this task.'),
  temperature: z.number().min(0).max(2).optional().describe('Sampling temperature.'),
  maxOutputTokens: z.number().int().positive().max(32768).optional().describe('Maximum output tokens.'),
  fallbacks: z.array(z.string().min(1)).optional().describe('Models tried in order on 429, 5xx and timeouts.'),
  provider: z.string().min(1).optional().describe('Name of the provider (key of `providers`) serving this task.'),
});
export type RouteOverride = z.infer<typeof routeOverrideSchema>;

const taskOverrides = z.strictObject(
  Object.fromEntries(TASKS.map((task) => [task, routeOverrideSchema.optional()])) as Record<
    Task,
    z.ZodOptional<typeof routeOverrideSchema>
  >,
);

/** A model declared under `models`: for a built-in model, only the fields given replace the built-in ones. */
export const modelInfoSchema = z.strictObject({
  contextWindow: z
    .number()
    .int()
    .positive()
    .optional()
    .describe('Context window in tokens (required for a model that is not built in).'),
  inputPrice: z.number().min(0).optional().describe('USD per 1M input tokens (default: the built-in price, else 0).'),
  cachedInputPrice: z
    .number()
    .min(0)
    .optional()
    .describe('USD per 1M cached input tokens (default: the built-in price, else 0).'),
  outputPrice: z.number().min(0).optional().describe('USD per 1M output tokens (default: the built-in price, else 0).'),
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
  softTokens: z
    .number()
    .int()
    .min(1)
    .max(1e12)
    .optional()
    .describe(
      'Tokens per day after which calls move to a cheaper model (SSOT.md "Past a soft cap", or `budget.cheaperModel`).',
    ),
  hardTokens: z
    .number()
    .int()
    .min(1)
    .max(1e12)
    .optional()
    .describe('Tokens per day after which model calls are refused.'),
  softCostUsd: z
    .number()
    .min(0)
    .max(1e9)
    .optional()
    .describe(
      'Estimated USD per day after which calls move to a cheaper model (SSOT.md "Past a soft cap", or `budget.cheaperModel`).',
    ),
  hardCostUsd: z
    .number()
    .min(0)
    .max(1e9)
    .optional()
    .describe('Estimated USD per day after which model calls are refused.'),
});

export const configSchema = z.strictObject({
  providers: z
    .record(z.string(), providerSchema)
    .default({})
    .describe(
      'Named model providers. `openai` is always defined (from the environment); add others for OpenAI-compatible servers.',
    ),
  router: z
    .strictObject({
      tasks: taskOverrides.prefault({}).describe('Per-task overrides of the routing table in SSOT.md.'),
      languages: z
        .record(z.string(), taskOverrides)
        .default({})
        .describe(
          'Per-language overrides, keyed by LSP language id, e.g. `{"python": {"completion": {"model": "gpt-4.1"}}}`.',
        ),
    })
    .prefault({})
    .describe('Which model serves which task.'),
  models: z
    .record(z.string(), modelInfoSchema)
    .default({})
    .describe(
      'Context windows and prices of models beyond the built-in ones, or of built-in ones whose facts differ (declared fields replace the built-in ones; used for escalation and cost estimates).',
    ),
  completion: z
    .strictObject({
      enabled: z
        .boolean()
        .default(true)
        .describe('Answer `textDocument/completion` and `textDocument/inlineCompletion`.'),
      debounceMs: z
        .number()
        .int()
        .min(0)
        .max(2000)
        .default(250)
        .describe(
          'Wait this long before calling the model after an automatic trigger, or an invoked one while the user is typing (a request within two debounce periods of the previous one); a newer request in the same document replaces the waiting one. Chosen from measurements: docs/performance.md.',
        ),
      adaptiveDebounce: z
        .boolean()
        .default(true)
        .describe(
          "Shorten the debounce to the typist's own rhythm: 1.25 times the median gap between their recent keystrokes in the document, or in any document while this one has too few (at least 100 ms, at most `debounceMs`), so a fast typist's pause starts the model call sooner; and no debounce for the first key after a pause of a second or more (or the first since the document opened), whose call the following keys reuse; for an editor that asks for completion items only after its own delay (not inline completion), that key starts the call itself, before the editor asks.",
        ),
      budgetMs: z
        .number()
        .int()
        .min(200)
        .max(60000)
        .default(2500)
        .describe(
          'Longest a completion waits for the model. Past it the request is answered without a suggestion, the call is stopped, and the user is told once that the model is stalling (and once when it answers again).',
        ),
      hedgeMs: z
        .number()
        .int()
        .min(0)
        .max(60000)
        .default(1000)
        .describe(
          "When a completion's model call has sent nothing for this long, a second call starts on the next model of the chain (or the same model) and the first answer wins; a call silent this long is never joined by a new request. 0 turns hedging off.",
        ),
      abandonGraceMs: z
        .number()
        .int()
        .min(0)
        .max(5000)
        .default(1000)
        .describe(
          "A model call whose requests were all cancelled keeps streaming this long, so the next keystroke's request can reuse it (typed-ahead) instead of starting a new call — long enough for an editor that asks again only after its own idle delay (Neovim: 150 ms after the last key, so not while the keys come faster, often for most of a second).",
        ),
      prefixLines: z
        .number()
        .int()
        .min(1)
        .max(2000)
        .default(100)
        .describe('Lines before the cursor offered to the prompt.'),
      suffixLines: z
        .number()
        .int()
        .min(0)
        .max(2000)
        .default(50)
        .describe('Lines after the cursor offered to the prompt.'),
      maxPromptTokens: z
        .number()
        .int()
        .min(256)
        .max(100000)
        .default(2048)
        .describe('Token budget for the code context (o200k tokens).'),
      maxLines: z.number().int().min(1).max(200).default(12).describe('Longest suggestion, in lines.'),
      multiline: z
        .enum(['auto', 'always', 'never'])
        .default('auto')
        .describe('`auto`: multi-line only at the start of a block or an empty line.'),
      triggerCharacters: z
        .array(z.string().length(1))
        .default(['.', '(', '[', '{', ',', ' ', ':', '=', '>', '\n'])
        .describe('Characters that trigger completion automatically.'),
    })
    .prefault({})
    .describe('Completion and inline ghost text.'),
  context: z
    .strictObject({
      enabled: z
        .boolean()
        .default(true)
        .describe(
          'Add code from other files of the repository to completion prompts (docs/context.md). Off: the current file only.',
        ),
      maxTokens: z
        .number()
        .int()
        .min(0)
        .max(16000)
        .default(1024)
        .describe(
          'Token budget for all repository snippets of one completion prompt together, on top of `completion.maxPromptTokens`. Chosen from measurements: docs/performance.md.',
        ),
      definitions: z
        .strictObject({
          enabled: z
            .boolean()
            .default(true)
            .describe(
              "Definitions (signatures, small bodies, classes with their constructor) of what the code near the cursor uses, found through the file's imports and in open files.",
            ),
          maxTokens: z.number().int().min(0).max(16000).default(768).describe('Token budget of the definitions.'),
        })
        .prefault({})
        .describe('Definitions of imported names used near the cursor.'),
      openDocuments: z
        .strictObject({
          enabled: z
            .boolean()
            .default(true)
            .describe('Windows of other open files most similar to the code before the cursor.'),
          maxTokens: z.number().int().min(0).max(16000).default(256).describe('Token budget of the similar windows.'),
          maxDocuments: z
            .number()
            .int()
            .min(1)
            .max(200)
            .default(20)
            .describe('Most recently used open files compared with the cursor.'),
        })
        .prefault({})
        .describe('Similar code in other open files ("neighbouring tabs").'),
      recentEdits: z
        .strictObject({
          enabled: z.boolean().default(true).describe('Regions the user changed recently in other files.'),
          maxTokens: z.number().int().min(0).max(16000).default(192).describe('Token budget of the recent edits.'),
        })
        .prefault({})
        .describe('Recently edited regions of other files.'),
    })
    .prefault({})
    .describe(
      'Repository context for completion: definitions, similar open code, recent edits. Excluded and git-ignored files are never read.',
    ),
  actions: z
    .strictObject({
      enabled: z
        .boolean()
        .default(true)
        .describe('Offer code actions (refactor, explain, tests, fix, docs). Listing them never calls a model.'),
      streaming: z
        .boolean()
        .default(false)
        .describe(
          'Send `ghostline/stream` notifications with model output as it arrives (docs/protocol.md). Clients may instead declare `capabilities.experimental.ghostlineStream`.',
        ),
      variants: z
        .number()
        .int()
        .min(2)
        .max(5)
        .default(3)
        .describe('How many alternatives "Refactor (variants)" asks for.'),
      contextLines: z
        .number()
        .int()
        .min(0)
        .max(1000)
        .default(60)
        .describe('Lines before and after the target region sent as context.'),
      maxRegionLines: z
        .number()
        .int()
        .min(1)
        .max(5000)
        .default(400)
        .describe('Largest region an action rewrites; larger selections are refused with a message.'),
      context: z
        .strictObject({
          enabled: z
            .boolean()
            .default(true)
            .describe(
              "Add the definitions (from other files of the repository) of what the action's region uses to its prompt, and for tests into a new file the head of a neighbouring test file (docs/code-actions.md). Off: the file alone.",
            ),
          maxTokens: z
            .strictObject({
              refactor: actionContextBudget(1536, 'refactor, refactor with instruction and refactor variants'),
              explain: actionContextBudget(1536, 'explain'),
              tests: actionContextBudget(2048, 'generate unit tests (definitions, then a neighbouring test file)'),
              fix: actionContextBudget(1536, 'fix'),
              docs: actionContextBudget(512, 'doc comments'),
            })
            .prefault({})
            .describe('Token budget of the repository snippets of each task, frames included; 0 turns them off.'),
        })
        .prefault({})
        .describe(
          'Repository context for code actions. Excluded and git-ignored files are never read; snippets are redacted like the file.',
        ),
    })
    .prefault({})
    .describe('Code actions.'),
  timeouts: z
    .strictObject({
      firstTokenMs: z
        .number()
        .int()
        .min(100)
        .max(120000)
        .default(8000)
        .describe('Abort when the first token has not arrived by then.'),
      idleMs: z
        .number()
        .int()
        .min(100)
        .max(120000)
        .default(5000)
        .describe('Abort when a stream is silent this long between chunks.'),
      totalMs: z
        .number()
        .int()
        .min(500)
        .max(600000)
        .default(60000)
        .describe('Abort a single model call after this long.'),
    })
    .prefault({})
    .describe("Deadlines for model calls (the SDK's own timeout does not cover streams)."),
  retry: z
    .strictObject({
      maxAttempts: z.number().int().min(1).max(10).default(3).describe('Attempts per model, first included.'),
      baseDelayMs: z
        .number()
        .int()
        .min(0)
        .max(60000)
        .default(250)
        .describe('First backoff delay; doubles each attempt, with jitter.'),
      maxDelayMs: z.number().int().min(0).max(120000).default(4000).describe('Longest backoff delay.'),
      maxRetryAfterMs: z
        .number()
        .int()
        .min(0)
        .max(600000)
        .default(10000)
        .describe('Longest `retry-after` honoured; longer waits move to the next fallback model instead.'),
    })
    .prefault({})
    .describe("Retry policy for model calls (the SDK's own retries are off)."),
  cache: z
    .strictObject({
      enabled: z.boolean().default(true).describe('Cache model answers.'),
      maxEntries: z.number().int().min(0).max(1000000).default(500).describe('In-memory LRU size.'),
      ttlSeconds: z
        .number()
        .int()
        .min(1)
        .max(30 * 86400)
        .default(900)
        .describe('How long a cached answer stays valid.'),
      redisUrl: z
        .string()
        .optional()
        .describe(
          'Shared Redis for a team: `redis://[user:password@]host:port[/db]`, `rediss://` (TLS), `redis+sentinel://host:26379,host2:26379/mymaster[/db]`, `redis+cluster://host:port,host2:port`. Env: `REDIS_URL`. See docs/team.md.',
        ),
      team: z.string().min(1).default('default').describe('Team namespace for shared cache keys and budgets.'),
      redisTimeoutMs: z
        .number()
        .int()
        .min(5)
        .max(5000)
        .default(50)
        .describe('Deadline of each Redis operation; past it the request goes on without Redis (memory or the model).'),
      redisCaFile: z
        .string()
        .optional()
        .describe('PEM file of the CA that signed the Redis server certificate, for `rediss://` with a private CA.'),
      maxValueBytes: z
        .number()
        .int()
        .min(256)
        .max(16 * 1024 * 1024)
        .default(65536)
        .describe('Answers larger than this are kept in memory only, not stored in Redis.'),
      flightLockMs: z
        .number()
        .int()
        .min(100)
        .max(60000)
        .default(3000)
        .describe(
          'Lifetime of the cross-process single-flight lock; the holder renews it while the model streams, so a crashed holder is replaced within this time.',
        ),
      flightWaitMs: z
        .number()
        .int()
        .min(0)
        .max(120000)
        .default(5000)
        .describe("Longest wait for another editor's answer to the same prompt before calling the model here."),
    })
    .prefault({})
    .describe('Answer cache: memory, and a Redis tier shared by a team.'),
  budget: z
    .strictObject({
      user: z.string().min(1).optional().describe('Who is charged under `budget.perUser` (default: the login name).'),
      team: budgetCapsSchema
        .prefault({})
        .describe('Daily caps for the whole team (counted in Redis; per process without it).'),
      perUser: budgetCapsSchema.prefault({}).describe('Daily caps for each user.'),
      cheaperModel: z
        .string()
        .min(1)
        .optional()
        .describe(
          'Model every task moves to past a soft cap, when cheaper than the routed one (default: the task\'s model in SSOT.md "Past a soft cap"; else the cheapest model in the route\'s chain).',
        ),
      requestsPerMinute: z
        .number()
        .int()
        .min(1)
        .max(1e9)
        .optional()
        .describe(
          "Team-wide model requests per minute (a sliding window shared through Redis), e.g. the organisation's OpenAI limit.",
        ),
      tokensPerMinute: z
        .number()
        .int()
        .min(1)
        .max(1e12)
        .optional()
        .describe('Team-wide tokens per minute, counted as prompt plus output allowance as OpenAI does.'),
      rateLimitWaitMs: z
        .number()
        .int()
        .min(0)
        .max(10000)
        .default(250)
        .describe('Longest a request waits for room under the team limit before it is answered without a suggestion.'),
      rateLimitProcesses: z
        .number()
        .int()
        .min(1)
        .max(10000)
        .default(10)
        .describe(
          'How many ghostline processes share the team limit. While Redis cannot confirm a call in time, each process takes at most this fraction of the limit per minute on its own (its calls of the minute included), and counts those calls into the shared window once Redis answers.',
        ),
    })
    .prefault({})
    .describe('Team budgets (per UTC day) and the shared rate limit. See docs/team.md.'),
  safety: z
    .strictObject({
      redact: z
        .boolean()
        .default(true)
        .describe('Replace secrets in prompts by placeholders before they leave the machine (docs/safety.md).'),
      scrubOutput: z
        .boolean()
        .default(true)
        .describe('Remove credentials from model answers before they reach the editor.'),
      exclude: z
        .array(z.string())
        .default([])
        .describe(
          'Extra files kept out of prompts (gitignore syntax), after the built-in defaults (`.env*`, `*.pem`, `id_rsa*`, `**/secrets/**`, ...) and before `.ghostlineignore`; `!pattern` re-includes.',
        ),
      audit: z
        .strictObject({
          enabled: z
            .boolean()
            .optional()
            .describe('Write the audit trail. Default: on when `safety.audit.file` is set, else off.'),
          file: z
            .string()
            .optional()
            .describe(
              'Audit file (JSON lines). Default when enabled: `$XDG_STATE_HOME/ghostline/audit.jsonl` (`~/.local/state/ghostline/audit.jsonl`).',
            ),
          retentionDays: z
            .number()
            .int()
            .min(1)
            .max(3650)
            .default(30)
            .describe('Rotated audit files older than this are deleted (SSOT.md: 30 days).'),
          maxBytes: z
            .number()
            .int()
            .min(4096)
            .max(1024 * 1024 * 1024)
            .default(10 * 1024 * 1024)
            .describe('Size at which the audit file is rotated (renamed with a UTC timestamp).'),
          includeSource: z
            .boolean()
            .default(false)
            .describe('Also write the (redacted) prompt and the answer; off: only their hashes and sizes.'),
          hashPaths: z.boolean().default(false).describe('Write the sha256 of file paths instead of the paths.'),
          user: z
            .string()
            .min(1)
            .optional()
            .describe('User named in audit lines (default: `budget.user`, else the login name).'),
        })
        .prefault({})
        .describe('Audit trail: one JSON line per model call.'),
      guidanceMaxTokens: z
        .number()
        .int()
        .min(0)
        .max(32000)
        .default(1500)
        .describe(
          'Token budget for AGENTS.md guidance given to code actions (0 turns it off); the farthest files are dropped first.',
        ),
    })
    .prefault({})
    .describe('Secrets, excluded files, the audit trail and repository guidance (docs/safety.md).'),
  log: z
    .strictObject({
      level: logLevel.default('info').describe('Log level. Env: `GHOSTLINE_LOG_LEVEL`.'),
      file: z
        .string()
        .optional()
        .describe('Log to this file instead of stderr. Env: `GHOSTLINE_LOG_FILE`; flag `--log-file`.'),
      includeSource: z
        .boolean()
        .default(false)
        .describe('Include prompt and suggestion text in debug logs (off: logs carry sizes and hashes only).'),
    })
    .prefault({})
    .describe('Logging.'),
});

export type GhostlineConfig = z.infer<typeof configSchema>;
export type CompletionConfig = GhostlineConfig['completion'];
export type ContextConfig = GhostlineConfig['context'];

/** The settings every source is merged onto. */
export function defaultConfig(): GhostlineConfig {
  return configSchema.parse({});
}
