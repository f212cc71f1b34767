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
  /** Redacts secrets from the prompt; `restore` maps placeholders in the answer back locally. */
  prepare(prompt: Prompt): { prompt: Prompt; restore: (text: string) => string };
  /** Removes credentials from text about to be inserted. */
  scrub(text: string): string;
}
