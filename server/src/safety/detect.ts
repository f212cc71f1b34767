/**
 * One pass over a text with every detector (provider patterns, PEM blocks, secret-named
 * assignments, high-entropy string literals), resolved into non-overlapping spans. Shared by
 * redaction of prompts, scrubbing of model output and the audit log.
 */
import { findAssignedSecrets } from './assignments.ts';
import { looksRandom, MIN_RANDOM_TOKEN_LENGTH } from './entropy.ts';
import { PATTERN_RULES } from './patterns.ts';
import { findPrivateKeyBlocks } from './pem.ts';
import type { SecretMatch } from './secret.ts';

export type { SecretMatch };

interface Candidate extends SecretMatch {
  priority: number;
}

const PEM_PRIORITY = 12;
const ASSIGNMENT_PRIORITY = 5;
const ENTROPY_PRIORITY = 1;

/** A whole string literal made of base64/base62 characters; its content is the candidate token. */
const STRING_LITERAL = new RegExp(
  String.raw`(?<q>["'\x60])(?<s>[A-Za-z0-9+/=_-]{${MIN_RANDOM_TOKEN_LENGTH},1000})\k<q>`,
  'gd',
);

function patternCandidates(text: string, out: Candidate[]): void {
  for (const rule of PATTERN_RULES) {
    rule.re.lastIndex = 0;
    for (let match = rule.re.exec(text); match !== null; match = rule.re.exec(text)) {
      const span = match.indices?.groups?.s ?? [match.index, match.index + match[0].length];
      const secret = text.slice(span[0], span[1]);
      if (secret.startsWith('«secret:') || (rule.accept !== undefined && !rule.accept(secret, match))) continue;
      const kind = rule.kindOf?.(match) ?? rule.kind;
      out.push({ start: span[0], end: span[1], kind, priority: rule.priority });
    }
  }
}

function entropyCandidates(text: string, out: Candidate[]): void {
  STRING_LITERAL.lastIndex = 0;
  for (let match = STRING_LITERAL.exec(text); match !== null; match = STRING_LITERAL.exec(text)) {
    const span = match.indices?.groups?.s;
    if (span !== undefined && looksRandom(match.groups?.s ?? '')) {
      out.push({ start: span[0], end: span[1], kind: 'high-entropy', priority: ENTROPY_PRIORITY });
    }
  }
}

/** Every secret in `text`, sorted by position, without overlaps (the more specific detector wins). */
export function detectSecrets(text: string): SecretMatch[] {
  const candidates: Candidate[] = [];
  patternCandidates(text, candidates);
  for (const block of findPrivateKeyBlocks(text)) candidates.push({ ...block, priority: PEM_PRIORITY });
  for (const found of findAssignedSecrets(text)) candidates.push({ ...found, priority: ASSIGNMENT_PRIORITY });
  entropyCandidates(text, candidates);
  candidates.sort((a, b) => b.priority - a.priority || b.end - b.start - (a.end - a.start) || a.start - b.start);
  const accepted: SecretMatch[] = [];
  for (const candidate of candidates) {
    if (candidate.end <= candidate.start) continue;
    if (accepted.some((taken) => candidate.start < taken.end && taken.start < candidate.end)) continue;
    accepted.push({ start: candidate.start, end: candidate.end, kind: candidate.kind });
  }
  return accepted.sort((a, b) => a.start - b.start);
}
