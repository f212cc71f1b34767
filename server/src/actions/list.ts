/**
 * Builds the code-action menu without calling a model (editors ask on every cursor move): which
 * actions apply, their titles and kinds, filtered by the request's `only` kinds. The protocol edge
 * turns each entry into a resolvable code action, one with a command, or a bare command.
 */
import type { ActionArgs, ActionName, Range } from './types.ts';

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
      const message = diagnosticMessage.split('\n')[0]!.trim();
      if (message === '') return 'ghostline: Fix';
      return `ghostline: Fix "${message.length > 60 ? `${message.slice(0, 57)}...` : message}"`;
    }
  }
}

export function kindWanted(kind: string, only: readonly string[] | undefined): boolean {
  return !only || only.length === 0 || only.some((wanted) => kind === wanted || kind.startsWith(`${wanted}.`));
}

/** A diagnostic as the client sent it; passed back untouched on the fix action. */
export interface ListedDiagnostic {
  message: string | { value: string };
  range: Range;
  source?: string | undefined;
  code?: string | number | undefined;
}

export interface ListInput<D extends ListedDiagnostic> {
  uri: string;
  version: number;
  range: Range;
  diagnostics: readonly D[];
  only?: readonly string[] | undefined;
  variants: number;
}

/** One menu entry; the protocol edge makes it a code action (resolvable or with a command) or a bare command. */
export interface ActionEntry<D extends ListedDiagnostic = ListedDiagnostic> {
  action: ActionName;
  title: string;
  kind: string;
  args: ActionArgs;
  /** The diagnostic a fix entry is for. */
  diagnostic?: D;
  /** Its edit can be computed in codeAction/resolve; the others always run as commands. */
  resolvable: boolean;
}

export function listActions<D extends ListedDiagnostic>(input: ListInput<D>): ActionEntry<D>[] {
  const base: Omit<ActionArgs, 'range'> = { uri: input.uri, version: input.version };
  const entries: ActionEntry<D>[] = [];
  const add = (action: ActionName, args: ActionArgs, diagnostic?: D, message?: string) => {
    const kind = ACTION_KINDS[action];
    if (!kindWanted(kind, input.only)) return;
    entries.push({
      action,
      title: actionTitle(action, input.variants, message),
      kind,
      args,
      ...(diagnostic ? { diagnostic } : {}),
      resolvable: RESOLVABLE.has(action),
    });
  };
  for (const diagnostic of input.diagnostics) {
    const { source, code, range } = diagnostic;
    const message = typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value;
    const args: ActionArgs = {
      ...base,
      range,
      diagnostic: {
        message,
        range,
        ...(source !== undefined ? { source } : {}),
        ...(code !== undefined ? { code } : {}),
      },
    };
    add('fix', args, diagnostic, message);
  }
  for (const action of [
    'refactor',
    'refactorWithInstruction',
    'refactorVariants',
    'explain',
    'document',
    'generateTests',
  ] as const) {
    add(action, { ...base, range: input.range });
  }
  return entries;
}
