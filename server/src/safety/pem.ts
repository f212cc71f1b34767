/**
 * Finds PEM private-key blocks (RSA, EC, DSA, OPENSSH, ENCRYPTED, PKCS#8, PGP), also inside JSON
 * strings with escaped newlines (GCP service-account files) and when a prompt window cuts the block.
 */
import type { SecretMatch } from './secret.ts';

const BEGIN = /-----BEGIN[ ]?(?:(?:RSA|DSA|EC|OPENSSH|ENCRYPTED|PGP|SSH2) )?PRIVATE KEY(?: BLOCK)?-----/g;
const END = /-----END[ ]?(?:(?:RSA|DSA|EC|OPENSSH|ENCRYPTED|PGP|SSH2) )?PRIVATE KEY(?: BLOCK)?-----/g;
/** A block longer than this without an END marker is not a key; stop there. */
const MAX_BLOCK = 16_384;

/**
 * Each BEGIN…END block is one secret. A BEGIN without END (the prompt window ends inside the key)
 * runs to the end of the text; an END without BEGIN (the window starts inside the key) runs from
 * the start. Both are conservative: a truncated key is still key material.
 */
export function findPrivateKeyBlocks(text: string): SecretMatch[] {
  if (!text.includes('PRIVATE KEY')) return [];
  const found: SecretMatch[] = [];
  BEGIN.lastIndex = 0;
  for (let begin = BEGIN.exec(text); begin !== null; begin = BEGIN.exec(text)) {
    if (found.length === 0) addOrphanEnd(text, begin.index, found);
    END.lastIndex = begin.index + begin[0].length;
    const end = END.exec(text);
    const stop =
      end !== null && end.index - begin.index <= MAX_BLOCK
        ? end.index + end[0].length
        : Math.min(text.length, begin.index + MAX_BLOCK);
    found.push({ start: begin.index, end: stop, kind: kindAt(text, begin.index) });
    BEGIN.lastIndex = stop;
  }
  if (found.length === 0) addOrphanEnd(text, text.length, found);
  return found;
}

function addOrphanEnd(text: string, limit: number, found: SecretMatch[]): void {
  END.lastIndex = 0;
  const end = END.exec(text);
  if (end !== null && end.index < limit && end.index <= MAX_BLOCK) {
    found.push({ start: 0, end: end.index + end[0].length, kind: kindAt(text, 0) });
  }
}

/** A key inside a JSON `"private_key"` field is a GCP (or similar) service-account key. */
function kindAt(text: string, index: number): string {
  const before = text.slice(Math.max(0, index - 40), index);
  return /"private_key"\s*:\s*"$/.test(before) ? 'gcp-service-account-key' : 'private-key';
}
