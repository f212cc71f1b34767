/**
 * `textDocument/codeAction`, `codeAction/resolve` and the action commands: refactor, refactor with
 * an instruction, refactor variants, explain, unit tests, fix a diagnostic, doc comments. Listing
 * never calls a model; a chosen action runs with progress (and streaming for clients that opt in),
 * and its edit reaches the client versioned — in the resolve answer, or by workspace/applyEdit.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { LSPErrorCodes, ResponseError, type CancellationToken, type CodeAction, type ProgressToken, type WorkspaceEdit } from 'vscode-languageserver';
import { runAction } from '../actions/run.ts';
import { actionTitle, ALL_KINDS, isActionData, listActions, supportsResolve } from '../actions/list.ts';
import { pickInstruction, pickVariant, presentText, showMarkdown } from '../actions/present.ts';
import { openRun } from '../actions/progress.ts';
import { settle } from '../actions/settle.ts';
import type { ActionDeps, ActionOutcome, FileEdit } from '../actions/types.ts';
import { editSupport, toWorkspaceEdit } from '../actions/workspace-edit.ts';
import { Commands, type ActionArgs, type ActionName } from '../lsp/protocol.ts';
import type { Feature, FeatureContext } from './types.ts';

const ACTIONS = Object.keys(Commands).filter((key): key is ActionName => key !== 'accept' && key !== 'stats');
const ACTION_BY_COMMAND = new Map<string, ActionName>(ACTIONS.map((action) => [Commands[action], action]));
const MESSAGE_TYPE = { error: 1, warning: 2, info: 3 } as const;

type Executed = { kind: 'edit'; edit: WorkspaceEdit; label: string } | { kind: 'done' } | { kind: 'cancelled' };

/** Variants the user has not picked yet, offered in the menu until the document changes. */
interface PendingVariants {
  version: number;
  model: string;
  variants: { title: string; files: FileEdit[] }[];
}

function validArgs(value: unknown): value is ActionArgs {
  const args = value as Partial<ActionArgs> | undefined;
  return typeof args === 'object' && args !== null && typeof args.uri === 'string' && typeof args.version === 'number' && typeof args.range?.start?.line === 'number';
}

export const codeActionsFeature: Feature = {
  name: 'code-actions',
  capabilities: (client) => ({
    codeActionProvider: client.textDocument?.codeAction?.codeActionLiteralSupport ? { codeActionKinds: ALL_KINDS, resolveProvider: supportsResolve(client) } : true,
    executeCommandProvider: { commands: ACTIONS.map((action) => Commands[action]) },
  }),
  register(context: FeatureContext) {
    const { connection, documents, logger } = context;
    const deps: ActionDeps = { ...context, documents };
    const pending = new Map<string, PendingVariants>();
    let runs = 0;

    const show = (severity: keyof typeof MESSAGE_TYPE, message: string) => void connection.sendNotification('window/showMessage', { type: MESSAGE_TYPE[severity], message });

    /** Settles edits against the current text and builds the WorkspaceEdit; a message when they conflict. */
    const build = (action: ActionName, files: FileEdit[], model: string): { edit: WorkspaceEdit } | { conflict: string } => {
      const settled = settle(files, documents);
      if (settled.kind === 'conflict') return { conflict: settled.message };
      const support = editSupport(context.client(), documents.encoding);
      for (const file of settled.files) {
        // Without CreateFile support the empty file is made here, and the edit fills it.
        if (file.create && !support.create && file.uri.startsWith('file:')) writeFileSync(fileURLToPath(file.uri), '', { flag: 'wx' });
      }
      return { edit: toWorkspaceEdit(settled.files, support, action, model) };
    };

    const execute = async (action: ActionName, args: ActionArgs, request: { token?: CancellationToken; workDoneToken?: ProgressToken }): Promise<Executed> => {
      const config = context.config();
      const client = context.client();
      const title = actionTitle(action, config.actions.variants);
      const run = await openRun({ connection, client, streamingSetting: config.actions.streaming, action, id: `${action}-${++runs}`, title, workDoneToken: request.workDoneToken, token: request.token });
      let outcome: ActionOutcome;
      try {
        outcome = await runAction(deps, { action, args, signal: run.signal, sink: run });
      } catch (error) {
        logger.error({ err: error, action }, 'code action crashed');
        run.finish({ error: 'internal error' });
        show('error', `ghostline: ${title} failed with an internal error; see the log.`);
        return { kind: 'done' };
      }
      switch (outcome.kind) {
        case 'cancelled':
          run.finish({ error: 'cancelled' });
          return { kind: 'cancelled' };
        case 'refused':
          run.finish({ error: outcome.message });
          show(outcome.severity, outcome.message);
          return { kind: 'done' };
        case 'text':
          run.finish({ final: outcome.text });
          if (!run.streaming) await presentText(connection, client, run.id, `${title} (${outcome.model})`, outcome.text);
          return { kind: 'done' };
        case 'edit': {
          const built = build(action, outcome.files, outcome.model);
          if ('conflict' in built) {
            run.finish({ error: built.conflict });
            show('warning', built.conflict);
            return { kind: 'done' };
          }
          run.finish({ final: outcome.summary });
          return { kind: 'edit', edit: built.edit, label: `${title}: ${outcome.summary}` };
        }
        case 'variants': {
          run.finish({ final: outcome.variants.map((v, i) => `${i + 1}. ${v.title}`).join('\n') });
          if (!run.streaming) {
            const listing = outcome.variants.map((v, i) => `## ${i + 1}. ${v.title}\n\n\`\`\`\n${v.code}\n\`\`\``).join('\n\n');
            await showMarkdown(connection, client, run.id, `# ${title} (${outcome.model})\n\n${listing}\n`);
          }
          const picked = await pickVariant(connection, outcome.variants.map((v) => v.title));
          const chosen = typeof picked === 'number' ? outcome.variants[picked] : undefined;
          if (chosen) {
            const built = build(action, chosen.files, outcome.model);
            if ('edit' in built) return { kind: 'edit', edit: built.edit, label: `${title}: ${chosen.title}` };
            show('warning', built.conflict);
            return { kind: 'done' };
          }
          pending.set(args.uri, { version: args.version, model: outcome.model, variants: outcome.variants });
          show('info', 'ghostline: the refactor variants are in the code-action menu ("ghostline: Use variant …") until the document changes.');
          return { kind: 'done' };
        }
      }
    };

    connection.onCodeAction((params) => {
      const doc = documents.get(params.textDocument.uri);
      const config = context.config();
      if (!doc || doc.binary || !config.actions.enabled) return [];
      const client = context.client();
      const actions = listActions(
        { uri: doc.uri, version: doc.version, range: params.range, diagnostics: params.context.diagnostics, only: params.context.only, variants: config.actions.variants },
        client,
      );
      const waiting = pending.get(doc.uri);
      if (waiting && waiting.version !== doc.version) pending.delete(doc.uri);
      else if (waiting && client.textDocument?.codeAction?.codeActionLiteralSupport) {
        waiting.variants.forEach((variant, i) => {
          const built = build('refactorVariants', variant.files, waiting.model);
          if ('edit' in built) actions.push({ title: `ghostline: Use variant ${i + 1}: ${variant.title}`, kind: 'refactor.rewrite', edit: built.edit });
        });
      }
      return actions;
    });

    connection.onCodeActionResolve(async (action: CodeAction, token) => {
      if (!isActionData(action.data)) return action;
      const result = await execute(action.data.ghostline, action.data.args, { token });
      if (result.kind === 'edit') return { ...action, edit: result.edit };
      if (result.kind === 'cancelled' && token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'request cancelled');
      return action;
    });

    connection.onExecuteCommand(async (params, token) => {
      const action = ACTION_BY_COMMAND.get(params.command);
      let args = params.arguments?.[0] as unknown;
      if (!action) return null;
      if (!validArgs(args)) {
        show('error', `ghostline: ${params.command} needs one argument {uri, range, version} (docs/code-actions.md).`);
        return null;
      }
      if (action === 'refactorWithInstruction' && !args.instruction?.trim()) {
        const instruction = await pickInstruction(connection);
        if (!instruction) {
          show('warning', 'ghostline: "Refactor with instruction" needs an instruction. Your editor can pass one as the `instruction` argument of ghostline.refactorWithInstruction (docs/code-actions.md).');
          return null;
        }
        args = { ...args, instruction };
      }
      const result = await execute(action, args as ActionArgs, { token, workDoneToken: params.workDoneToken });
      if (result.kind === 'cancelled' && token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'request cancelled');
      if (result.kind !== 'edit') return null;
      if (context.client().workspace?.applyEdit !== true) {
        show('error', 'ghostline: your editor does not accept workspace/applyEdit, so the edit cannot be applied.');
        return null;
      }
      const applied = await connection.workspace.applyEdit({ label: result.label, edit: result.edit });
      if (!applied.applied) {
        show('warning', `ghostline: the editor did not apply the edit${applied.failureReason ? ` (${applied.failureReason})` : ''}; the document probably changed. Run the action again.`);
      }
      return { applied: applied.applied };
    });
  },
};
