/**
 * Replaces secrets in a prompt by stable placeholders before it leaves the machine, and maps the
 * placeholders a model copies into its answer back to the user's own text, locally.
 *
 * Placeholder format: `«secret:KIND:N»`, e.g. `«secret:github-token:1»`. Guillemets almost never
 * occur in code, so restoring cannot hit ordinary text; the inside is plain ASCII words that
 * tokenizers keep intact and models copy verbatim. The same secret gets the same placeholder in
 * every prompt of the process (numbers count per kind), so prompts stay byte-stable for the
 * prompt cache and the model sees which values are equal.
 */
import { detectSecrets } from './detect.ts';

export interface RedactionResult {
  /** The text with every detected secret replaced by its placeholder. */
  text: string;
  /** How many secrets were replaced. */
  count: number;
  /** Replaces this prompt's placeholders in model output by the original secrets. */
  restore: (modelText: string) => string;
  /** Distinct kinds found, in order of first appearance. */
  kinds: string[];
}

export interface Redactor {
  redact(text: string): RedactionResult;
}

export interface RedactorOptions {
  /** Secrets remembered for stable placeholders; the oldest is forgotten beyond this. */
  maxRemembered?: number;
}

/** Matches any placeholder this module can produce. */
export const PLACEHOLDER_PATTERN = /«secret:[a-z0-9-]+:\d+»/g;

export function createRedactor(options: RedactorOptions = {}): Redactor {
  const maxRemembered = options.maxRemembered ?? 10_000;
  // Map iteration order is insertion order, which makes the oldest entry the first to evict.
  const placeholderBySecret = new Map<string, string>();
  const counterByKind = new Map<string, number>();

  function placeholderFor(secret: string, kind: string): string {
    const known = placeholderBySecret.get(secret);
    if (known !== undefined) return known;
    const n = (counterByKind.get(kind) ?? 0) + 1;
    counterByKind.set(kind, n);
    const placeholder = `«secret:${kind}:${n}»`;
    placeholderBySecret.set(secret, placeholder);
    if (placeholderBySecret.size > maxRemembered) {
      const oldest = placeholderBySecret.keys().next().value;
      if (oldest !== undefined) placeholderBySecret.delete(oldest);
    }
    return placeholder;
  }

  return {
    redact(text: string): RedactionResult {
      const matches = detectSecrets(text);
      // Only this prompt's placeholders are restored: a placeholder the model invents, or one from
      // another file, must not pull an unrelated secret into the editor.
      const secretByPlaceholder = new Map<string, string>();
      const kinds: string[] = [];
      const parts: string[] = [];
      let cursor = 0;
      for (const match of matches) {
        const secret = text.slice(match.start, match.end);
        const placeholder = placeholderFor(secret, match.kind);
        secretByPlaceholder.set(placeholder, secret);
        if (!kinds.includes(match.kind)) kinds.push(match.kind);
        parts.push(text.slice(cursor, match.start), placeholder);
        cursor = match.end;
      }
      parts.push(text.slice(cursor));
      const restore = (modelText: string): string =>
        secretByPlaceholder.size === 0 ? modelText : modelText.replace(PLACEHOLDER_PATTERN, (placeholder) => secretByPlaceholder.get(placeholder) ?? placeholder);
      return { text: parts.join(''), count: matches.length, restore, kinds };
    },
  };
}
