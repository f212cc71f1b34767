/**
 * Shared by the completion and inline-completion features (not a feature itself): where an
 * inserted suggestion starts, and the accept signal an item carries.
 */
import type { SuggestOutcome } from '../engine/engine.ts';

/** What the client sends back when a suggestion is accepted (the item's command argument). */
export interface AcceptArgs {
  id: string;
  task: 'completion' | 'inline';
  model: string;
  source: string;
  length: number;
  latencyMs: number;
  /** The document's language id, for acceptance by language on the dashboard. */
  language?: string;
}

/** The identifier characters right before the cursor: clients filter items by this word. */
export function wordBefore(text: string, offset: number): string {
  const head = text.slice(Math.max(0, offset - 200), offset);
  return /[\p{L}\p{N}_$]*$/u.exec(head)?.[0] ?? '';
}

let nextId = 0;

export function acceptArgs(
  task: AcceptArgs['task'],
  outcome: Extract<SuggestOutcome, { kind: 'ok' }>,
  language?: string,
): AcceptArgs {
  return {
    id: `${process.pid.toString(36)}-${(nextId++).toString(36)}`,
    task,
    model: outcome.model,
    source: outcome.source,
    length: outcome.text.length,
    latencyMs: Math.round(outcome.latencyMs),
    language,
  };
}

/** A suggestion ready for the protocol edge: the text replacing `range`, and its accept signal. */
export interface Suggested {
  kind: 'ok';
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  text: string;
  model: string;
  languageId: string;
  accept: AcceptArgs;
}

/** Every request gets one of these: a suggestion, nothing (with why), or cancelled by the client. */
export type SuggestAnswer = Suggested | { kind: 'empty' } | { kind: 'cancelled' };
