/**
 * The accept signal items carry (counted and logged with latency, no source text) and the
 * process's counters for `ghostline.stats`.
 */
import type { AcceptArgs } from './suggestion-shape.ts';
import type { FeatureContext } from './types.ts';

export function accepted(context: FeatureContext, args: Partial<AcceptArgs> | undefined): void {
  const { metrics, logger, usage } = context.services();
  metrics.accepted++;
  usage.accepted({ task: args?.task, language: args?.language, model: args?.model });
  logger.info(
    {
      event: 'accepted',
      id: args?.id,
      task: args?.task,
      model: args?.model,
      source: args?.source,
      length: args?.length,
      latencyMs: args?.latencyMs,
      shown: metrics.shown,
      accepted: metrics.accepted,
    },
    'suggestion accepted',
  );
}

export function stats(context: FeatureContext): Record<string, number> {
  return { ...context.services().metrics, documents: context.documents.size, memory: process.memoryUsage().rss };
}
