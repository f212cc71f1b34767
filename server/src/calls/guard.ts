/**
 * The safety hooks the model-call service applies around every model call: exclusion before,
 * redaction of the prompt, restoring the user's own text and scrubbing credentials after.
 * safety/ implements the guard; a prompt reaches the model only as a `GuardedPrompt`, which only
 * the model-call service (calls/model-calls.ts) makes.
 */
import type { CallMeta } from '../router/router.ts';

export interface Prompt {
  instructions: string;
  input: string;
  /**
   * Offsets in `input`, ascending, where one self-contained block ends and the next begins (the
   * repository snippets that open a completion prompt). No secret spans them, so the guard may
   * redact the blocks apart and reuse what it found in a block it saw before.
   */
  blocks?: readonly number[];
}

export interface PromptGuard {
  /** A reason to send nothing for this file (excluded by policy), or undefined. */
  refuse(path: string): string | undefined;
  /**
   * Redacts secrets from the prompt; `restore` maps placeholders in the answer back locally and
   * `redactions` counts the secrets replaced (for the audit trail).
   */
  prepare(prompt: Prompt): { prompt: Prompt; restore: (text: string) => string; redactions: number };
  /**
   * Removes credentials from model text. Call it on the raw answer, before `restore`: placeholders
   * survive scrubbing, and the user's own secrets that `restore` puts back are never removed.
   */
  scrub(text: string): string;
}

declare const GUARDED: unique symbol;

/** A prompt the guard has redacted, with the facts the audit trail records about it. */
export type GuardedPrompt = Prompt & { readonly meta: CallMeta; readonly [GUARDED]: true };

/** What guarding a prompt gives back: the prompt to send, and how to read the answer. */
export interface Guarded {
  prompt: GuardedPrompt;
  /** Scrubs credentials from a raw answer, then puts the user's own redacted text back. */
  finish(raw: string): string;
  /** Puts the user's own redacted text back without scrubbing (streamed previews). */
  restore(text: string): string;
}

/**
 * A guard that lets everything through unchanged. Only for tests and tools that must say so
 * explicitly: the server always builds the real one (safety/guard.ts).
 */
export const NO_GUARD: PromptGuard = {
  refuse: () => undefined,
  prepare: (prompt) => ({ prompt, restore: (text) => text, redactions: 0 }),
  scrub: (text) => text,
};
