/**
 * Regular expressions for credentials with a recognisable shape: provider API keys with fixed
 * prefixes, JWTs, passwords inside URLs and Authorization headers. Each rule names the kind that
 * appears in placeholders and audit records.
 *
 * Why not secretlint: `@secretlint/core` 13 with `@secretlint/secretlint-rule-preset-recommend` was
 * evaluated. It is fast (~0.6 ms on an 8 KB prompt) and reports ranges, but `lintSource` is async
 * only, so it cannot back the synchronous `redact()` that runs per keystroke; its preset also lacks
 * Stripe, Google API keys, Twilio, JWTs, generic password assignments and entropy checks (it found
 * 146 of the 440 secrets test/fixtures/secrets then held, recall 0.33, against 440 for these rules).
 * The patterns below borrow its well-tested prefixes (GitHub, GitLab, Slack, OpenAI, Anthropic, npm,
 * Hugging Face, SendGrid) and gitleaks' (MORE_PROVIDERS), and add the rest.
 */
import { looksRandom } from './entropy.ts';

export interface PatternRule {
  kind: string;
  /** Global regex; with the `d` flag and a group named `s`, only that group is the secret. */
  re: RegExp;
  /** Higher wins when two detections overlap. */
  priority: number;
  /** Extra check on the secret text (the `s` group, or the whole match). */
  accept?: (secret: string, match: RegExpExecArray) => boolean;
  /** Kind decided by the match (e.g. by URL scheme) instead of `kind`. */
  kindOf?: (match: RegExpExecArray) => string;
}

// Lookarounds stand in for \b so that `_` and `-` inside tokens do not end a match early.
const B = String.raw`(?<![A-Za-z0-9_-])`;
const E = String.raw`(?![A-Za-z0-9_-])`;
const rx = (source: string, flags = 'g'): RegExp => new RegExp(source, flags);

/** Placeholder passwords of documentation and templates; redacting them would only add noise. */
const PLACEHOLDER_PASSWORD =
  /^(?:password|passwd|pass|pwd|secret|changeme|\*+|x+|\.+|<[^>]*>|\$\{[^}]*\}|\$\w+|\{\{[^}]*\}\}|\{[^}]*\}|%s|:\w+)$/i;

function isRealUrlPassword(secret: string): boolean {
  return !PLACEHOLDER_PASSWORD.test(secret) && !/password|passwd/i.test(secret) && !secret.startsWith('«secret:');
}

/**
 * `guest:guest@`, `postgres:postgres@`: a password equal to the user is a local default; `abc:xyz@`
 * (under four characters) is a documentation example.
 */
function isRealUrlCredential(secret: string, match: RegExpExecArray): boolean {
  return secret.length >= 4 && isRealUrlPassword(secret) && match.groups?.user !== secret;
}

/** `Password=x` counts as a connection-string part only inside a `Key=value;Key=value` list. */
function inSemicolonList(match: RegExpExecArray): boolean {
  const before = match.input.slice(Math.max(0, match.index - 4), match.index);
  const after = match.input.slice(match.index + match[0].length, match.index + match[0].length + 40);
  return /;\s*$/.test(before) || /^;\s*[A-Za-z][A-Za-z ]{0,30}=/.test(after);
}

function hasLetterAndDigit(secret: string): boolean {
  return /[A-Za-z]/.test(secret) && /[0-9]/.test(secret);
}

const PROVIDER = 10;

/**
 * Further provider formats with a fixed prefix (after gitleaks' rule set), as [kind, regex source]:
 * AI vendors, package registries, secret managers, SaaS APIs. Each is bounded by B…E.
 */
const MORE_PROVIDERS: readonly (readonly [string, string])[] = [
  ['openrouter-key', 'sk-or-v1-[a-f0-9]{64}'],
  ['groq-key', 'gsk_[A-Za-z0-9]{52}'],
  ['xai-key', 'xai-[A-Za-z0-9]{70,90}'],
  ['perplexity-key', 'pplx-[A-Za-z0-9]{48}'],
  ['replicate-token', 'r8_[A-Za-z0-9]{37}'],
  ['langsmith-key', 'lsv2_(?:pt|sk)_[a-f0-9]{32}_[a-f0-9]{10}'],
  ['pinecone-key', 'pcsk_[A-Za-z0-9]{5,8}_[A-Za-z0-9]{60,70}'],
  ['pypi-token', 'pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,300}'],
  ['rubygems-token', 'rubygems_[a-f0-9]{48}'],
  ['nuget-key', 'oy2[a-z0-9]{43}'],
  ['jfrog-key', 'AKCp[A-Za-z0-9]{69}'],
  ['vault-token', 'hv[sbr]\\.[A-Za-z0-9_-]{24,200}'],
  ['doppler-token', 'dp\\.(?:pt|st|sa|ct|scim|audit)\\.[A-Za-z0-9]{40,44}'],
  ['pulumi-token', 'pul-[a-f0-9]{40}'],
  ['terraform-token', '[A-Za-z0-9]{14}\\.atlasv1\\.[A-Za-z0-9_=-]{60,70}'],
  ['postman-key', 'PMAK-[a-f0-9]{24}-[a-f0-9]{34}'],
  ['linear-key', 'lin_api_[A-Za-z0-9]{40}'],
  ['notion-token', '(?:secret_|ntn_)[A-Za-z0-9]{43,46}'],
  ['figma-token', 'figd_[A-Za-z0-9_-]{40,50}'],
  ['grafana-token', '(?:glc_[A-Za-z0-9+/]{32,400}={0,2}|glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8})'],
  ['atlassian-token', 'ATATT3[A-Za-z0-9_=-]{180,200}'],
  ['bitbucket-token', 'ATBB[A-Za-z0-9_=.-]{32}'],
  ['sentry-token', '(?:sntrys_[A-Za-z0-9+/=_-]{50,300}|sntryu_[a-f0-9]{64})'],
  ['newrelic-key', 'NR(?:AK|II|JS)-[A-Za-z0-9]{27}'],
  ['dynatrace-token', 'dt0c01\\.[A-Z0-9]{24}\\.[A-Z0-9]{64}'],
  ['mailgun-key', 'key-[0-9a-f]{32}'],
  ['sendinblue-key', 'xkeysib-[a-f0-9]{64}-[A-Za-z0-9]{16}'],
  ['square-token', '(?:sq0(?:atp|csp)-[0-9A-Za-z_-]{22,43}|EAAA[A-Za-z0-9_-]{60})'],
  ['facebook-token', 'EAA[A-Za-z0-9]{90,400}'],
  ['mapbox-token', 'sk\\.eyJ[A-Za-z0-9_-]{20,200}\\.[A-Za-z0-9_-]{20,100}'],
  ['alibaba-key', 'LTAI[A-Za-z0-9]{12,20}'],
  ['supabase-token', 'sbp_[a-f0-9]{40}'],
  ['planetscale-token', 'pscale_(?:tkn|pw|oauth)_[A-Za-z0-9_.=-]{32,64}'],
  ['heroku-key', 'HRKU-[A-Za-z0-9_-]{60}'],
  ['resend-key', 're_[A-Za-z0-9]{8}_[A-Za-z0-9]{24}'],
  ['netlify-token', 'nfp_[A-Za-z0-9]{36}'],
  ['contentful-token', 'CFPAT-[A-Za-z0-9_-]{43}'],
];
export const PATTERN_RULES: readonly PatternRule[] = [
  {
    kind: 'anthropic-key',
    priority: PROVIDER + 1,
    re: rx(`${B}sk-ant-(?:api|admin|oat|sid)\\d{2}-[A-Za-z0-9_-]{32,200}${E}`),
  },
  { kind: 'openai-key', priority: PROVIDER, re: rx(`${B}sk-(?:proj|svcacct|admin|None)-[A-Za-z0-9_-]{20,250}${E}`) },
  { kind: 'openai-key', priority: PROVIDER, re: rx(`${B}sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}${E}`) },
  // Other OpenAI-compatible vendors (DeepSeek, Moonshot, ...) also use `sk-` + 32 or more characters.
  { kind: 'openai-key', priority: PROVIDER - 1, re: rx(`${B}sk-[A-Za-z0-9]{32,200}${E}`) },
  { kind: 'github-token', priority: PROVIDER, re: rx(`${B}(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,251}${E}`) },
  { kind: 'github-token', priority: PROVIDER, re: rx(`${B}github_pat_[A-Za-z0-9_]{50,250}${E}`) },
  {
    kind: 'gitlab-token',
    priority: PROVIDER,
    re: rx(`${B}gl(?:pat|dt|rt|ptt|cbt|oas|soat|ft|imt|agent|ffct|wt)-[A-Za-z0-9_-]{20,200}${E}`),
  },
  { kind: 'slack-token', priority: PROVIDER, re: rx(`${B}(?:xox[abposre]|xapp)-[A-Za-z0-9-]{10,250}${E}`) },
  {
    kind: 'slack-webhook',
    priority: PROVIDER,
    re: rx(String.raw`https://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9/_-]{20,250}`),
  },
  // Publishable keys (pk_live_) are public by design and are not flagged.
  { kind: 'stripe-key', priority: PROVIDER, re: rx(`${B}(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,250}${E}`) },
  { kind: 'stripe-key', priority: PROVIDER, re: rx(`${B}whsec_[A-Za-z0-9+/=]{24,250}${E}`) },
  { kind: 'google-api-key', priority: PROVIDER, re: rx(`${B}AIza[0-9A-Za-z_-]{35}${E}`) },
  { kind: 'google-oauth', priority: PROVIDER, re: rx(`${B}GOCSPX-[A-Za-z0-9_-]{28}${E}`) },
  { kind: 'google-oauth', priority: PROVIDER, re: rx(String.raw`${B}ya29\.[0-9A-Za-z_-]{20,500}${E}`) },
  { kind: 'twilio-key', priority: PROVIDER, re: rx(`${B}(?:SK|AC)[0-9a-f]{32}${E}`) },
  {
    kind: 'sendgrid-key',
    priority: PROVIDER,
    re: rx(String.raw`${B}SG\.[A-Za-z0-9_-]{16,32}\.[A-Za-z0-9_-]{16,64}${E}`),
  },
  { kind: 'npm-token', priority: PROVIDER, re: rx(`${B}npm_[A-Za-z0-9]{36}${E}`) },
  { kind: 'huggingface-token', priority: PROVIDER, re: rx(`${B}(?:hf_|api_org_)[A-Za-z0-9]{30,40}${E}`) },
  {
    kind: 'aws-access-key',
    priority: PROVIDER,
    re: rx(
      `(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|APKA|A3T[A-Z0-9])[A-Z0-9]{16}(?![A-Za-z0-9])`,
    ),
  },
  { kind: 'telegram-bot-token', priority: PROVIDER, re: rx(`(?<![A-Za-z0-9_:-])\\d{8,10}:AA[A-Za-z0-9_-]{33}${E}`) },
  { kind: 'shopify-token', priority: PROVIDER, re: rx(`${B}shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}${E}`) },
  { kind: 'databricks-token', priority: PROVIDER, re: rx(`${B}dapi[a-f0-9]{32}(?:-\\d)?${E}`) },
  { kind: 'digitalocean-token', priority: PROVIDER, re: rx(`${B}do[opr]_v1_[a-f0-9]{64}${E}`) },
  { kind: 'age-secret-key', priority: PROVIDER, re: rx(`${B}AGE-SECRET-KEY-1[0-9A-Z]{58}${E}`) },
  ...MORE_PROVIDERS.map(([kind, source]): PatternRule => ({ kind, priority: PROVIDER, re: rx(`${B}${source}${E}`) })),
  { kind: 'mailchimp-key', priority: PROVIDER, re: rx(`${B}[0-9a-f]{32}-us\\d{1,2}${E}`) },
  {
    kind: 'discord-token',
    priority: PROVIDER,
    re: rx(String.raw`${B}[MN][A-Za-z0-9]{23,25}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,38}${E}`),
  },
  {
    kind: 'azure-client-secret',
    priority: PROVIDER,
    re: rx(String.raw`(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])`),
  },
  {
    kind: 'jwt',
    priority: 8,
    re: rx(`${B}eyJ[A-Za-z0-9_-]{8,2000}\\.eyJ[A-Za-z0-9_-]{8,4000}\\.[A-Za-z0-9_-]{0,1000}${E}`),
  },
  // scheme://user:password@host — only the password is replaced, so the model still sees the URL.
  {
    kind: 'connection-string',
    priority: 7,
    re: rx(
      String.raw`(?<![\w+.-])(?<scheme>[a-zA-Z][a-zA-Z0-9+.-]{1,30}):\/\/(?<user>[^\s:@\/'"\x60<>]{0,128}):(?<s>[^\s@\/'"\x60<>]{1,256})@(?=[^\s@\/'"\x60]{1,256})`,
      'gd',
    ),
    accept: isRealUrlCredential,
    kindOf: (match) =>
      /^(?:https?|ftps?|wss?)$/i.test(match.groups?.scheme ?? '') ? 'url-credentials' : 'connection-string',
  },
  // Semicolon-separated connection strings (ADO.NET, Azure Storage, Service Bus).
  {
    kind: 'connection-string',
    priority: 7,
    re: rx(
      String.raw`(?<=^|[;"'\s\x60])(?:AccountKey|SharedAccessKey|Password|Pwd)[ \t]*=[ \t]*(?<s>[^;'"\s\x60()]{4,500})(?=;|["'\s\x60]|$)`,
      'gdim',
    ),
    accept: (secret, match) => isRealUrlPassword(secret) && inSemicolonList(match),
  },
  {
    kind: 'bearer-token',
    priority: 6,
    re: rx(String.raw`(?<![\w-])(?:Bearer|[Tt]oken)\s+(?<s>[A-Za-z0-9._~+\/-]{20,1000}=*)(?![\w.~+\/=-])`, 'gd'),
    accept: hasLetterAndDigit,
  },
  {
    kind: 'basic-auth',
    priority: 6,
    re: rx(
      String.raw`Authorization["']?\s*[:=,]?\s*["']?Basic\s+(?<s>[A-Za-z0-9+\/]{8,1000}={0,2})(?![A-Za-z0-9+\/=])`,
      'gdi',
    ),
  },
  {
    kind: 'url-token',
    priority: 6,
    re: rx(
      String.raw`[?&](?:access_token|api_?key|apikey|token|auth|secret|password|client_secret|private_token|key|sig)=(?<s>[^&\s'"\x60#]{8,500})`,
      'gdi',
    ),
    accept: (secret) => hasLetterAndDigit(secret) || looksRandom(secret),
  },
];
