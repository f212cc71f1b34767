/**
 * Merges configuration layers (lowest first) and validates each step against the schema, so an
 * invalid layer is reported once — naming the key, the value and what is allowed — and skipped,
 * while the last valid configuration stays in force.
 */
import type { z } from 'zod';
import { configSchema, type GhostlineConfig } from './schema.ts';
import type { RawConfig, RawLayer } from './sources.ts';

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

/** Deep merge: objects merge key by key, everything else (arrays included) replaces. */
export function deepMerge(base: RawConfig, over: RawConfig): RawConfig {
  const out: RawConfig = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    out[key] = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : value;
  }
  return out;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node = root;
  for (const key of path) {
    if (!isPlainObject(node) && !Array.isArray(node)) return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

function deleteAt(root: RawConfig, path: readonly PropertyKey[], key: string): void {
  const parent = valueAt(root, path);
  if (isPlainObject(parent)) delete parent[key];
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'missing';
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function issueMessage(issue: z.core.$ZodIssue, raw: RawConfig): string {
  const path = issue.path.join('.');
  const value = describeValue(valueAt(raw, issue.path));
  const key = /apikey|password|token/i.test(path) ? '[redacted]' : value;
  return `${path || '(root)'} = ${key}: ${issue.message}`;
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

  private tryLayer(base: RawConfig, layer: RawLayer, problems: ConfigProblem[]): { raw: RawConfig; config: GhostlineConfig } | undefined {
    const merged = deepMerge(base, structuredClone(layer.value));
    let result = configSchema.safeParse(merged);
    if (!result.success) {
      // Unknown keys (typos, settings of a newer version) are dropped with a warning, not fatal.
      const unknown = result.error.issues.filter((issue) => issue.code === 'unrecognized_keys');
      for (const issue of unknown) {
        for (const key of issue.keys) {
          deleteAt(merged, issue.path, key);
          problems.push({ source: layer.source, path: [...issue.path, key].join('.'), message: `unknown setting ${[...issue.path, key].join('.')} ignored`, severity: 'warning' });
        }
      }
      if (unknown.length > 0) result = configSchema.safeParse(merged);
    }
    if (!result.success) {
      for (const issue of result.error.issues) {
        problems.push({ source: layer.source, path: issue.path.join('.'), message: issueMessage(issue, merged), severity: 'error' });
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
}

/** One human-readable message for a list of problems, for window/showMessage and the doctor. */
export function formatProblems(problems: ConfigProblem[]): string {
  const errors = problems.filter((p) => p.severity === 'error');
  const lines = problems.map((p) => `${p.source}: ${p.message}`);
  const tail = errors.length > 0 ? ' The previous valid configuration stays in force for the settings above.' : '';
  return `ghostline configuration: ${lines.join('; ')}.${tail}`;
}
