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
const KEYWORDS =
  /pass|pwd|secret|token|key|auth|credential|hmac|salt|pepper|sign|sig\b|webhook|cipher|crypt|seed|private|session|cookie|otp|mfa|jwt|nonce/i;

type NameClass = 'password' | 'secret' | 'token' | 'key' | 'weak-key' | 'material';
/** How the value was written: in quotes, bare on an env/YAML/INI line, or bare after ` = ` (code). */
type Quoting = 'quoted' | 'bare-line' | 'bare-code';

const KEY_QUALIFIERS = new Set([
  'api',
  'access',
  'secret',
  'private',
  'auth',
  'signing',
  'encryption',
  'master',
  'client',
  'app',
  'account',
  'service',
  'subscription',
  'webhook',
  'license',
  'session',
  'hmac',
  'jwt',
  'consumer',
  'admin',
]);

/** Splits `dbPassword`, `DB_PASSWORD`, `spring.datasource.password`, `x-api-key` into lower-case words. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word.length > 0)
    .map((word) => word.toLowerCase());
}

/**
 * Words naming key material without saying "key" or "secret": `hmac`, `salt`, `pepper`, `signing`,
 * `webhook`... A value under such a name is flagged only when it looks generated (`material`).
 */
const MATERIAL_WORDS = new Set([
  'hmac',
  'salt',
  'pepper',
  'signing',
  'signature',
  'sig',
  'webhook',
  'webhooks',
  'cipher',
  'encryption',
  'encrypt',
  'decrypt',
  'crypt',
  'crypto',
  'seed',
  'private',
  'session',
  'cookie',
  'otp',
  'totp',
  'hotp',
  'mfa',
  'jwt',
  'jws',
  'jwe',
  'mac',
  'kek',
  'dek',
  'aes',
  'psk',
  'passcode',
  'recovery',
  'signer',
]);
/** Last words that make a name describe a setting about the material, not the material itself. */
const NOT_MATERIAL_SUFFIX = new Set([
  'url',
  'uri',
  'urls',
  'endpoint',
  'path',
  'file',
  'dir',
  'name',
  'names',
  'id',
  'ids',
  'length',
  'len',
  'size',
  'bits',
  'bytes',
  'rounds',
  'iterations',
  'cost',
  'type',
  'types',
  'algorithm',
  'algorithms',
  'alg',
  'algo',
  'header',
  'headers',
  'enabled',
  'enable',
  'disabled',
  'count',
  'version',
  'format',
  'mode',
  'timeout',
  'ttl',
  'expiry',
  'expires',
  'expiration',
  'age',
  'max',
  'min',
  'event',
  'events',
  'status',
  'label',
  'title',
  'description',
  'method',
  'field',
  'store',
  'provider',
  'service',
  'handler',
  'config',
  'options',
  'settings',
  'scheme',
  'prefix',
  'suffix',
  'encoding',
  'strategy',
  'policy',
  'domain',
  'host',
]);

/** Classifies a name by its last words; undefined when it does not name a secret. */
export function classifyName(name: string): NameClass | undefined {
  const words = nameWords(name);
  const last = words.at(-1);
  const before = words.at(-2);
  if (last === undefined) return undefined;
  const named = classifyByLastWord(words, last, before);
  if (named !== undefined) return named;
  if (!NOT_MATERIAL_SUFFIX.has(last) && words.some((word) => MATERIAL_WORDS.has(word))) return 'material';
  return undefined;
}

function classifyByLastWord(words: string[], last: string, before: string | undefined): NameClass | undefined {
  if (['password', 'passwd', 'passphrase', 'pwd', 'pass', 'pw'].includes(last)) return 'password';
  if (['secret', 'credential', 'credentials'].includes(last)) return 'secret';
  if (['token', 'auth', 'apitoken', 'authtoken', 'bearer'].includes(last)) return 'token';
  if (last === 'secretkey' || (last === 'key' && before === 'secret')) return 'secret';
  if (['apikey', 'accesskey', 'privatekey'].includes(last)) return 'key';
  if (last === 'key') return before !== undefined && KEY_QUALIFIERS.has(before) ? 'key' : 'weak-key';
  return undefined;
}

const TEMPLATE =
  /\$\{|\{\{|«secret:|process\.env|import\.meta\.env|os\.environ|getenv|ENV\[|%\(|^\$[A-Za-z_]|^<.*>$|^%s$|^:\w+$/;
const PLACEHOLDER =
  /^(?:your|my|some|enter|insert|example|sample|dummy|fake|test|the)[\s_-]|[\s_-](?:here|placeholder)$|placeholder|redacted|changeme|^(?:x+|\*+|\.+|-+|_+|#+|0+)$/i;
const LITERALS = new Set([
  'true',
  'false',
  'null',
  'none',
  'nil',
  'undefined',
  'yes',
  'no',
  'on',
  'off',
  'required',
  'optional',
  'string',
  'str',
  'number',
  'int',
  'bool',
  'boolean',
  'any',
  'bytes',
  'text',
  'hidden',
  'secret',
  'password',
  'token',
  'bearer',
  'basic',
]);
const ENV_VAR_NAME = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/;
/** 16 or more hex digits with a digit among them: key material, whatever letters a–f happen to spell. */
const HEX_RUN = /^(?=[a-fA-F]*\d)[0-9a-fA-F]{16,}$/;

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
  // Hex digits make no words, only look-alikes (`acce`, `cafe`): a hex run is never judged by them.
  if (nameClass !== 'password' && !HEX_RUN.test(value) && wordShare(value) >= 0.5) return false;
  if (ENV_VAR_NAME.test(value) && !/\d/.test(value)) return false;
  if (new Set(value).size < 3) return false;
  if (quoting !== 'quoted' && looksLikeCode(value, quoting)) return false;
  switch (nameClass) {
    case 'password':
      return value.length >= 4;
    case 'secret':
    case 'token':
    case 'key':
      return (
        value.length >= 8 &&
        ((/[A-Za-z]/.test(value) && /\d/.test(value)) || (value.length >= 16 && shannonEntropy(value) >= 3.5))
      );
    case 'material':
      // `hmac`, `salt`, `webhook`: hex of 16 or more digits (half a key being typed counts), or a token that looks generated.
      return (HEX_RUN.test(value) && /[a-fA-F]/.test(value) && shannonEntropy(value) >= 2.5) || looksGenerated(value);
    case 'weak-key':
      // Any `*_KEY` name (cache keys, storage keys) needs a value that looks generated.
      return looksGenerated(value);
  }
}

function looksGenerated(value: string): boolean {
  return (
    value.length >= 16 &&
    /^[A-Za-z0-9+/=_-]+$/.test(value) &&
    /\d/.test(value) &&
    /[A-Za-z]/.test(value) &&
    shannonEntropy(value) >= 3.5 &&
    classTransitionRate(value) >= 0.3
  );
}

/** Names of values that are public by nature: ids, digests, versions, addresses. */
const PUBLIC_NAME = new Set([
  'id',
  'ids',
  'uuid',
  'guid',
  'hash',
  'digest',
  'checksum',
  'sha',
  'sha1',
  'sha256',
  'sha512',
  'md5',
  'integrity',
  'etag',
  'version',
  'commit',
  'rev',
  'revision',
  'ref',
  'url',
  'uri',
  'href',
  'src',
  'path',
  'file',
  'name',
  'title',
  'label',
  'slug',
  'email',
  'host',
  'domain',
  'image',
  'tag',
  'class',
  'classname',
  'style',
  'color',
  'icon',
  'locale',
  'lang',
  'message',
  'text',
  'description',
  'query',
  'selector',
  'pattern',
  'regex',
  'format',
  'shasum',
  'head',
  'githead',
  'oid',
  'tree',
  'parent',
  'fingerprint',
  'thumbprint',
  'hashes',
  'sum',
  'crc',
  'resolved',
  'expected',
  'actual',
  'input',
  'output',
  'example',
  'sample',
  'fixture',
  'vector',
  'nonce',
  'iv',
  'test',
]);

/**
 * Any name, a value that looks generated: in assignment position (`"x": "..."`, `X=...`,
 * `x: ...`) a token of 20 or more characters with letters and digits, a high entropy for its
 * length, frequent case/digit changes and no words is a credential more often than not. Pure hex
 * (digests), UUIDs, object ids and values named as ids, hashes or versions are left alone.
 */
function isRandomAssigned(name: string, value: string): boolean {
  if (value.length < 20 || value.length > 500 || !/^[A-Za-z0-9_+/=.~-]+$/.test(value)) return false;
  if (!/\d/.test(value) || !/[A-Za-z]/.test(value) || /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/.test(value))
    return false;
  const words = nameWords(name);
  const last = words.at(-1);
  if (
    last === undefined ||
    PUBLIC_NAME.has(last) ||
    (words.length > 1 && PUBLIC_NAME.has(words.at(-2)!) && /^(?:value|string|str|hex|b64|base64)$/.test(last))
  )
    return false;
  // Pure hex is a digest as often as a key (`const EMPTY = "e3b0c442…"`): only a secret-ish name flags it.
  if (/^[0-9a-fA-F-]+$/.test(value)) return false;
  if (readsAsWords(value) || classTransitionRate(value) < 0.3) return false;
  if (OBJECT_ID.test(value) || SRI.test(value) || /^v?\d+\.\d+/.test(value)) return false;
  const compact = value.replace(/[_+/=.~-]/g, '');
  return compact.length >= 20 && shannonEntropy(compact) >= Math.min(4.2, 0.8 * Math.log2(compact.length));
}

/**
 * Words (`getUserAccountSettings2`, `release_candidate_build7`): long lower-case runs with as
 * many vowels as language has. Random lower-case text also has long runs, but few vowels.
 */
function readsAsWords(value: string): boolean {
  const letters = value.toLowerCase().replace(/[^a-z]/g, '');
  const vowels = letters.replace(/[^aeiou]/g, '').length;
  return wordShare(value) >= 0.3 && letters.length > 0 && vowels / letters.length >= 0.3;
}

const OBJECT_ID =
  /^(?:ft|ftjob|file|asst|thread|run|msg|step|vs|batch|chatcmpl|resp|cp|org|proj|call|cus|pi|ch|pm|price|prod|sub|in|evt|acct|txn|re|seti|src|pk_live|pk_test)[-_]/;
const SRI = /^sha(?:1|256|384|512)-/;

/**
 * A bare value that reads as code: a dotted path (`CredentialsAPI.Auth`), a camelCase or
 * PascalCase identifier (`exchangeX509Token`, `Token`), or, after ` = ` in code, any identifier
 * without a digit (`password = user_password`).
 */
function looksLikeCode(value: string, quoting: Quoting): boolean {
  if (/^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/.test(value)) return true;
  if (
    /^[A-Za-z_$][\w$]*$/.test(value) &&
    /[a-z]{2}[A-Z]|^[A-Z][a-z]+[A-Z]?/.test(value) &&
    classTransitionRate(value) < 0.3
  )
    return true;
  return quoting === 'bare-code' && /^[A-Za-z_][\w.]*$/.test(value) && !/\d/.test(value);
}

function kindFor(name: string, nameClass: NameClass): string {
  const words = nameWords(name);
  if (words.includes('aws') || (words.includes('secret') && words.includes('access'))) return 'aws-secret-key';
  if (nameClass === 'key' || nameClass === 'weak-key') return 'api-key';
  if (nameClass === 'material') return 'secret';
  return nameClass;
}

/** All secret-named assignments in `text`, as spans of their values. */
export function findAssignedSecrets(text: string): SecretMatch[] {
  const named = KEYWORDS.test(text);
  const found: SecretMatch[] = [];
  for (const re of [QUOTED, UNQUOTED]) {
    re.lastIndex = 0;
    for (let match = re.exec(text); match !== null; match = re.exec(text)) {
      const groups = match.groups ?? {};
      const name = groups.name ?? '';
      const value = groups.s ?? '';
      const span = match.indices?.groups?.s;
      if (span === undefined) continue;
      // `name = value` with spaces around `=` and a bare value is code, not an env/INI line.
      const quoting: Quoting =
        re === QUOTED ? 'quoted' : groups.op === '=' && (groups.sp ?? '') !== '' ? 'bare-code' : 'bare-line';
      const nameClass = named ? classifyName(name) : undefined;
      if (nameClass === undefined) {
        if (quoting !== 'bare-code' && isRandomAssigned(name, value))
          found.push({ start: span[0], end: span[1], kind: 'high-entropy' });
        continue;
      }
      if (!isPlausibleValue(name, value, nameClass, quoting)) continue;
      found.push({ start: span[0], end: span[1], kind: kindFor(name, nameClass) });
    }
  }
  return found;
}
