/**
 * Finds secrets by the name they are assigned to: `password = "..."`, `SECRET_KEY: ...`,
 * `"apiToken": "..."`, env-file lines `DB_PASSWORD=...`. The name decides how strict the value
 * check is; values that are templates, environment lookups or placeholders are left alone.
 */
import type { SecretMatch } from './secret.ts';
import { classTransitionRate, shannonEntropy, wordShare } from './entropy.ts';

const NAME = String.raw`[A-Za-z_$@][\w$@.\-]{0,100}`;
const OPERATOR = String.raw`(?:=|:=|:|=>|\?\?=|\|\|=)`;
// An optional type annotation (TypeScript, Python, Kotlin) may sit between the name and `=`.
const ANNOTATION = String.raw`(?:[ \t]*:[ \t]*[A-Za-z_][\w.<>\[\]|? ]{0,40}?)?`;

/** A quoted value anywhere on a line: `name = "value"`, `"name": 'value'`, `name: str = "value"`. */
const QUOTED = new RegExp(
  String.raw`(?<![\w$@.\-])(?<nq>["']?)(?<name>${NAME})\k<nq>\]?${ANNOTATION}[ \t]*${OPERATOR}[ \t]*(?:[rRbBuUfF]{1,2})?(?<q>["'\x60])(?<s>(?:(?!\k<q>)[^\n\\]){1,500})\k<q>`,
  'gd',
);

/** An unquoted value that runs to the end of the line: env files, YAML, INI, properties. */
const UNQUOTED = new RegExp(
  String.raw`^[ \t]*(?:export[ \t]+|set[ \t]+)?(?<nq>["']?)(?<name>${NAME})\k<nq>(?<sp>[ \t]*)(?<op>=|:)[ \t]*(?<s>[^\s"'\x60#;,()\[\]{}<>]{1,500})(?:[ \t]+[#;].*)?[ \t]*\r?$`,
  'gmd',
);

/** Cheap pre-check: a text without any of these words has no secret-named assignment. */
const KEYWORDS = /pass|pwd|secret|token|key|auth|credential/i;

type NameClass = 'password' | 'secret' | 'token' | 'key' | 'weak-key';
/** How the value was written: in quotes, bare on an env/YAML/INI line, or bare after ` = ` (code). */
type Quoting = 'quoted' | 'bare-line' | 'bare-code';

const KEY_QUALIFIERS = new Set(['api', 'access', 'secret', 'private', 'auth', 'signing', 'encryption', 'master', 'client', 'app', 'account', 'service', 'subscription', 'webhook', 'license', 'session', 'hmac', 'jwt', 'consumer', 'admin']);

/** Splits `dbPassword`, `DB_PASSWORD`, `spring.datasource.password`, `x-api-key` into lower-case words. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word.length > 0)
    .map((word) => word.toLowerCase());
}

/** Classifies a name by its last words; undefined when it does not name a secret. */
export function classifyName(name: string): NameClass | undefined {
  const words = nameWords(name);
  const last = words.at(-1);
  const before = words.at(-2);
  if (last === undefined) return undefined;
  if (['password', 'passwd', 'passphrase', 'pwd', 'pass', 'pw'].includes(last)) return 'password';
  if (['secret', 'credential', 'credentials'].includes(last)) return 'secret';
  if (['token', 'auth', 'apitoken', 'authtoken', 'bearer'].includes(last)) return 'token';
  if (last === 'secretkey' || (last === 'key' && before === 'secret')) return 'secret';
  if (['apikey', 'accesskey', 'privatekey'].includes(last)) return 'key';
  if (last === 'key') return before !== undefined && KEY_QUALIFIERS.has(before) ? 'key' : 'weak-key';
  return undefined;
}

const TEMPLATE = /\$\{|\{\{|«secret:|process\.env|import\.meta\.env|os\.environ|getenv|ENV\[|%\(|^\$[A-Za-z_]|^<.*>$|^%s$|^:\w+$/;
const PLACEHOLDER = /^(?:your|my|some|enter|insert|example|sample|dummy|fake|test|the)[\s_-]|[\s_-](?:here|placeholder)$|placeholder|redacted|changeme|^(?:x+|\*+|\.+|-+|_+|#+|0+)$/i;
const LITERALS = new Set(['true', 'false', 'null', 'none', 'nil', 'undefined', 'yes', 'no', 'on', 'off', 'required', 'optional', 'string', 'str', 'number', 'int', 'bool', 'boolean', 'any', 'bytes', 'text', 'hidden', 'secret', 'password', 'token', 'bearer', 'basic']);
const ENV_VAR_NAME = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/;

/** Whether `value`, assigned to a name of class `nameClass`, is plausibly a real secret. */
export function isPlausibleValue(name: string, value: string, nameClass: NameClass, quoting: Quoting): boolean {
  if (/\s/.test(value) || TEMPLATE.test(value) || PLACEHOLDER.test(value)) return false;
  if (value.includes('://') || value.startsWith('/') || value.startsWith('./') || value.startsWith('~/')) return false;
  const folded = value.toLowerCase().replace(/[^a-z0-9]/g, '');
  const words = nameWords(name);
  if (LITERALS.has(value.toLowerCase()) || folded === words.join('')) return false;
  // `pass: "passed"`, `password: "fallback-password"`: a value that repeats the name is a label.
  const last = words.at(-1) ?? '';
  if (last.length >= 4 && folded.includes(last)) return false;
  // Words (`urn:oauth:token-type`, `?InterpolationInTemplate`) are names, not generated secrets.
  if (nameClass !== 'password' && wordShare(value) >= 0.5) return false;
  if (ENV_VAR_NAME.test(value) && !/\d/.test(value)) return false;
  if (new Set(value).size < 3) return false;
  if (quoting !== 'quoted' && looksLikeCode(value, quoting)) return false;
  switch (nameClass) {
    case 'password':
      return value.length >= 4;
    case 'secret':
    case 'token':
    case 'key':
      return value.length >= 8 && ((/[A-Za-z]/.test(value) && /\d/.test(value)) || (value.length >= 16 && shannonEntropy(value) >= 3.5));
    case 'weak-key':
      // Any `*_KEY` name (cache keys, storage keys) needs a value that looks generated.
      return (
        value.length >= 16 &&
        /^[A-Za-z0-9+/=_-]+$/.test(value) &&
        /\d/.test(value) &&
        /[A-Za-z]/.test(value) &&
        shannonEntropy(value) >= 3.5 &&
        classTransitionRate(value) >= 0.3
      );
  }
}

/**
 * A bare value that reads as code: a dotted path (`CredentialsAPI.Auth`), a camelCase or
 * PascalCase identifier (`exchangeX509Token`, `Token`), or, after ` = ` in code, any identifier
 * without a digit (`password = user_password`).
 */
function looksLikeCode(value: string, quoting: Quoting): boolean {
  if (/^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/.test(value)) return true;
  if (/^[A-Za-z_$][\w$]*$/.test(value) && /[a-z]{2}[A-Z]|^[A-Z][a-z]+[A-Z]?/.test(value) && classTransitionRate(value) < 0.3) return true;
  return quoting === 'bare-code' && /^[A-Za-z_][\w.]*$/.test(value) && !/\d/.test(value);
}

function kindFor(name: string, nameClass: NameClass): string {
  const words = nameWords(name);
  if (words.includes('aws') || (words.includes('secret') && words.includes('access'))) return 'aws-secret-key';
  if (nameClass === 'key' || nameClass === 'weak-key') return 'api-key';
  return nameClass;
}

/** All secret-named assignments in `text`, as spans of their values. */
export function findAssignedSecrets(text: string): SecretMatch[] {
  if (!KEYWORDS.test(text)) return [];
  const found: SecretMatch[] = [];
  for (const re of [QUOTED, UNQUOTED]) {
    re.lastIndex = 0;
    for (let match = re.exec(text); match !== null; match = re.exec(text)) {
      const groups = match.groups ?? {};
      const name = groups['name'] ?? '';
      const value = groups['s'] ?? '';
      const span = match.indices?.groups?.['s'];
      const nameClass = classifyName(name);
      if (span === undefined || nameClass === undefined) continue;
      // `name = value` with spaces around `=` and a bare value is code, not an env/INI line.
      const quoting: Quoting = re === QUOTED ? 'quoted' : groups['op'] === '=' && (groups['sp'] ?? '') !== '' ? 'bare-code' : 'bare-line';
      if (!isPlausibleValue(name, value, nameClass, quoting)) continue;
      found.push({ start: span[0], end: span[1], kind: kindFor(name, nameClass) });
    }
  }
  return found;
}
