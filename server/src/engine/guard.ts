/**
 * The safety hooks the completion pipeline calls around every model call: exclusion before,
 * redaction of the prompt, restoring the user's own text and scrubbing credentials after.
 * safety/ implements it; the engine only knows this shape.
 */

export interface Prompt {
  instructions: string;
  input: string;
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
