/**
 * The repository context of one code action: definitions (from other files) of what the region
 * uses, within the budget of the action's task (`actions.context.maxTokens.<task>`). A failure
 * there costs the context, never the action.
 */
import { NO_CONTEXT, type GatheredContext } from '../context/repo-context.ts';
import type { Task } from '../providers/types.ts';
import type { ActionDeps, Prepared } from './types.ts';

type ActionTask = Exclude<Task, 'completion' | 'inline'>;

export async function actionContext(
  deps: ActionDeps,
  task: ActionTask,
  prepared: Prepared,
  options: { testPath?: string } = {},
): Promise<GatheredContext> {
  const settings = deps.config().actions.context;
  const maxTokens = settings.maxTokens[task];
  if (!deps.context || !settings.enabled || maxTokens <= 0) return NO_CONTEXT;
  try {
    return await deps.context.gather({
      uri: prepared.doc.uri,
      path: prepared.path,
      languageId: prepared.doc.languageId,
      text: prepared.doc.text,
      start: prepared.span.start,
      end: prepared.span.end,
      maxTokens,
      ...(options.testPath !== undefined ? { testPath: options.testPath } : {}),
    });
  } catch (error) {
    deps.logger.debug({ err: error, task }, 'repository context for a code action failed');
    return NO_CONTEXT;
  }
}
