/**
 * What the server gets of the `ghostline` settings: VS Code returns every contributed setting, with
 * null for those the user never set, plus the extension's own keys. Both are removed here, so the
 * server sees exactly the settings the user chose and its schema's defaults do the rest.
 */
import * as vscode from 'vscode';

/** Keys under `ghostline` that only the extension reads (scripts/settings.mts lists the same). */
const CLIENT_ONLY_KEYS = new Set(['server', 'trace']);

function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (child === null || child === undefined) continue;
    out[key] = withoutNulls(child);
  }
  return out;
}

/** The `ghostline` section as the server should see it. */
export function serverSettings(raw: unknown): Record<string, unknown> {
  const cleaned = withoutNulls(raw);
  if (typeof cleaned !== 'object' || cleaned === null || Array.isArray(cleaned)) return {};
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(cleaned)) if (!CLIENT_ONLY_KEYS.has(key)) out[key] = value;
  return out;
}

/** The current `ghostline` section, for initializationOptions. */
export function currentServerSettings(): Record<string, unknown> {
  const config = vscode.workspace.getConfiguration('ghostline');
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(config)) {
    const value: unknown = config.get(key);
    if (typeof value !== 'function') raw[key] = value;
  }
  return serverSettings(raw);
}
