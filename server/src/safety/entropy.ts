/**
 * Statistics that tell random-looking tokens (keys, passwords, signatures) from the long
 * identifiers, paths and digests of ordinary code. Pure functions, shared by the detectors.
 */

/** Shannon entropy of the string's characters, in bits per character. */
export function shannonEntropy(text: string): number {
  if (text.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

type CharClass = 'upper' | 'lower' | 'digit' | 'other';

function classOf(ch: string): CharClass {
  if (ch >= 'A' && ch <= 'Z') return 'upper';
  if (ch >= 'a' && ch <= 'z') return 'lower';
  if (ch >= '0' && ch <= '9') return 'digit';
  return 'other';
}

/**
 * Share of neighbouring characters that change class (upper, lower, digit, other). Random base62
 * text changes class about 60% of the time; camelCase identifiers and words about 10–25%.
 */
export function classTransitionRate(text: string): number {
  if (text.length < 2) return 0;
  let changes = 0;
  for (let i = 1; i < text.length; i++) {
    if (classOf(text[i - 1] as string) !== classOf(text[i] as string)) changes++;
  }
  return changes / (text.length - 1);
}

/** Base64 prefixes of common binary formats (PNG, GIF, JPEG, PDF, WebAssembly, zip): data, not secrets. */
const BINARY_MAGIC = /^(?:iVBOR|R0lGOD|\/9j\/|JVBER|AGFzbQ|UEsDB)/;
/** Subresource-integrity digests as found in lockfiles (`sha512-...`): public, not secrets. */
const SRI_DIGEST = /^sha(?:1|256|384|512)-/;
const HEX_ONLY = /^[0-9a-fA-F-]+$/;

/**
 * Share of characters in runs of four or more lower-case letters: the words of camelCase
 * identifiers (`k8sServiceAccountTokenProvider` ≈ 0.8). Random base62 text scores about 0.15.
 */
export function wordShare(text: string): number {
  let inWords = 0;
  for (const run of text.match(/[a-z]{4,}/g) ?? []) inWords += run.length;
  return text.length === 0 ? 0 : inWords / text.length;
}

/**
 * Base64 (or base64url) that decodes to printable text is an encoded message or test vector:
 * random key bytes are almost never all printable. Credentials encoded this way (Basic auth,
 * `.npmrc` `_auth`) are caught by their context instead.
 */
export function decodesToText(token: string): boolean {
  if (!/^(?:[A-Za-z0-9+/]+|[A-Za-z0-9_-]+)={0,2}$/.test(token)) return false;
  const bytes = Buffer.from(token, 'base64');
  if (bytes.length < 8) return false;
  for (const byte of bytes) {
    if ((byte < 0x20 || byte > 0x7e) && byte !== 0x0a && byte !== 0x0d && byte !== 0x09) return false;
  }
  return true;
}

/**
 * Ids of API objects (OpenAI fine-tunes, files, runs; Stripe customers, charges) look random but
 * are not secrets. Provider secrets with prefixes are matched by their own patterns first.
 */
const OBJECT_ID_PREFIX =
  /^(?:ft|ftjob|file|asst|thread|run|msg|step|vs|batch|chatcmpl|resp|cp|org|proj|call|cus|pi|ch|pm|price|prod|sub|in|evt|acct|txn|re|seti|src|pk_live|pk_test)[-_]/;

/** Minimum length of a token the entropy detector considers. */
export const MIN_RANDOM_TOKEN_LENGTH = 24;

/**
 * Whether a base64/base62-like token looks randomly generated. Requires upper case, lower case
 * and digits, a high class-transition rate, few dictionary-like words and an entropy of at least 0.75·log2(length) bits per
 * character (capped at 4.5); `minLength` is lowered only for a literal still being typed. Pure hex (git SHAs, sha256 digests, UUIDs) is deliberately never
 * flagged here: it is indistinguishable from the hashes that fill ordinary code and lockfiles;
 * hex secrets are caught by provider prefixes or secret-looking names instead.
 */
export function looksRandom(token: string, minLength = MIN_RANDOM_TOKEN_LENGTH): boolean {
  if (token.length < minLength) return false;
  if (HEX_ONLY.test(token) || SRI_DIGEST.test(token) || BINARY_MAGIC.test(token) || OBJECT_ID_PREFIX.test(token))
    return false;
  if (!/[A-Z]/.test(token) || !/[a-z]/.test(token) || !/[0-9]/.test(token)) return false;
  if (classTransitionRate(token) < 0.3 || wordShare(token) >= 0.5 || decodesToText(token)) return false;
  const threshold = Math.min(4.5, 0.75 * Math.log2(token.length));
  return shannonEntropy(token) >= threshold;
}
