/**
 * Renders docs/configuration.md from the zod schema (through its JSON Schema), so the reference
 * can never drift from the code: test/unit/config/docs.test.ts compares the file with this output.
 * `npm run docs:config` rewrites the file.
 */
import * as z from './zod.ts';
import { configSchema } from './schema.ts';

interface JsonSchema {
  type?: string | string[];
  description?: string;
  default?: unknown;
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema;
  minimum?: number;
  maximum?: number;
  anyOf?: JsonSchema[];
}

export function configJsonSchema(): JsonSchema & Record<string, unknown> {
  return z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchema & Record<string, unknown>;
}

function typeOf(schema: JsonSchema): string {
  if (schema.enum) return schema.enum.map((v) => `\`${JSON.stringify(v)}\``).join(' \\| ');
  if (schema.anyOf) return schema.anyOf.map(typeOf).join(' \\| ');
  const type = Array.isArray(schema.type) ? schema.type.join(' \\| ') : (schema.type ?? 'any');
  if (type === 'array' && schema.items) return `${typeOf(schema.items)}[]`;
  if (type === 'object' && typeof schema.additionalProperties === 'object')
    return `map of ${typeOf(schema.additionalProperties)}`;
  const range =
    schema.minimum !== undefined || schema.maximum !== undefined
      ? ` (${schema.minimum ?? ''}–${schema.maximum ?? ''})`
      : '';
  return `${type}${range}`;
}

function rows(schema: JsonSchema, path: string, out: string[]): void {
  for (const [key, child] of Object.entries(schema.properties ?? {})) {
    const name = path ? `${path}.${key}` : key;
    if (child.properties && child.type === 'object') {
      out.push(`| **\`${name}\`** | section | | ${child.description ?? ''} |`);
      rows(child, name, out);
      continue;
    }
    const fallback = child.default === undefined ? '' : `\`${JSON.stringify(child.default)}\``;
    out.push(
      `| \`${name}\` | ${typeOf(child)} | ${fallback.replace(/\|/g, '\\|')} | ${(child.description ?? '').replace(/\|/g, '\\|')} |`,
    );
    const entry = typeof child.additionalProperties === 'object' ? child.additionalProperties : undefined;
    if (entry?.properties) rows(entry, `${name}.<name>`, out);
  }
}

export function renderConfigDocs(): string {
  const out: string[] = [
    '# Configuration',
    '',
    '<!-- Generated from server/src/config/schema.ts by `npm run docs:config`; do not edit by hand. -->',
    '',
    'Sources, lowest first: defaults; environment variables; the user file',
    '(`$XDG_CONFIG_HOME/ghostline/config.json`, default `~/.config/ghostline/config.json`); the team file',
    "`.ghostline.json` at the workspace root; the editor's `initializationOptions`; the editor's",
    'settings (`workspace/configuration` section `ghostline`, re-read on `workspace/didChangeConfiguration`).',
    'Objects merge key by key; arrays replace.',
    '',
    'Environment: `OPENAI_API_KEY`, `OPENAI_BASE_URL`, `OPENAI_ORG_ID`, `OPENAI_PROJECT_ID` (provider `openai`),',
    '`GHOSTLINE_API`, `GHOSTLINE_LOG_LEVEL`, `GHOSTLINE_LOG_FILE`, `REDIS_URL`, and for any setting',
    '`GHOSTLINE_<SECTION>__<KEY>` (segments separated by `__`, case and underscores ignored; JSON values',
    'parsed), e.g. `GHOSTLINE_COMPLETION__DEBOUNCE_MS=120`.',
    '',
    'An invalid value is reported once (`window/showMessage`) naming the key, the value and what is',
    'allowed; that source is skipped and the last valid configuration stays in force. An environment',
    'variable is checked on its own: a bad one is dropped and named, the others still apply. Unknown keys',
    'are ignored with a warning; prototype keys (`__proto__`, `constructor`, `prototype`) are refused by',
    'name. Messages show a value only when it is short and plain: secret-typed settings (keys, headers,',
    'URLs) are `[redacted]`, objects and arrays are described by shape, credential-looking strings by',
    'length. Models and temperatures are also checked against SSOT.md.',
    '',
    '| setting | type | default | description |',
    '| --- | --- | --- | --- |',
  ];
  rows(configJsonSchema(), '', out);
  out.push('');
  return out.join('\n');
}
