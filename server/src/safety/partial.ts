/**
 * Finds a credential that is still being typed, which the detectors miss because it is not
 * complete yet: a token that starts like a provider key (`ghp_`, `sk-proj-`, `AKIA`, `eyJ`, ...),
 * a string literal whose closing quote is not typed yet, a URL password before its `@`.
 * Completion runs on every pause while typing, so without this every prefix of a secret would
 * leave the machine on its way to being complete.
 */
import { detectSecrets, type SecretMatch } from './detect.ts';
import { looksRandom } from './entropy.ts';

/**
 * Characters a key token is made of; the token around the cursor is the run of these. `=`, `+`
 * and `/` are left out so that `TOKEN=ghp_...` or a URL path still starts the token at the key.
 */
const TOKEN_CHAR = /[A-Za-z0-9_.-]/;

/** Prefix of a format, the characters that follow it, and how many must have been typed. */
interface PartialRule {
  prefix: RegExp;
  rest: RegExp;
  minRest: number;
  kind: string;
}

const rule = (prefix: string, rest: string, minRest: number, kind: string): PartialRule => ({
  prefix: new RegExp(`^(?:${prefix})`),
  rest: new RegExp(`^[${rest}]*$`),
  minRest,
  kind,
});

const RULES: readonly PartialRule[] = [
  rule('sk-ant-(?:api|admin|oat|sid)\\d{2}-', 'A-Za-z0-9_-', 6, 'anthropic-key'),
  rule('sk-(?:proj|svcacct|admin|None)-', 'A-Za-z0-9_-', 6, 'openai-key'),
  rule('(?:ghp|gho|ghu|ghs|ghr)_|github_pat_', 'A-Za-z0-9_', 6, 'github-token'),
  rule('gl(?:pat|dt|rt|ptt|cbt|oas|soat|ft|imt|agent|ffct|wt)-', 'A-Za-z0-9_-', 6, 'gitlab-token'),
  rule('(?:xox[abposre]|xapp)-', 'A-Za-z0-9-', 6, 'slack-token'),
  rule('(?:sk|rk)_(?:live|test)_|whsec_', 'A-Za-z0-9+/=', 6, 'stripe-key'),
  rule('AIza', '0-9A-Za-z_-', 8, 'google-api-key'),
  rule('GOCSPX-|ya29\\.', '0-9A-Za-z_-', 6, 'google-oauth'),
  rule('SG\\.', 'A-Za-z0-9_.-', 8, 'sendgrid-key'),
  rule('npm_', 'A-Za-z0-9', 8, 'npm-token'),
  rule('hf_|api_org_', 'A-Za-z0-9', 8, 'huggingface-token'),
  rule('(?:AKIA|ASIA|ABIA|ACCA)', 'A-Z0-9', 6, 'aws-access-key'),
  rule('shp(?:at|ca|pa|ss)_|dapi|do[opr]_v1_', 'a-fA-F0-9', 8, 'api-key'),
  rule('eyJ', 'A-Za-z0-9_.-', 12, 'jwt'),
  rule('(?:AC|SK)', 'a-f0-9', 12, 'twilio-key'),
  rule('AGE-SECRET-KEY-1', '0-9A-Z', 4, 'age-secret-key'),
  rule('django-insecure-', '\\w!@#$%^&*(=+)-', 4, 'secret'),
  // Generic `sk-` keys (OpenAI legacy, DeepSeek, ...): letters and digits only.
  rule('sk-', 'A-Za-z0-9', 12, 'openai-key'),
  // The further provider prefixes of patterns.ts; a word after them (`lin_api_docs`) is no key.
  rule(
    'sk-or-v1-|gsk_|xai-|pplx-|r8_|lsv2_|pcsk_|pypi-|rubygems_|AKCp|hv[sbr]\\.|dp\\.(?:pt|st|sa|ct|scim|audit)\\.|pul-|PMAK-|lin_api_|ntn_|figd_|glc_|glsa_|ATATT3|ATBB|sntry[su]_|NR(?:AK|II|JS)-|dt0c01\\.|xkeysib-|sq0(?:atp|csp)-|sbp_|pscale_(?:tkn|pw|oauth)_|HRKU-|nfp_|CFPAT-',
    'A-Za-z0-9_.-',
    8,
    'api-key',
  ),
  rule('LTAI', 'A-Za-z0-9', 6, 'alibaba-key'),
  rule('oy2', 'a-z0-9', 12, 'nuget-key'),
  rule('key-', 'a-f0-9', 10, 'mailgun-key'),
  rule('re_[A-Za-z0-9]{8}_', 'A-Za-z0-9', 4, 'resend-key'),
  // Discord: the first part encodes a numeric user id, so it holds a digit (unlike `ManagementServiceFactory.`).
  rule('[MN](?=[A-Za-z]{0,24}\\d)[A-Za-z0-9]{23,25}\\.', 'A-Za-z0-9_.-', 4, 'discord-token'),
];

/** Formats whose start holds `:` or `/` (not token characters), matched on the text before the caret. */
const BEFORE_CARET: readonly { re: RegExp; kind: string }[] = [
  { re: /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9/_-]+$/, kind: 'slack-webhook' },
  { re: /(?<![A-Za-z0-9_:-])\d{8,10}:AA[A-Za-z0-9_-]{2,}$/, kind: 'telegram-bot-token' },
  { re: /(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.-]{2,}$/, kind: 'azure-client-secret' },
];

/** The span of a secret being typed at `offset` in `text`, or undefined. */
export function typingSecretAt(text: string, offset: number): SecretMatch | undefined {
  return (
    partialSecretAt(text, offset) ??
    beforeCaret(text, offset) ??
    openStringSecretAt(text, offset) ??
    urlPasswordAt(text, offset)
  );
}

function beforeCaret(text: string, offset: number): SecretMatch | undefined {
  const before = text.slice(Math.max(0, offset - 300), offset);
  for (const { re, kind } of BEFORE_CARET) {
    const match = re.exec(before);
    if (match !== null) return { start: offset - match[0].length, end: offset, kind };
  }
  return undefined;
}

/**
 * `password = "hunt|` or `key: 'AbC9...|` with the closing quote still to come: the line is
 * closed at the caret and run through every detector; a secret that ends at the caret counts.
 */
export function openStringSecretAt(text: string, offset: number): SecretMatch | undefined {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const line = text.slice(lineStart, offset);
  let open: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (ch === '\\') i++;
    else if (open === undefined && (ch === '"' || ch === "'" || ch === '`')) open = ch;
    else if (ch === open) open = undefined;
  }
  if (open === undefined) return undefined;
  const found = detectSecrets(line + open).find(
    (match) => match.end === line.length && !startsPlaceholderWord(line.slice(match.start)),
  );
  if (found !== undefined) return { start: lineStart + found.start, end: offset, kind: found.kind };
  // A random literal half typed is shorter than the entropy detector's minimum; judge it on less.
  const literal = /[A-Za-z0-9+/=_-]{16,}$/.exec(line);
  if (literal !== null && line[literal.index - 1] === open && looksRandom(literal[0], 16)) {
    return { start: lineStart + literal.index, end: offset, kind: 'high-entropy' };
  }
  return undefined;
}

/** `postgres://app:s3cr|` — a URL password typed before its `@` (digits only would be a port). */
function urlPasswordAt(text: string, offset: number): SecretMatch | undefined {
  const before = text.slice(Math.max(0, offset - 300), offset);
  const match = /[a-zA-Z][a-zA-Z0-9+.-]{1,30}:\/\/[^\s:@/'"`<>]{0,128}:(?<s>[^\s@/'"`<>]{3,256})$/.exec(before);
  const secret = match?.groups?.s;
  // A port, a template (`$PGPASSWORD`, `${REDIS_PASSWORD}`, `<password>`) or the word itself is no secret.
  if (
    match === null ||
    secret === undefined ||
    /^\d+$/.test(secret) ||
    /^[$%{<]/.test(secret) ||
    startsPlaceholderWord(secret)
  )
    return undefined;
  return { start: offset - secret.length, end: offset, kind: 'connection-string' };
}

/** The span of a partly typed provider key touching `offset` in `text`, or undefined. */
export function partialSecretAt(text: string, offset: number): SecretMatch | undefined {
  let start = offset;
  while (start > 0 && TOKEN_CHAR.test(text[start - 1] as string)) start--;
  let end = offset;
  while (end < text.length && TOKEN_CHAR.test(text[end] as string)) end++;
  if (end - start < 8) return undefined;
  const token = text.slice(start, end);
  for (const candidate of RULES) {
    const prefix = candidate.prefix.exec(token);
    if (prefix === null) continue;
    const rest = token.slice(prefix[0].length);
    // A short or word-like prefix needs some randomness (a digit) before `sk-learning` or
    // `lin_api_docs` counts.
    const generic = candidate.kind === 'api-key' || (candidate.kind === 'openai-key' && prefix[0] === 'sk-');
    if (rest.length >= candidate.minRest && candidate.rest.test(rest) && (!generic || /\d/.test(rest))) {
      return { start, end, kind: candidate.kind };
    }
  }
  return undefined;
}

const PLACEHOLDER_WORDS = ['password', 'passwd', 'passphrase', 'secret', 'changeme', 'example'];

/** `Pass`, `passw`: the beginning of a placeholder word being typed, not of a secret. */
function startsPlaceholderWord(value: string): boolean {
  const lower = value.toLowerCase();
  return PLACEHOLDER_WORDS.some((word) => word.startsWith(lower));
}
