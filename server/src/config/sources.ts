/**
 * Reads the raw (unvalidated) configuration layers: environment variables, the user file in the
 * XDG config directory and the team file committed in the workspace. Validation happens in
 * config/store.ts; this file only finds and parses.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { configSchema } from './schema.ts';

export type RawConfig = Record<string, unknown>;

export interface RawLayer {
  /** Where the layer came from, named in messages: "environment", a file path, "initializationOptions". */
  source: string;
  value: RawConfig;
  /**
   * Independent entries (one per environment variable): the store applies each on its own, so a
   * bad one is dropped and named instead of discarding the whole layer.
   */
  entries?: { name: string; path: string[]; value: unknown }[];
}

/** Variables with well-known names, mapped onto settings paths. */
const NAMED_ENV: Record<string, string[]> = {
  OPENAI_API_KEY: ['providers', 'openai', 'apiKey'],
  OPENAI_BASE_URL: ['providers', 'openai', 'baseUrl'],
  OPENAI_ORG_ID: ['providers', 'openai', 'organization'],
  OPENAI_PROJECT_ID: ['providers', 'openai', 'project'],
  GHOSTLINE_API: ['providers', 'openai', 'api'],
  GHOSTLINE_LOG_LEVEL: ['log', 'level'],
  GHOSTLINE_LOG_FILE: ['log', 'file'],
  REDIS_URL: ['cache', 'redisUrl'],
};

export function setPath(target: RawConfig, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as RawConfig;
  }
  node[path[path.length - 1]!] = value;
}

/** Parses an environment value: JSON when it looks like JSON (numbers, booleans, arrays), else the string. */
function envValue(text: string): unknown {
  if (/^(-?\d+(\.\d+)?|true|false|\[.*\]|\{.*\})$/s.test(text.trim())) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

/**
 * Generic variables: `GHOSTLINE_COMPLETION__DEBOUNCE_MS=120` sets `completion.debounceMs`. Segments are
 * separated by `__` and matched to schema keys ignoring case and underscores.
 */
function genericEnvPath(name: string): string[] | undefined {
  if (!name.startsWith('GHOSTLINE_') || !name.includes('__')) return undefined;
  const segments = name.slice('GHOSTLINE_'.length).split('__');
  const norm = (s: string) => s.replace(/_/g, '').toLowerCase();
  const path: string[] = [];
  let shape: Record<string, unknown> | undefined = configSchema.shape as Record<string, unknown>;
  for (const segment of segments) {
    const key: string | undefined = shape ? Object.keys(shape).find((k) => norm(k) === norm(segment)) : undefined;
    if (!key) return undefined;
    path.push(key);
    shape = innerShape(shape![key]);
  }
  return path;
}

/** Unwraps optional/default/prefault wrappers to reach an object schema's shape. */
function innerShape(schema: unknown): Record<string, unknown> | undefined {
  let current = schema as
    | { shape?: Record<string, unknown>; unwrap?: () => unknown; def?: { innerType?: unknown } }
    | undefined;
  for (let i = 0; i < 5 && current; i++) {
    if (current.shape) return current.shape;
    current = (current.def?.innerType ?? current.unwrap?.()) as typeof current;
  }
  return undefined;
}

export function environmentLayer(env: NodeJS.ProcessEnv): RawLayer {
  const value: RawConfig = {};
  const entries: NonNullable<RawLayer['entries']> = [];
  for (const [name, path] of Object.entries(NAMED_ENV)) {
    const text = env[name];
    if (text !== undefined && text !== '') entries.push({ name, path, value: text });
  }
  for (const [name, text] of Object.entries(env)) {
    if (text === undefined || Object.hasOwn(NAMED_ENV, name)) continue;
    const path = genericEnvPath(name);
    if (path) entries.push({ name, path, value: envValue(text) });
  }
  for (const entry of entries) setPath(value, entry.path, entry.value);
  return { source: 'environment', value, entries };
}

export function userConfigPath(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME !== '' ? env.XDG_CONFIG_HOME : join(homedir(), '.config');
  return join(base, 'ghostline', 'config.json');
}

export const TEAM_FILE = '.ghostline.json';

export type FileLayerResult = { layer?: RawLayer; error?: string };

/** Reads a JSON config file; a missing file is no layer, an unreadable one is an error message. */
export function fileLayer(path: string): FileLayerResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    return { error: `cannot read ${path}: ${(error as Error).message}` };
  }
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      return { error: `${path} must hold a JSON object` };
    return { layer: { source: path, value: value as RawConfig } };
  } catch (error) {
    return { error: `${path} is not valid JSON: ${(error as Error).message}` };
  }
}

/** An editor's null means "not set" (VS Code sends null for every setting the user left alone). */
function withoutNulls(value: RawConfig): RawConfig {
  // Object.fromEntries defines own properties: a `__proto__` key stays a key, to be refused by name,
  // where `out[key] = child` would make it the object's prototype and hide it from validation.
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, child]) => child !== null && child !== undefined)
      .map(([key, child]) => [
        key,
        typeof child === 'object' && !Array.isArray(child) ? withoutNulls(child as RawConfig) : child,
      ]),
  );
}

/** Editors send settings either bare or under a `ghostline` key; accept both, nulls read as unset. */
export function clientLayer(source: string, value: unknown): RawLayer | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const record = value as RawConfig;
  const inner = record.ghostline;
  const settings = withoutNulls(
    typeof inner === 'object' && inner !== null && !Array.isArray(inner) ? (inner as RawConfig) : record,
  );
  return Object.keys(settings).length > 0 ? { source, value: settings } : undefined;
}
