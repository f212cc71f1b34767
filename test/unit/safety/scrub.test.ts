// Output scrubbing: credentials a model produces are removed, placeholders of the user's own
// secrets survive and are restored afterwards.
import { describe, expect, it } from 'vitest';
import { createRedactor } from '../../../server/src/safety/redact.ts';
import { scrubOutput } from '../../../server/src/safety/scrub.ts';
import { positiveSamples } from './corpus.ts';

const modelKey = 'sk-proj-' + 'Q7w8E9r0T1y2U3i4O5p6A7s8D9f0G1h2J3k4L5z6X7c8V9b0';

describe('scrubOutput', () => {
  it('replaces a credential by an empty string and keeps the rest of the suggestion', () => {
    const result = scrubOutput(`const client = new OpenAI({ apiKey: "${modelKey}" });\nawait client.models.list();`);
    expect(result).toEqual({
      text: 'const client = new OpenAI({ apiKey: "" });\nawait client.models.list();',
      removed: 1,
    });
  });

  it('removes a whole private key block', () => {
    const pem = `-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n-----END OPENSSH PRIVATE KEY-----`;
    expect(scrubOutput(`key = """${pem}"""`)).toEqual({ text: 'key = """"""', removed: 1 });
  });

  it('leaves ordinary code untouched', () => {
    const code =
      'function add(a: number, b: number): number {\n  return a + b;\n}\nconst password = process.env.PASSWORD;';
    expect(scrubOutput(code)).toEqual({ text: code, removed: 0 });
  });

  it('removes every format of the corpus', () => {
    for (const sample of positiveSamples(11)) {
      const result = scrubOutput(sample.text);
      expect(result.removed).toBeGreaterThanOrEqual(sample.secrets.length);
      for (const secret of sample.secrets)
        expect(result.text).not.toContain(sample.text.slice(secret.start, secret.end));
    }
  });

  it("keeps placeholders, so restore() afterwards puts back only the user's own secret", () => {
    const userToken = 'ghp_' + 'Ab1Cd2Ef3Gh4Ij5Kl6Mn7Op8Qr9St0Uv1Wx2Y';
    const redaction = createRedactor().redact(`const gh = "${userToken}";\nconst ai = `);
    const modelText = `"${modelKey}";\nconst both = ["«secret:github-token:1»"];`;
    const scrubbed = scrubOutput(modelText);
    expect(scrubbed.removed).toBe(1);
    expect(redaction.restore(scrubbed.text)).toBe(`"";\nconst both = ["${userToken}"];`);
  });
});
