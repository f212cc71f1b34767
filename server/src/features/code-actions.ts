/**
 * Code actions in plain terms: the menu for a range (never a model call), and running a chosen
 * action — refactor, refactor with an instruction, refactor variants, explain, unit tests, fix a
 * diagnostic, doc comments — with progress (and streaming for clients that opt in). A run returns
 * a value: a versioned edit to apply, nothing more to do, or cancelled; explanations and variant
 * listings are presented and questions asked through the client port.
 */
import { actionTitle, listActions, type ActionEntry, type ListedDiagnostic } from '../actions/list.ts';

export { ALL_KINDS } from '../actions/list.ts';
import { runAction } from '../actions/run.ts';
import { settle } from '../actions/settle.ts';
import type { ActionArgs, ActionDeps, ActionName, ActionOutcome, FileEdit, Range } from '../actions/types.ts';
import { openRun, pickInstruction, pickVariant, presentText } from './action-run.ts';
import type { FeatureContext, VersionedEdit } from './types.ts';

export type Executed = { kind: 'edit'; edit: VersionedEdit } | { kind: 'done' } | { kind: 'cancelled' };

/** What a command run gives back to the client: whether the edit was applied, or nothing. */
export type CommandResult = { kind: 'applied'; applied: boolean } | { kind: 'none' } | { kind: 'cancelled' };

export interface RunOptions {
  /** The request's cancellation, converted once at the protocol edge. */
  signal: AbortSignal;
  workDoneToken?: string | number | undefined;
}

export interface ActionMenu<D extends ListedDiagnostic> {
  entries: ActionEntry<D>[];
  /** Variants the user has not picked yet, each with its edit. */
  variants: { title: string; edit: VersionedEdit }[];
}

/** Variants the user has not picked yet, offered in the menu until the document changes. */
interface PendingVariants {
  version: number;
  model: string;
  variants: { title: string; files: FileEdit[] }[];
}

function variantListing(variants: readonly { title: string; code: string }[]): string {
  return variants.map((v, i) => `## ${i + 1}. ${v.title}\n\n\`\`\`\n${v.code}\n\`\`\``).join('\n\n');
}

export class CodeActions {
  private readonly context: FeatureContext;
  private readonly pending = new Map<string, PendingVariants>();
  private runs = 0;

  constructor(context: FeatureContext) {
    this.context = context;
  }

  /** The menu for a range: never calls a model (editors ask on every cursor move). */
  list<D extends ListedDiagnostic>(request: {
    uri: string;
    range: Range;
    diagnostics: readonly D[];
    only?: readonly string[] | undefined;
  }): ActionMenu<D> {
    const { documents } = this.context;
    const doc = documents.get(request.uri);
    const config = this.context.services().config;
    if (!doc || doc.binary || !config.actions.enabled) return { entries: [], variants: [] };
    const entries = listActions({
      uri: doc.uri,
      version: doc.version,
      range: request.range,
      diagnostics: request.diagnostics,
      only: request.only,
      variants: config.actions.variants,
    });
    const variants: ActionMenu<D>['variants'] = [];
    const waiting = this.pending.get(doc.uri);
    if (waiting && waiting.version !== doc.version) this.pending.delete(doc.uri);
    else if (waiting && this.context.client.abilities.codeActionLiterals) {
      waiting.variants.forEach((variant, i) => {
        const built = this.build('refactorVariants', variant.files, waiting.model, variant.title);
        if ('edit' in built)
          variants.push({ title: `ghostline: Use variant ${i + 1}: ${variant.title}`, edit: built.edit });
      });
    }
    return { entries, variants };
  }

  /** Runs an action for codeAction/resolve: its edit, to put in the resolved action. */
  resolve(action: ActionName, args: ActionArgs, options: RunOptions): Promise<Executed> {
    return this.execute(action, args, options);
  }

  /** Runs an action for workspace/executeCommand, applying its edit through the client. */
  async command(action: ActionName, args: ActionArgs, options: RunOptions): Promise<CommandResult> {
    const { client } = this.context;
    let run = args;
    if (action === 'refactorWithInstruction' && !args.instruction?.trim()) {
      const instruction = await pickInstruction(client);
      if (!instruction) {
        client.showMessage(
          'warning',
          'ghostline: "Refactor with instruction" needs an instruction. Your editor can pass one as the `instruction` argument of ghostline.refactorWithInstruction (docs/code-actions.md).',
        );
        return { kind: 'none' };
      }
      run = { ...args, instruction };
    }
    const result = await this.execute(action, run, options);
    if (result.kind === 'cancelled') return result;
    if (result.kind !== 'edit') return { kind: 'none' };
    if (!client.abilities.applyEdit) {
      client.showMessage(
        'error',
        'ghostline: your editor does not accept workspace/applyEdit, so the edit cannot be applied.',
      );
      return { kind: 'none' };
    }
    const applied = await client.applyEdit(result.edit);
    if (!applied.applied) {
      client.showMessage(
        'warning',
        `ghostline: the editor did not apply the edit${applied.failureReason ? ` (${applied.failureReason})` : ''}; the document probably changed. Run the action again.`,
      );
    }
    return { kind: 'applied', applied: applied.applied };
  }

  /** Settles edits against the current text; a message when they conflict. */
  private build(
    action: ActionName,
    files: FileEdit[],
    model: string,
    label: string,
  ): { edit: VersionedEdit } | { conflict: string } {
    const settled = settle(files, this.context.documents);
    if (settled.kind === 'conflict') return { conflict: settled.message };
    return { edit: { label, action, model, files: settled.files } };
  }

  private deps(): ActionDeps {
    const services = this.context.services();
    return {
      config: () => services.config,
      logger: services.logger,
      calls: services.calls,
      documents: this.context.documents,
      pathOf: this.context.pathOf,
      workspaceRoot: () => services.workspaceRoot,
      guidance: (filePath) => services.guidance(filePath),
      context: services.regionContext,
    };
  }

  private async execute(action: ActionName, args: ActionArgs, options: RunOptions): Promise<Executed> {
    const { client } = this.context;
    const services = this.context.services();
    const config = services.config;
    const title = actionTitle(action, config.actions.variants, args.diagnostic?.message);
    const run = await openRun({
      client,
      action,
      id: `${action}-${++this.runs}`,
      title,
      signal: options.signal,
      workDoneToken: options.workDoneToken,
    });
    let outcome: ActionOutcome;
    try {
      outcome = await runAction(this.deps(), { action, args, signal: run.signal, sink: run });
    } catch (error) {
      services.logger.error({ err: error, action }, 'code action crashed');
      run.finish({ error: 'internal error' });
      client.showMessage('error', `${title} failed with an internal error; see the log.`);
      return { kind: 'done' };
    }
    switch (outcome.kind) {
      case 'cancelled':
        run.finish({ error: 'cancelled' });
        return { kind: 'cancelled' };
      case 'refused':
        run.finish({ error: outcome.message });
        client.showMessage(outcome.severity, outcome.message);
        return { kind: 'done' };
      case 'text':
        run.finish({ final: outcome.text });
        if (!run.streaming) await presentText(client, run.id, `${title} (${outcome.model})`, outcome.text);
        return { kind: 'done' };
      case 'edit': {
        const built = this.build(action, outcome.files, outcome.model, `${title}: ${outcome.summary}`);
        if ('conflict' in built) {
          run.finish({ error: built.conflict });
          client.showMessage('warning', built.conflict);
          return { kind: 'done' };
        }
        run.finish({ final: outcome.summary });
        return { kind: 'edit', edit: built.edit };
      }
      case 'variants': {
        // Streaming clients see the code of every variant before they choose, as the others do in a document.
        const listing = variantListing(outcome.variants);
        run.finish({ final: listing });
        if (!run.streaming) await client.showDocument(run.id, `# ${title} (${outcome.model})\n\n${listing}\n`);
        const picked = await pickVariant(
          client,
          outcome.variants.map((v) => v.title),
        );
        const chosen = typeof picked === 'number' ? outcome.variants[picked] : undefined;
        if (chosen) {
          const built = this.build(action, chosen.files, outcome.model, `${title}: ${chosen.title}`);
          if ('edit' in built) return { kind: 'edit', edit: built.edit };
          client.showMessage('warning', built.conflict);
          return { kind: 'done' };
        }
        this.pending.set(args.uri, { version: args.version, model: outcome.model, variants: outcome.variants });
        client.showMessage(
          'info',
          'ghostline: the refactor variants are in the code-action menu ("ghostline: Use variant …") until the document changes.',
        );
        return { kind: 'done' };
      }
    }
  }
}
