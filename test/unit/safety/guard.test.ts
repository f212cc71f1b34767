// The prompt guard: exclusion told once per rule, redaction around the completion caret (keys
// being typed included), scrub-then-restore, and the settings switches.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { completionPrompt, CURSOR_MARKER, parseCompletionInput } from '../../../server/src/context/prompt.ts';
import { createPromptGuard, type SafetySettings } from '../../../server/src/safety/guard.ts';
import { openStringSecretAt, partialSecretAt, typingSecretAt } from '../../../server/src/safety/partial.ts';
import { createRedactor } from '../../../server/src/safety/redact.ts';
import { negativeFiles } from './corpus.ts';

const githubToken = 'ghp_' + 'Ab1Cd2Ef3Gh4Ij5Kl6Mn7Op8Qr9St0Uv1Wx2Y';
const modelKey = 'sk-proj-' + 'Q7w8E9r0T1y2U3i4O5p6A7s8D9f0G1h2J3k4L5z6X7c8V9b0';

let root: string;
let settings: SafetySettings;
let told: string[];
const guard = () =>
  createPromptGuard({
    settings: () => settings,
    workspaceRoot: () => root,
    cursorMarker: CURSOR_MARKER,
    notify: (m) => told.push(m),
  });

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'ghostline-guard-'));
  settings = { redact: true, scrubOutput: true, exclude: [] };
  told = [];
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('refuse', () => {
  it('refuses excluded files and tells the user once per rule, naming the file and the rule', () => {
    const g = guard();
    expect(g.refuse(path.join(root, 'src/app.ts'))).toBeUndefined();
    expect(g.refuse(path.join(root, '.env'))).toBe('.env is excluded from prompts (default: .env)');
    expect(g.refuse(path.join(root, '.env'))).toBeDefined();
    expect(g.refuse(path.join(root, 'api/.env'))).toBeDefined();
    expect(g.refuse(path.join(root, 'deploy/id_rsa'))).toBe(
      'deploy/id_rsa is excluded from prompts (default: id_rsa*)',
    );
    expect(told).toEqual([
      'ghostline: no AI suggestions for .env: files matching "default: .env" never leave this machine. Change safety.exclude or .ghostlineignore to allow them.',
      'ghostline: no AI suggestions for deploy/id_rsa: files matching "default: id_rsa*" never leave this machine. Change safety.exclude or .ghostlineignore to allow them.',
    ]);
  });

  it('follows safety.exclude and .ghostlineignore as they change', () => {
    const g = guard();
    const file = path.join(root, 'internal/pricing.ts');
    expect(g.refuse(file)).toBeUndefined();
    settings = { ...settings, exclude: ['internal/'] };
    expect(g.refuse(file)).toBe('internal/pricing.ts is excluded from prompts (settings: internal/)');
    settings = { ...settings, exclude: [] };
    writeFileSync(path.join(root, '.ghostlineignore'), '# team rules\ninternal/pricing.ts\n');
    expect(g.refuse(file)).toBe(
      'internal/pricing.ts is excluded from prompts (.ghostlineignore:2: internal/pricing.ts)',
    );
  });
});

describe('prepare', () => {
  it('redacts instructions and input, counts the secrets, and restores them in an answer', () => {
    const prepared = guard().prepare({ instructions: `Use token ${githubToken}.`, input: 'DB_PASSWORD=s3cr3t-Pa55' });
    expect(prepared.prompt).toEqual({
      instructions: 'Use token «secret:github-token:1».',
      input: 'DB_PASSWORD=«secret:password:1»',
    });
    expect(prepared.redactions).toBe(2);
    expect(prepared.restore('a «secret:github-token:1» b «secret:password:1»')).toBe(`a ${githubToken} b s3cr3t-Pa55`);
  });

  it('keeps the caret marker where it was and the secret the caret touches whole', () => {
    const prompt = completionPrompt({
      path: '/w/a.ts',
      languageId: 'typescript',
      prefix: `const password = "hunter2x`,
      suffix: `";\nconst t = "${githubToken}";`,
      multiline: false,
    });
    const prepared = guard().prepare(prompt);
    const parsed = parseCompletionInput(prepared.prompt.input);
    expect(parsed?.prefix).toBe('const password = "«secret:password:1»');
    expect(parsed?.suffix).toBe('";\nconst t = "«secret:github-token:1»";');
    expect(prepared.prompt.input).not.toContain('hunter2x');
  });

  it('catches a provider key while it is being typed, before its format is complete', () => {
    const typed = githubToken.slice(0, 20);
    const prepared = guard().prepare(
      completionPrompt({
        path: '/w/a.ts',
        languageId: 'typescript',
        prefix: `octokit.login("${typed}`,
        suffix: '")',
        multiline: false,
      }),
    );
    expect(prepared.prompt.input).not.toContain(typed.slice(4));
    expect(parseCompletionInput(prepared.prompt.input)?.prefix).toBe('octokit.login("«secret:github-token:1»');
  });

  it('redacts repository snippets block by block as the whole input would be, keystroke after keystroke', () => {
    const g = guard();
    const snippets = [
      { path: 'src/config.ts', kind: 'definition', text: `export const token = "${githubToken}";` },
      { path: 'src/db.ts', kind: 'similar', text: 'DB_PASSWORD=s3cr3t-Pa55' },
    ];
    const at = (prefix: string, shown = snippets) =>
      completionPrompt({
        path: '/w/a.ts',
        languageId: 'typescript',
        prefix,
        suffix: '',
        multiline: false,
        snippets: shown,
      });
    const whole = (prompt: ReturnType<typeof at>) => guard().prepare({ ...prompt, blocks: [] });
    for (const prefix of ['const a = ', 'const a = t', 'const a = to']) {
      const prompt = at(prefix);
      const prepared = g.prepare(prompt);
      expect(prepared.prompt.input).toBe(whole(prompt).prompt.input);
      expect(prepared.redactions).toBe(2);
      expect(prepared.prompt.input).not.toContain(githubToken);
      expect(prepared.prompt.input).not.toContain('s3cr3t-Pa55');
      expect(prepared.restore('«secret:github-token:1» «secret:password:1»')).toBe(`${githubToken} s3cr3t-Pa55`);
    }
    // A snippet that changed is scanned again: its new secret is caught, the one it lost no longer counted.
    const changed = [snippets[0]!, { path: 'src/db.ts', kind: 'similar', text: `const key = "${modelKey}";` }];
    const prepared = g.prepare(at('const a = ', changed));
    expect(prepared.prompt.input).not.toContain(modelKey);
    expect(prepared.prompt.input).toContain('«secret:github-token:1»');
    expect(prepared.redactions).toBe(2);
    expect(prepared.restore('«secret:password:1»')).toBe('«secret:password:1»');
    // The secret typed at the caret is still caught next to remembered snippets.
    const typing = g.prepare(at(`const password = "hunter2x`));
    expect(parseCompletionInput(typing.prompt.input)?.prefix).toBe('const password = "«secret:password:2»');
    expect(typing.redactions).toBe(3);
  });

  it('sends the prompt unchanged when safety.redact is off', () => {
    settings = { ...settings, redact: false };
    const prompt = { instructions: 'i', input: `t = "${githubToken}"` };
    expect(guard().prepare(prompt)).toMatchObject({ prompt, redactions: 0 });
  });
});

describe('scrub', () => {
  it('removes a credential the model made up, and keeps placeholders for restore', () => {
    const g = guard();
    const prepared = g.prepare({ instructions: '', input: `const gh = "${githubToken}";` });
    const answer = `"${modelKey}";\nuse("«secret:github-token:1»");`;
    expect(prepared.restore(g.scrub(answer))).toBe(`"";\nuse("${githubToken}");`);
  });

  it('leaves model text alone when safety.scrubOutput is off', () => {
    settings = { ...settings, scrubOutput: false };
    expect(guard().scrub(`k = "${modelKey}"`)).toBe(`k = "${modelKey}"`);
  });
});

describe('partialSecretAt', () => {
  it.each([
    ['a GitHub token', 'token = "ghp_Ab1Cd2Ef3G|', 'github-token'],
    ['an OpenAI project key', 'OPENAI_API_KEY=sk-proj-Q7w8E9r0|', 'openai-key'],
    ['an AWS access key id', 'aws_access_key_id = AKIAIOSFODNN|', 'aws-access-key'],
    ['a Stripe key', 'stripe.api_key = "sk_live_4eC39Hq|', 'stripe-key'],
    ['a JWT', 'Authorization: Bearer eyJhbGciOiJIUzI1NiIs|', 'jwt'],
    ['a Slack token with the caret inside', 'SLACK=xoxb-1234|5678901', 'slack-token'],
  ])('finds %s', (_label, marked, kind) => {
    const at = marked.indexOf('|');
    const text = marked.replace('|', '');
    const found = partialSecretAt(text, at);
    expect(found?.kind).toBe(kind);
    expect(text.slice(found!.start, found!.end)).toMatch(/^(ghp_|sk-|AKIA|sk_live_|eyJ|xoxb-)/);
  });

  it.each([
    ['an identifier', 'const skipper = task|'],
    ['a short prefix', 'ghp_Ab|'],
    ['a kebab-case word', 'class="sk-learning-module|"'],
    ['a package name', "import x from 'sk-something|'"],
  ])('ignores %s', (_label, marked) => {
    expect(partialSecretAt(marked.replace('|', ''), marked.indexOf('|'))).toBeUndefined();
  });
});

describe('redactor offsets', () => {
  it('maps offsets before, inside and after secrets into the redacted text', () => {
    const text = `a="${githubToken}";b`;
    const result = createRedactor().redact(text);
    const start = text.indexOf(githubToken);
    const placeholder = '«secret:github-token:1»';
    expect(result.mapOffset(1)).toBe(1);
    expect(result.mapOffset(start)).toBe(start);
    expect(result.mapOffset(start + 5)).toBe(start + placeholder.length);
    expect(result.mapOffset(text.length)).toBe(result.text.length);
  });
});

describe('typingSecretAt', () => {
  const at = (marked: string) => {
    const text = marked.replace('|', '');
    const found = typingSecretAt(text, marked.indexOf('|'));
    return found === undefined ? undefined : { kind: found.kind, secret: text.slice(found.start, found.end) };
  };

  it('closes an open string at the caret to judge a password or token being typed', () => {
    expect(at('const password = "hunter2|')).toEqual({ kind: 'password', secret: 'hunter2' });
    expect(at("  client_secret: 'x9Lk2Qm7Pz|")).toEqual({ kind: 'secret', secret: 'x9Lk2Qm7Pz' });
    expect(openStringSecretAt('const title = "hello wor', 24)).toBeUndefined();
    expect(openStringSecretAt('const done = "yes"; const p = 1', 31)).toBeUndefined();
  });

  it('takes a URL password before its @ is typed, but not a port, a template or the word password', () => {
    expect(at('DATABASE_URL=postgres://app:Xk29sL|')).toEqual({ kind: 'connection-string', secret: 'Xk29sL' });
    expect(at('const url = "http://localhost:8080|')).toBeUndefined();
    expect(at('psql postgres://app:${PGPASS|')).toBeUndefined();
    expect(at('redis://user:passw|')).toBeUndefined();
  });

  it('flags nothing while the negative corpus is typed character by character', () => {
    const flagged: string[] = [];
    for (const { name, text } of negativeFiles()) {
      for (let caret = 1; caret <= text.length; caret++) {
        const found = typingSecretAt(text.slice(0, caret), caret);
        if (found) flagged.push(`${name}@${caret}: ${found.kind} ${text.slice(found.start, found.end)}`);
      }
    }
    expect(flagged).toEqual([]);
  });
});
