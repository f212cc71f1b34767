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
import { detectSecrets, type SecretMatch } from './detect.ts';

export interface RedactionResult {
  /** The text with every detected secret replaced by its placeholder. */
  text: string;
  /** How many secrets were replaced. */
  count: number;
  /** Replaces this prompt's placeholders in model output by the original secrets. */
  restore: (modelText: string) => string;
  /** Distinct kinds found, in order of first appearance. */
  kinds: string[];
  /**
   * Where an offset of the original text lies in the redacted text. An offset inside a secret
   * maps to the end of its placeholder, so a marker put there never splits one.
   */
  mapOffset: (offset: number) => number;
}

export interface Redactor {
  /** `extra` adds spans the detectors cannot see alone (e.g. a secret being typed); overlaps go to the detectors. */
  redact(text: string, extra?: readonly SecretMatch[]): RedactionResult;
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
    redact(text: string, extra: readonly SecretMatch[] = []): RedactionResult {
      const matches = mergeMatches(detectSecrets(text), extra);
      // Only this prompt's placeholders are restored: a placeholder the model invents, or one from
      // another file, must not pull an unrelated secret into the editor.
      const secretByPlaceholder = new Map<string, string>();
      const kinds: string[] = [];
      const parts: string[] = [];
      // Each replaced span with where its placeholder ends in the output, for mapOffset.
      const spans: { start: number; end: number; outEnd: number }[] = [];
      let cursor = 0;
      let outLength = 0;
      for (const match of matches) {
        const secret = text.slice(match.start, match.end);
        const placeholder = placeholderFor(secret, match.kind);
        secretByPlaceholder.set(placeholder, secret);
        if (!kinds.includes(match.kind)) kinds.push(match.kind);
        parts.push(text.slice(cursor, match.start), placeholder);
        outLength += match.start - cursor + placeholder.length;
        spans.push({ start: match.start, end: match.end, outEnd: outLength });
        cursor = match.end;
      }
      parts.push(text.slice(cursor));
      const restore = (modelText: string): string =>
        secretByPlaceholder.size === 0
          ? modelText
          : modelText.replace(
              PLACEHOLDER_PATTERN,
              (placeholder) => secretByPlaceholder.get(placeholder) ?? placeholder,
            );
      const mapOffset = (offset: number): number => {
        let shift = 0;
        for (const span of spans) {
          if (offset <= span.start) break;
          if (offset < span.end) return span.outEnd;
          shift = span.outEnd - span.end;
        }
        return offset + shift;
      };
      return { text: parts.join(''), count: matches.length, restore, kinds, mapOffset };
    },
  };
}

/** Adds the extra spans that overlap no detected secret, keeping the result sorted. */
function mergeMatches(detected: SecretMatch[], extra: readonly SecretMatch[]): SecretMatch[] {
  if (extra.length === 0) return detected;
  const merged = [...detected];
  for (const span of extra) {
    if (span.end <= span.start || merged.some((taken) => span.start < taken.end && taken.start < span.end)) continue;
    merged.push(span);
  }
  return merged.sort((a, b) => a.start - b.start);
}
