/**
 * Builds the code-action menu without calling a model (editors ask on every cursor move): each
 * action carries either `data` for codeAction/resolve or a `command` for workspace/executeCommand,
 * depending on what the client supports, and is filtered by the request's `only` kinds.
 */
import type { ClientCapabilities, CodeAction, Command, Diagnostic, Range } from 'vscode-languageserver';
import { Commands, LLM_GENERATED_TAG, type ActionArgs, type ActionName } from '../lsp/protocol.ts';

/** The kind of each action. Standard kinds where eglot has a command for them (it filters by exact kind). */
export const ACTION_KINDS: Record<ActionName, string> = {
  refactor: 'refactor.rewrite',
  refactorWithInstruction: 'refactor.rewrite',
  refactorVariants: 'refactor.rewrite',
  document: 'refactor.rewrite',
  explain: 'refactor.explain',
  generateTests: 'source.generate.tests',
  fix: 'quickfix',
};

export const ALL_KINDS = [...new Set(Object.values(ACTION_KINDS))];

/** Actions whose result is an edit and can be computed in codeAction/resolve; the others always run as commands. */
const RESOLVABLE: ReadonlySet<ActionName> = new Set(['refactor', 'document', 'generateTests', 'fix']);

export function actionTitle(action: ActionName, variants: number, diagnosticMessage = ''): string {
  switch (action) {
    case 'refactor':
      return 'ghostline: Refactor';
    case 'refactorWithInstruction':
      return 'ghostline: Refactor with instruction…';
    case 'refactorVariants':
      return `ghostline: Refactor (${variants} variants)`;
    case 'explain':
      return 'ghostline: Explain';
    case 'generateTests':
      return 'ghostline: Generate unit tests';
    case 'document':
      return 'ghostline: Add or update doc comment';
    case 'fix': {
      const message = diagnosticMessage.split('\n')[0]!;
      return `ghostline: Fix "${message.length > 60 ? `${message.slice(0, 57)}...` : message}"`;
    }
  }
}

/** What the resolve request carries back in `data`. */
export interface ActionData {
  ghostline: ActionName;
  args: ActionArgs;
}

export function isActionData(value: unknown): value is ActionData {
  const data = value as Partial<ActionData> | undefined;
  return typeof data === 'object' && data !== null && typeof data.ghostline === 'string' && typeof data.args?.uri === 'string';
}

export function supportsResolve(client: ClientCapabilities): boolean {
  const codeAction = client.textDocument?.codeAction;
  return codeAction?.dataSupport === true && (codeAction.resolveSupport?.properties ?? []).includes('edit');
}

export function kindWanted(kind: string, only: readonly string[] | undefined): boolean {
  return !only || only.length === 0 || only.some((wanted) => kind === wanted || kind.startsWith(`${wanted}.`));
}

export interface ListInput {
  uri: string;
  version: number;
  range: Range;
  diagnostics: readonly Diagnostic[];
  only?: readonly string[] | undefined;
  variants: number;
}

export function listActions(input: ListInput, client: ClientCapabilities): (CodeAction | Command)[] {
  const literals = client.textDocument?.codeAction?.codeActionLiteralSupport !== undefined;
  const resolve = supportsResolve(client);
  const tagged = (client.textDocument?.codeAction?.tagSupport?.valueSet ?? []).includes(LLM_GENERATED_TAG as 1);
  const base: Omit<ActionArgs, 'range'> = { uri: input.uri, version: input.version };
  const entries: { action: ActionName; args: ActionArgs; diagnostic?: Diagnostic; message?: string }[] = [];
  for (const diagnostic of input.diagnostics) {
    const { source, code, range } = diagnostic;
    const message = typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value;
    const args: ActionArgs = { ...base, range, diagnostic: { message, range, ...(source !== undefined ? { source } : {}), ...(code !== undefined ? { code } : {}) } };
    entries.push({ action: 'fix', args, diagnostic, message });
  }
  for (const action of ['refactor', 'refactorWithInstruction', 'refactorVariants', 'explain', 'document', 'generateTests'] as const) {
    entries.push({ action, args: { ...base, range: input.range } });
  }
  const result: (CodeAction | Command)[] = [];
  for (const { action, args, diagnostic, message } of entries) {
    const kind = ACTION_KINDS[action];
    if (!kindWanted(kind, input.only)) continue;
    const title = actionTitle(action, input.variants, message);
    const command: Command = { title, command: Commands[action], arguments: [args] };
    if (!literals) {
      result.push(command);
      continue;
    }
    const codeAction: CodeAction = { title, kind };
    if (diagnostic) codeAction.diagnostics = [diagnostic];
    if (tagged) codeAction.tags = [LLM_GENERATED_TAG as 1];
    if (resolve && RESOLVABLE.has(action)) codeAction.data = { ghostline: action, args } satisfies ActionData;
    else codeAction.command = command;
    result.push(codeAction);
  }
  return result;
}
