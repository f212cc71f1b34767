/**
 * The shape of every handler's params, checked at the protocol edge with zod, so a malformed
 * message gets InvalidParams naming the field (or, for a notification, a log line naming it)
 * instead of an internal error from deep inside a handler. Objects stay open to extra fields:
 * clients send more than ghostline reads.
 */
import * as z from '../config/zod.ts';
import { ACTION_NAMES } from '../features/types.ts';

/** An integer; `natural`: one from 0 up (lines, characters). */
const integer = () => z.number().check(z.int());
const natural = () => z.number().check(z.int(), z.minimum(0));

export const position = z.looseObject({ line: natural(), character: natural() });
export const range = z.looseObject({ start: position, end: position });
const textDocument = z.looseObject({ uri: z.string() });
const code = z.union([z.string(), z.number()]);

const diagnostic = z.looseObject({
  range,
  message: z.union([z.string(), z.looseObject({ value: z.string() })]),
  source: z.optional(z.string()),
  code: z.optional(code),
});

export const completionParams = z.looseObject({
  textDocument,
  position,
  context: z.nullish(z.looseObject({ triggerKind: integer() })),
});

export const inlineCompletionParams = z.looseObject({
  textDocument,
  position,
  context: z.nullish(
    z.looseObject({
      triggerKind: integer(),
      selectedCompletionInfo: z.nullish(z.looseObject({ range, text: z.string() })),
    }),
  ),
});

export const codeActionParams = z.looseObject({
  textDocument,
  range,
  context: z.looseObject({ diagnostics: z.array(diagnostic), only: z.nullish(z.array(z.string())) }),
});

export const actionArgs = z.looseObject({
  uri: z.string(),
  range,
  version: integer(),
  instruction: z.optional(z.string()),
  diagnostic: z.optional(
    z.looseObject({
      message: z.string(),
      source: z.optional(z.string()),
      code: z.optional(code),
      range,
    }),
  ),
});

/** The `data` ghostline puts on a resolvable code action. */
export const actionData = z.looseObject({ ghostline: z.enum(ACTION_NAMES as [string, ...string[]]), args: actionArgs });

export const codeActionResolveParams = z.looseObject({ title: z.string(), data: z.optional(z.unknown()) });

export const executeCommandParams = z.looseObject({
  command: z.string(),
  arguments: z.nullish(z.array(z.unknown())),
  workDoneToken: z.optional(code),
});

export const didOpenParams = z.looseObject({
  textDocument: z.looseObject({
    uri: z.string(),
    languageId: z.string(),
    version: z.optional(integer()),
    text: z.string(),
  }),
});

const contentChange = z.union([
  z.looseObject({ range, rangeLength: z.optional(integer()), text: z.string() }),
  z.looseObject({ text: z.string() }),
]);

export const didChangeParams = z.looseObject({
  textDocument: z.looseObject({ uri: z.string(), version: integer() }),
  contentChanges: z.array(contentChange),
});

export const didCloseParams = z.looseObject({ textDocument });

export const initializeParams = z.looseObject({
  capabilities: z.catch(z.looseObject({}), {}),
  rootUri: z.catch(z.nullish(z.string()), undefined),
  workspaceFolders: z.catch(z.nullish(z.array(z.looseObject({ uri: z.string() }))), undefined),
  initializationOptions: z.optional(z.unknown()),
  clientInfo: z.optional(z.unknown()),
});

/** The first problem of a failed parse, naming the field: `position.line: expected an integer`. */
export function describeIssue(error: z.core.$ZodError): string {
  const issue = error.issues[0]!;
  const path = issue.path.map(String).join('.');
  return `${path || 'params'}: ${issue.message}`;
}

/** Parses params, or says which field is wrong. */
export function check<T extends z.ZodMiniType>(
  schema: T,
  params: unknown,
): { ok: true; value: z.infer<T> } | { ok: false; problem: string } {
  const parsed = schema.safeParse(params ?? {});
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, problem: describeIssue(parsed.error) };
}
