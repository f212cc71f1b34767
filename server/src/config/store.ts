/**
 * Merges configuration layers (lowest first) and validates each step against the schema, so an
 * invalid layer is reported once — naming the key, the value and what is allowed — and skipped,
 * while the last valid configuration stays in force.
 */
import type * as z from './zod.ts';
import { configSchema, type GhostlineConfig } from './schema.ts';
import { setPath, type RawConfig, type RawLayer } from './sources.ts';

export interface ConfigProblem {
  source: string;
  path: string;
  message: string;
  /** Unknown keys are dropped with a warning; everything else rejects the layer. */
  severity: 'error' | 'warning';
}

/** Extra checks beyond the schema (the SSOT.md policy); returns problems, empty when fine. */
export type PolicyCheck = (config: GhostlineConfig) => { path: string; message: string }[];

function isPlainObject(value: unknown): value is RawConfig {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Keys that reach an object's prototype when assigned; a settings file has no business with them. */
export const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Deep merge: objects merge key by key, everything else (arrays included) replaces. Prototype keys are never copied. */
export function deepMerge(base: RawConfig, over: RawConfig): RawConfig {
  const out: RawConfig = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (PROTOTYPE_KEYS.has(key)) continue;
    const current = Object.hasOwn(out, key) ? out[key] : undefined;
    out[key] = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : value;
  }
  return out;
}

/** The dotted paths of every prototype key in a raw layer (JSON.parse makes `__proto__` an own key). */
export function prototypeKeyPaths(value: unknown, path: string[] = []): string[] {
  if (typeof value !== 'object' || value === null) return [];
  const found: string[] = [];
  for (const key of Object.keys(value)) {
    const here = [...path, key];
    if (PROTOTYPE_KEYS.has(key)) found.push(here.join('.'));
    else found.push(...prototypeKeyPaths((value as Record<string, unknown>)[key], here));
  }
  return found;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node = root;
  for (const key of path) {
    if (!isPlainObject(node) && !Array.isArray(node)) return undefined;
    if (!Object.hasOwn(node, key)) return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

function deleteAt(root: RawConfig, path: readonly PropertyKey[], key: string): void {
  const parent = valueAt(root, path);
  if (isPlainObject(parent)) delete parent[key];
}

/**
 * Settings whose values are never echoed: keys, tokens, passwords, headers (Authorization) and
 * URLs that may carry credentials (`redis://user:password@host`).
 */
const SECRET_PATH = /api[-_]?key|secret|token|passw|credential|auth|cookie|headers|redisurl|baseurl|private/i;

/** A string that looks like a credential (long, no spaces, letters and digits mixed) is described, not quoted. */
function looksLikeSecret(text: string): boolean {
  if (/^(sk|pk|rk|ghp|gho|xox[a-z]?|AKIA|AIza)[-_]/i.test(text)) return true;
  return text.length >= 20 && !/\s/.test(text) && /[a-z]/i.test(text) && /\d/.test(text);
}

/**
 * How a problem shows the offending value: short plain values are quoted; objects, arrays,
 * secret-typed settings and credential-looking strings are described by shape only, so no message
 * ever quotes a merged settings object or a key.
 */
export function describeValue(path: string, value: unknown): string {
  if (value === undefined) return 'missing';
  if (SECRET_PATH.test(path)) return '[redacted]';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object' && value !== null) return 'an object';
  if (typeof value === 'string') {
    if (looksLikeSecret(value)) return `a ${value.length}-character string (not shown)`;
    return value.length > 60 ? `a ${value.length}-character string` : JSON.stringify(value);
  }
  return String(value);
}

function issueMessage(issue: z.core.$ZodIssue, raw: RawConfig): string {
  const path = issue.path.join('.');
  return `${path || '(root)'} = ${describeValue(path, valueAt(raw, issue.path))}: ${issue.message}`;
}

export class ConfigStore {
  private raw: RawConfig = {};
  private current: GhostlineConfig;
  private readonly policy: PolicyCheck;

  constructor(policy: PolicyCheck = () => []) {
    this.policy = policy;
    this.current = configSchema.parse({});
  }

  get config(): GhostlineConfig {
    return this.current;
  }

  /**
   * Rebuilds the configuration from scratch out of the given layers. Returns every problem found;
   * layers with errors are skipped, so the result is always a valid configuration.
   */
  load(layers: RawLayer[]): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    let raw: RawConfig = {};
    let config = configSchema.parse({});
    for (const layer of layers) {
      const attempt = this.tryLayer(raw, layer, problems);
      if (attempt) ({ raw, config } = attempt);
    }
    this.raw = raw;
    this.current = config;
    return problems;
  }

  /** Applies a single new top layer (a live settings change) over the current configuration. */
  apply(layer: RawLayer): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const attempt = this.tryLayer(this.raw, layer, problems);
    if (attempt) {
      this.raw = attempt.raw;
      this.current = attempt.config;
    }
    return problems;
  }

  private tryLayer(
    base: RawConfig,
    layer: RawLayer,
    problems: ConfigProblem[],
  ): { raw: RawConfig; config: GhostlineConfig } | undefined {
    if (layer.entries) return this.tryEntries(base, layer, problems);
    // Prototype keys are refused by name before anything is merged: `{"__proto__": {...}}` would
    // otherwise replace the merged object's prototype.
    const poisoned = prototypeKeyPaths(layer.value);
    if (poisoned.length > 0) {
      for (const path of poisoned)
        problems.push({
          source: layer.source,
          path,
          message: `${path}: the prototype key "${path.split('.').pop()}" is refused; these settings are ignored`,
          severity: 'error',
        });
      return undefined;
    }
    const merged = deepMerge(base, structuredClone(layer.value));
    let result = configSchema.safeParse(merged);
    if (!result.success) {
      // Unknown keys (typos, settings of a newer version) are dropped with a warning, not fatal.
      const unknown = result.error.issues.filter((issue) => issue.code === 'unrecognized_keys');
      for (const issue of unknown) {
        for (const key of issue.keys) {
          deleteAt(merged, issue.path, key);
          problems.push({
            source: layer.source,
            path: [...issue.path, key].join('.'),
            message: `unknown setting ${[...issue.path, key].join('.')} ignored`,
            severity: 'warning',
          });
        }
      }
      if (unknown.length > 0) result = configSchema.safeParse(merged);
    }
    if (!result.success) {
      for (const issue of result.error.issues) {
        problems.push({
          source: layer.source,
          path: issue.path.join('.'),
          message: issueMessage(issue, merged),
          severity: 'error',
        });
      }
      return undefined;
    }
    const policyProblems = this.policy(result.data);
    if (policyProblems.length > 0) {
      for (const problem of policyProblems) problems.push({ source: layer.source, ...problem, severity: 'error' });
      return undefined;
    }
    return { raw: merged, config: result.data };
  }

  /**
   * A layer made of independent entries (environment variables): each is tried on its own, so one
   * bad variable is dropped and named while the others (OPENAI_API_KEY, OPENAI_BASE_URL) apply.
   */
  private tryEntries(
    base: RawConfig,
    layer: RawLayer,
    problems: ConfigProblem[],
  ): { raw: RawConfig; config: GhostlineConfig } | undefined {
    let accepted: { raw: RawConfig; config: GhostlineConfig } | undefined;
    for (const entry of layer.entries ?? []) {
      const value: RawConfig = {};
      setPath(value, entry.path, entry.value);
      const attempt = this.tryLayer(
        accepted?.raw ?? base,
        { source: `${layer.source} ${entry.name}`, value },
        problems,
      );
      if (attempt) accepted = attempt;
    }
    return accepted;
  }
}

/** One human-readable message for a list of problems, for window/showMessage and the doctor. */
export function formatProblems(problems: ConfigProblem[]): string {
  const errors = problems.filter((p) => p.severity === 'error');
  const lines = problems.map((p) => `${p.source}: ${p.message}`);
  const tail = errors.length > 0 ? ' The previous valid configuration stays in force for the settings above.' : '';
  return `ghostline configuration: ${lines.join('; ')}.${tail}`;
}
