/**
 * The shape of every handler's params, checked at the protocol edge with zod, so a malformed
 * message gets InvalidParams naming the field (or, for a notification, a log line naming it)
 * instead of an internal error from deep inside a handler. Objects stay open to extra fields:
 * clients send more than ghostline reads.
 */
import { z } from 'zod';
import { ACTION_NAMES } from '../features/types.ts';

const line = z.number().int().min(0);
export const position = z.looseObject({ line, character: z.number().int().min(0) });
export const range = z.looseObject({ start: position, end: position });
const textDocument = z.looseObject({ uri: z.string() });

const diagnostic = z.looseObject({
  range,
  message: z.union([z.string(), z.looseObject({ value: z.string() })]),
  source: z.string().optional(),
  code: z.union([z.string(), z.number()]).optional(),
});

export const completionParams = z.looseObject({
  textDocument,
  position,
  context: z.looseObject({ triggerKind: z.number().int() }).nullish(),
});

export const inlineCompletionParams = z.looseObject({
  textDocument,
  position,
  context: z
    .looseObject({
      triggerKind: z.number().int(),
      selectedCompletionInfo: z.looseObject({ range, text: z.string() }).nullish(),
    })
    .nullish(),
});

export const codeActionParams = z.looseObject({
  textDocument,
  range,
  context: z.looseObject({ diagnostics: z.array(diagnostic), only: z.array(z.string()).nullish() }),
});

export const actionArgs = z.looseObject({
  uri: z.string(),
  range,
  version: z.number().int(),
  instruction: z.string().optional(),
  diagnostic: z
    .looseObject({
      message: z.string(),
      source: z.string().optional(),
      code: z.union([z.string(), z.number()]).optional(),
      range,
    })
    .optional(),
});

/** The `data` ghostline puts on a resolvable code action. */
export const actionData = z.looseObject({ ghostline: z.enum(ACTION_NAMES as [string, ...string[]]), args: actionArgs });

export const codeActionResolveParams = z.looseObject({ title: z.string(), data: z.unknown().optional() });

export const executeCommandParams = z.looseObject({
  command: z.string(),
  arguments: z.array(z.unknown()).nullish(),
  workDoneToken: z.union([z.string(), z.number()]).optional(),
});

export const didOpenParams = z.looseObject({
  textDocument: z.looseObject({
    uri: z.string(),
    languageId: z.string(),
    version: z.number().int().optional(),
    text: z.string(),
  }),
});

const contentChange = z.union([
  z.looseObject({ range, rangeLength: z.number().int().optional(), text: z.string() }),
  z.looseObject({ text: z.string() }),
]);

export const didChangeParams = z.looseObject({
  textDocument: z.looseObject({ uri: z.string(), version: z.number().int() }),
  contentChanges: z.array(contentChange),
});

export const didCloseParams = z.looseObject({ textDocument });

export const initializeParams = z.looseObject({
  capabilities: z.looseObject({}).catch({}),
  rootUri: z.string().nullish().catch(undefined),
  workspaceFolders: z
    .array(z.looseObject({ uri: z.string() }))
    .nullish()
    .catch(undefined),
  initializationOptions: z.unknown().optional(),
  clientInfo: z.unknown().optional(),
});

/** The first problem of a failed parse, naming the field: `position.line: expected an integer`. */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0]!;
  const path = issue.path.map(String).join('.');
  return `${path || 'params'}: ${issue.message}`;
}

/** Parses params, or says which field is wrong. */
export function check<T extends z.ZodType>(
  schema: T,
  params: unknown,
): { ok: true; value: z.infer<T> } | { ok: false; problem: string } {
  const parsed = schema.safeParse(params ?? {});
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, problem: describeIssue(parsed.error) };
}
