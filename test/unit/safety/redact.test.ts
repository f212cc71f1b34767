// Redaction of prompts: recall on the secret-format corpus, no flags on ordinary code, stable
// placeholders and local restoration of the user's own secrets.
import { describe, expect, it } from 'vitest';
import { detectSecrets } from '../../../server/src/safety/detect.ts';
import { createRedactor, PLACEHOLDER_PATTERN } from '../../../server/src/safety/redact.ts';
import { negativeFiles, positiveSamples } from './corpus.ts';

const SEEDS = [1, 2, 3, 4, 5];
/** Stated limit: flagged spans allowed in the whole negative corpus. */
const MAX_FALSE_POSITIVES = 2;

describe('secret-format corpus', () => {
  it('has at least 40 samples per seed across the kinds', () => {
    const samples = positiveSamples(1);
    expect(samples.length).toBeGreaterThanOrEqual(40);
    expect(new Set(samples.map((sample) => sample.kind)).size).toBeGreaterThanOrEqual(25);
  });

  it('detects at least 95% of the secrets and reports the expected kind', () => {
    let total = 0;
    let detected = 0;
    const wrongKinds: string[] = [];
    for (const seed of SEEDS) {
      for (const sample of positiveSamples(seed)) {
        const found = detectSecrets(sample.text);
        for (const secret of sample.secrets) {
          total++;
          const match = found.find((candidate) => candidate.start <= secret.start && candidate.end >= secret.end);
          if (match === undefined) continue;
          detected++;
          if (sample.kind !== 'any' && match.kind !== sample.kind)
            wrongKinds.push(`${sample.kind} reported as ${match.kind}`);
        }
      }
    }
    const recall = detected / total;
    process.stderr.write(
      `[safety] recall ${detected}/${total} = ${recall.toFixed(4)}, wrong kinds ${wrongKinds.length}\n`,
    );
    expect(recall).toBeGreaterThanOrEqual(0.95);
    expect(wrongKinds).toEqual([]);
  });

  it(`flags at most ${MAX_FALSE_POSITIVES} spans in the negative corpus`, () => {
    const flagged = negativeFiles().flatMap(({ name, text }) =>
      detectSecrets(text).map((match) => `${name}: ${match.kind} ${text.slice(match.start, match.end)}`),
    );
    process.stderr.write(`[safety] false positives ${flagged.length} in ${negativeFiles().length} files\n`);
    expect(flagged.length, flagged.join('\n')).toBeLessThanOrEqual(MAX_FALSE_POSITIVES);
  });

  it('removes every detected secret from the prompt and restores the original text', () => {
    const redactor = createRedactor();
    for (const sample of positiveSamples(7)) {
      const result = redactor.redact(sample.text);
      for (const secret of sample.secrets)
        expect(result.text).not.toContain(sample.text.slice(secret.start, secret.end));
      expect(result.count).toBeGreaterThanOrEqual(sample.secrets.length);
      expect(result.restore(result.text)).toBe(sample.text);
    }
  });
});

describe('ordinary code is left alone', () => {
  it.each([
    ['a password read from the environment', 'const password = process.env.DB_PASSWORD;'],
    ['a password variable', 'password = user_password'],
    ['a type annotation', 'interface Login {\n  password: string\n  token: AccessToken\n}'],
    ['a template', 'DB_PASSWORD=${DB_PASSWORD}'],
    ['a GitHub Actions secret', 'NODE_AUTH_TOKEN: ${{ secrets.NPM_TOKEN }}'],
    ['a documentation placeholder', 'OPENAI_API_KEY=your-api-key-here'],
    ['a URL placeholder', 'postgres://user:password@localhost:5432/app'],
    ['a git SHA in a comment', '// fixed in 3f9c2a1b7d4e8f0a6c5b3d2e1f0a9b8c7d6e5f4a'],
    ['a sha256 digest', 'const EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";'],
    ['a UUID', "const id = '123e4567-e89b-12d3-a456-426614174000';"],
    [
      'an SRI digest',
      '"integrity": "sha512-xxX9Btd9Ob5FtrIPI0bde5/WTiK6FsditffL5mope7KFQnqlIRAxb7YD0gOkM9V08VNnsJArAXz+WHaijCLECQ=="',
    ],
    ['a long identifier', 'exports.k8sServiceAccountTokenProvider = "k8sServiceAccountTokenProvider";'],
    ['base64 text', 'expect(encode("Hello, World! 2024")).toBe("SGVsbG8sIFdvcmxkISAyMDI0");'],
    ['an alphabet', 'const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";'],
    ['a token budget', 'const maxTokens = 2048;\nconst TOKEN_TYPE = "Bearer";'],
  ])('%s', (_label, text) => {
    expect(detectSecrets(text)).toEqual([]);
  });
});

describe('placeholders', () => {
  const key = 'ghp_' + 'Ab1Cd2Ef3Gh4Ij5Kl6Mn7Op8Qr9St0Uv1Wx2Y';
  const other = 'ghp_' + 'Zy9Xw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0Fe9Dc8B';

  it('use the form «secret:KIND:N»', () => {
    const result = createRedactor().redact(`token = "${key}"`);
    expect(result.text).toBe('token = "«secret:github-token:1»"');
    expect(result.count).toBe(1);
    expect(result.kinds).toEqual(['github-token']);
  });

  it('are the same for the same secret within a prompt and across calls', () => {
    const redactor = createRedactor();
    const first = redactor.redact(`a = "${key}"\nb = "${key}"\nc = "${other}"`);
    expect(first.text).toBe(
      'a = "«secret:github-token:1»"\nb = "«secret:github-token:1»"\nc = "«secret:github-token:2»"',
    );
    const second = redactor.redact(`// later\nclient(${JSON.stringify(other)}, ${JSON.stringify(key)})`);
    expect(second.text).toBe('// later\nclient("«secret:github-token:2»", "«secret:github-token:1»")');
  });

  it('are not redacted again', () => {
    const redactor = createRedactor();
    const once = redactor.redact(`password = "hunter22x"\nkey = "${key}"`);
    expect(once.count).toBe(2);
    expect(redactor.redact(once.text).count).toBe(0);
  });

  it('are restored in model output, including several times and inside other text', () => {
    const result = createRedactor().redact(`const token = "${key}";\nDB_PASSWORD=s3cr3t-Pa55`);
    const modelText =
      'headers: { Authorization: `token «secret:github-token:1»` }, retry: "«secret:github-token:1»", db: "«secret:password:1»"';
    expect(result.restore(modelText)).toBe(
      `headers: { Authorization: \`token ${key}\` }, retry: "${key}", db: "s3cr3t-Pa55"`,
    );
  });

  it('from other prompts or invented by the model stay as they are', () => {
    const redactor = createRedactor();
    const first = redactor.redact(`a = "${key}"`);
    const second = redactor.redact(`b = "${other}"`);
    expect(
      second.restore('x = "«secret:github-token:1»"; y = "«secret:github-token:2»"; z = "«secret:password:9»"'),
    ).toBe(`x = "«secret:github-token:1»"; y = "${other}"; z = "«secret:password:9»"`);
    expect(first.restore('«secret:github-token:1»')).toBe(key);
  });

  it('keep URL structure: only the password of a connection string is replaced', () => {
    const result = createRedactor().redact('DATABASE_URL=postgres://app:Xk29sLq0pZ7t@db.internal:5432/app');
    expect(result.text).toBe('DATABASE_URL=postgres://app:«secret:connection-string:1»@db.internal:5432/app');
  });

  it('match PLACEHOLDER_PATTERN', () => {
    const result = createRedactor().redact(`k = "${key}"`);
    expect(result.text.match(PLACEHOLDER_PATTERN)).toEqual(['«secret:github-token:1»']);
  });

  it('are forgotten beyond maxRemembered, with fresh numbers', () => {
    const redactor = createRedactor({ maxRemembered: 1 });
    expect(redactor.redact(`a = "${key}"`).text).toBe('a = "«secret:github-token:1»"');
    expect(redactor.redact(`b = "${other}"`).text).toBe('b = "«secret:github-token:2»"');
    expect(redactor.redact(`a = "${key}"`).text).toBe('a = "«secret:github-token:3»"');
  });
});

describe('private keys cut by the prompt window', () => {
  const body = Array.from(
    { length: 4 },
    (_, i) => `MIIEow${i}BAAKCAQEA7x2kLp9QzR4mYt8VnW3sHj5GdF1cB6aE0oU2iK7lM9nP4qS8rT3vX`,
  ).join('\n');

  it('redacts from BEGIN to the end of the text when END is missing', () => {
    const text = `const x = 1;\n-----BEGIN RSA PRIVATE KEY-----\n${body}`;
    expect(createRedactor().redact(text).text).toBe('const x = 1;\n«secret:private-key:1»');
  });

  it('redacts from the start of the text when only END is present', () => {
    const text = `${body}\n-----END RSA PRIVATE KEY-----\nconst y = 2;`;
    expect(createRedactor().redact(text).text).toBe('«secret:private-key:1»\nconst y = 2;');
  });
});

describe('hex key material under names like hmac or salt', () => {
  // Seen in the integration test's random values (CI, 2026-12-07): this value's letters read as
  // words to the word-share check (half of it), so it was passed as a name, not a secret.
  const value = 'eab8c7cc4aacce3cecbc5ccaffd6a7e8eab8c7cc4aacce3cecbc5ccaffd6a7e8';

  it('is found whatever words its letters a–f happen to spell, complete and half typed', () => {
    for (const name of ['hmac', 'signing', 'salt', 'pepper', 'webhook']) {
      for (const piece of [value, value.slice(0, 32), value.slice(0, 20)]) {
        for (const text of [
          `${name}: ${piece}\n`,
          `export const ${name} = '${piece}';\n`,
          `{ "${name}": "${piece}" }\n`,
        ]) {
          const found = detectSecrets(text);
          const start = text.indexOf(piece);
          expect(
            found.some((match) => match.start <= start && match.end >= start + piece.length),
            `${text.trim()}`,
          ).toBe(true);
        }
      }
    }
  });
});
