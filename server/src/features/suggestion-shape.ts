/**
 * Shared by the completion and inline-completion features (not a feature itself): where an
 * inserted suggestion starts, and the accept command an item carries.
 */
import type { Command } from 'vscode-languageserver';
import type { SuggestOutcome } from '../engine/engine.ts';
import { Commands, type AcceptArgs } from '../lsp/protocol.ts';

/** The identifier characters right before the cursor: clients filter items by this word. */
export function wordBefore(text: string, offset: number): string {
  const head = text.slice(Math.max(0, offset - 200), offset);
  return /[\p{L}\p{N}_$]*$/u.exec(head)?.[0] ?? '';
}

let nextId = 0;

export function acceptCommand(task: AcceptArgs['task'], outcome: Extract<SuggestOutcome, { kind: 'ok' }>): Command {
  const args: AcceptArgs = {
    id: `${process.pid.toString(36)}-${(nextId++).toString(36)}`,
    task,
    model: outcome.model,
    source: outcome.source,
    length: outcome.text.length,
    latencyMs: Math.round(outcome.latencyMs),
  };
  return { title: 'ghostline: suggestion accepted', command: Commands.accept, arguments: [args] };
}
