/**
 * `workspace/executeCommand`: the accept signal items carry (counted and logged with latency,
 * no source text) and `ghostline.stats`, which returns this process's counters.
 */
import { Commands, type AcceptArgs } from '../lsp/protocol.ts';
import type { Feature, FeatureContext } from './types.ts';

export const commandsFeature: Feature = {
  name: 'commands',
  capabilities: () => ({ executeCommandProvider: { commands: [Commands.accept, Commands.stats] } }),
  register(context: FeatureContext) {
    context.connection.onExecuteCommand((params) => {
      switch (params.command) {
        case Commands.accept: {
          const args = params.arguments?.[0] as Partial<AcceptArgs> | undefined;
          context.metrics.accepted++;
          context.logger.info(
            { event: 'accepted', id: args?.id, task: args?.task, model: args?.model, source: args?.source, length: args?.length, latencyMs: args?.latencyMs, shown: context.metrics.shown, accepted: context.metrics.accepted },
            'suggestion accepted',
          );
          return null;
        }
        case Commands.stats:
          return { ...context.metrics, documents: context.documents.size, memory: process.memoryUsage().rss };
        default:
          return null;
      }
    });
  },
};
