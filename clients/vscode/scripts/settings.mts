/**
 * Generates the extension's contributed settings from ghostline's zod schema (through its JSON
 * Schema), plus the few settings only the extension reads. test/e2e/vscode.test.ts fails when
 * package.json drifts from this output; `npm run settings` (in clients/vscode) rewrites it.
 */
import { configJsonSchema } from '../../../server/src/config/docs.ts';

type Json = Record<string, unknown>;

export const SECTION = 'ghostline';

/** Keys under `ghostline` that only the extension reads; they are never sent to the server. */
export const CLIENT_ONLY_KEYS = ['server', 'trace'];

const CLIENT_SETTINGS: Record<string, Json> = {
  'ghostline.server.path': {
    type: 'string',
    default: 'ghostline',
    markdownDescription:
      "The `ghostline` executable (installed from a ghostline clone or the self-contained executable, see its README), or its full path. VS Code's extension host takes `PATH` from a login shell, so a full path is the surest.",
  },
  'ghostline.server.args': {
    type: 'array',
    items: { type: 'string' },
    default: ['--stdio'],
    markdownDescription: 'Arguments for the server executable.',
  },
  'ghostline.trace.server': {
    type: 'string',
    enum: ['off', 'messages', 'verbose'],
    default: 'off',
    markdownDescription: 'Log the Language Server Protocol traffic to the **ghostline** output.',
  },
};

/** A deep copy without the JSON Schema dialect marker, which VS Code does not want per setting. */
function clean(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(clean);
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: Json = {};
  for (const [key, value] of Object.entries(schema)) if (key !== '$schema') out[key] = clean(value);
  return out;
}

/** One VS Code setting: a default is required there, so "not set" becomes an explicit null. */
function setting(schema: Json): Json {
  const { description, ...rest } = clean(schema) as Json;
  const out: Json = { ...rest };
  if (!('default' in out)) {
    if (Array.isArray(out.anyOf)) out.anyOf = [...out.anyOf, { type: 'null' }];
    else if (Array.isArray(out.type)) out.type = [...out.type, 'null'];
    else if (typeof out.type === 'string') out.type = [out.type, 'null'];
    out.default = null;
  }
  if (typeof description === 'string') out.markdownDescription = description;
  return out;
}

/** `ghostline.<section>.<key>` for each key of each section; whole maps stay one object setting. */
export function contributedSettings(): Record<string, Json> {
  const root = configJsonSchema() as Json & { properties: Record<string, Json> };
  const out: Record<string, Json> = {};
  for (const [key, section] of Object.entries(root.properties)) {
    const children = section.properties as Record<string, Json> | undefined;
    if (!children) {
      out[`${SECTION}.${key}`] = setting(section);
      continue;
    }
    for (const [child, schema] of Object.entries(children)) out[`${SECTION}.${key}.${child}`] = setting(schema);
  }
  return { ...CLIENT_SETTINGS, ...out };
}

/** The `contributes.configuration` object of package.json. */
export function contributedConfiguration(): Json {
  return { type: 'object', title: 'ghostline', properties: contributedSettings() };
}
