/**
 * Reads model answers: code with stray Markdown fences or echoed region markers cleaned off and
 * its line endings matched to the original, and the JSON shapes of structured answers checked.
 * Answers that do not fit come back as undefined, never thrown.
 */
import { REGION_CLOSE, REGION_OPEN } from './prompts.ts';

const FENCE = /^```[^\n]*\n([\s\S]*?)\n?```[ \t]*$/m;

/** The code in an answer, shaped like the region it replaces. */
export function cleanCode(answer: string, original: string): string {
  let code = answer;
  const fenced = FENCE.exec(code);
  if (fenced && (code.trimStart().startsWith('```') || !original.includes('```'))) code = fenced[1]!;
  code = code
    .replace(new RegExp(`^\\s*${REGION_OPEN}\\r?\\n?`), '')
    .replace(new RegExp(`\\r?\\n?${REGION_CLOSE}\\s*$`), '');
  if (!original.endsWith('\n')) code = code.replace(/(\r?\n)+$/, '');
  if (!/^\r?\n/.test(original)) code = code.replace(/^(\r?\n)+/, '');
  if (original.includes('\r\n')) code = code.replace(/\r?\n/g, '\r\n');
  return code;
}

export interface Variant {
  title: string;
  code: string;
}

function parseJson(text: string): unknown {
  const fenced = FENCE.exec(text);
  try {
    return JSON.parse(fenced ? fenced[1]! : text);
  } catch {
    return undefined;
  }
}

export function parseVariants(text: string): Variant[] | undefined {
  const value = parseJson(text) as { variants?: unknown } | undefined;
  if (!value || !Array.isArray(value.variants)) return undefined;
  const variants = value.variants.filter(
    (v): v is Variant =>
      typeof v === 'object' &&
      v !== null &&
      typeof (v as Variant).title === 'string' &&
      typeof (v as Variant).code === 'string',
  );
  return variants.length > 0 ? variants : undefined;
}

export function parseTests(text: string): { header: string; body: string } | undefined {
  const value = parseJson(text) as { header?: unknown; body?: unknown } | undefined;
  if (!value || typeof value.body !== 'string' || value.body.trim() === '') return undefined;
  return { header: typeof value.header === 'string' ? value.header : '', body: value.body };
}
