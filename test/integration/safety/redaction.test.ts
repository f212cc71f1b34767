/**
 * Redaction end to end over stdio: every secret format of the corpus, typed into files piece by
 * piece with a completion request at each pause, never reaches the model server; a placeholder in
 * the model's answer becomes the user's own text again, locally; credentials the model makes up
 * are not inserted.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CodeAction, CompletionList, InlineCompletionList } from 'vscode-languageserver-protocol';
import { startFakeOpenAI, type FakeOpenAI } from '../../fake-openai/server.ts';
import { TestClient } from '../../helpers/lsp-client.ts';
import { Editor, RESOLVE_CAPABILITIES } from '../actions/editor.ts';
import { positiveSamples } from '../../unit/safety/corpus.ts';
import { positionAt, receivedText, serverEnv, startServer, uriOf, workspace } from './setup.ts';

let fake: FakeOpenAI;
let client: TestClient | undefined;
let root: string;

beforeAll(async () => {
  fake = await startFakeOpenAI({ responder: () => ({ kind: 'text', text: ' // done' }) });
  root = workspace();
});
afterAll(async () => {
  await fake.close();
  rmSync(root, { recursive: true, force: true });
});
afterEach(async () => {
  await client?.shutdown();
  client = undefined;
  fake.reset();
});

const itemText = (list: CompletionList): string => {
  const item = list.items[0];
  return item?.textEdit && 'newText' in item.textEdit ? item.textEdit.newText : (item?.insertText ?? '');
};

/**
 * Types `text` after a header as an editor would: the pieces end in the middle of each secret and
 * at its end, and after each piece the client asks for a completion at the caret. A last request
 * puts the caret at the start, so the secrets sit in the text after it.
 */
async function typeSample(
  c: TestClient,
  uri: string,
  text: string,
  secrets: { start: number; end: number }[],
): Promise<number> {
  const header = '// settings\n';
  await c.open(uri, header, 'plaintext', 1);
  const cuts = [
    ...new Set([...secrets.flatMap((s) => [s.start + Math.floor((s.end - s.start) / 2), s.end]), text.length]),
  ].sort((a, b) => a - b);
  let typed = 0;
  let version = 1;
  let requests = 0;
  for (const cut of cuts) {
    const document = header + text.slice(0, typed);
    await c.change(uri, ++version, [
      {
        range: { start: positionAt(document, document.length), end: positionAt(document, document.length) },
        text: text.slice(typed, cut),
      },
    ]);
    typed = cut;
    const full = header + text.slice(0, typed);
    await c.completion(uri, positionAt(full, full.length));
    requests++;
  }
  await c.inline(uri, { line: 0, character: 0 });
  return requests + 1;
}

describe('redaction of prompts', () => {
  // Over a thousand completion requests: allowed more than the default 30 s on a loaded machine.
  it('sends no secret of the corpus to the model server, whole or half typed', async () => {
    client = await startServer(fake, root, { GHOSTLINE_CACHE__ENABLED: 'false' });
    const samples = [...positiveSamples(21), ...positiveSamples(22)];
    let asked = 0;
    for (const [index, sample] of samples.entries()) {
      asked += await typeSample(client, uriOf(root, `src/sample-${index}.txt`), sample.text, sample.secrets);
    }
    expect(fake.requests.length).toBeGreaterThanOrEqual(asked * 0.9);
    const received = receivedText(fake);
    const leaked: string[] = [];
    const halfLeaked: string[] = [];
    for (const sample of samples) {
      for (const { start, end } of sample.secrets) {
        const secret = sample.text.slice(start, end);
        if (received.includes(secret)) leaked.push(`${sample.kind}: ${secret}`);
        // The first half of a secret is all the model server could have seen while it was typed.
        const half = secret.slice(0, Math.floor(secret.length / 2));
        if (half.length >= 12 && received.includes(half)) halfLeaked.push(`${sample.kind}: ${half}`);
      }
    }
    const total = samples.reduce((n, s) => n + s.secrets.length, 0);
    process.stderr.write(
      `[safety] ${total} secrets typed in ${samples.length} files, ${fake.requests.length} model requests: ${leaked.length} leaked whole, ${halfLeaked.length} half-typed prefixes seen\n`,
    );
    expect(leaked).toEqual([]);
    expect(halfLeaked).toEqual([]);
    expect(received).toContain('«secret:');
  }, 120_000);

  it('sends no 64-digit hex value under hmac, signing, salt, pepper or webhook, in JSON, YAML, env or code', async () => {
    client = await startServer(fake, root, { GHOSTLINE_CACHE__ENABLED: 'false' });
    const names = ['hmac', 'signing', 'salt', 'pepper', 'webhook'];
    const values = names.map(() => randomBytes(32).toString('hex'));
    const files: [string, string][] = [
      ['config/keys.json', `{\n${names.map((name, i) => `  "${name}": "${values[i]}"`).join(',\n')}\n}\n`],
      ['config/keys.yaml', names.map((name, i) => `${name}: ${values[i]}`).join('\n') + '\n'],
      ['deploy/settings.sh', names.map((name, i) => `export ${name.toUpperCase()}=${values[i]}`).join('\n') + '\n'],
      ['src/keys.ts', names.map((name, i) => `export const ${name} = '${values[i]}';`).join('\n') + '\n'],
    ];
    let asked = 0;
    for (const [name, text] of files) {
      const secrets = values.flatMap((value) => {
        const start = text.indexOf(value);
        return start < 0 ? [] : [{ start, end: start + value.length }];
      });
      expect(secrets).toHaveLength(5);
      asked += await typeSample(client, uriOf(root, name), text, secrets);
    }
    expect(fake.requests.length).toBeGreaterThanOrEqual(asked * 0.9);
    const received = receivedText(fake);
    const seen = values.flatMap((value) => [value, value.slice(0, 32)]).filter((piece) => received.includes(piece));
    expect(seen).toEqual([]);
    expect(received).toContain('«secret:');
  });

  it("restores a placeholder in the model's answer to the user's own secret, locally", async () => {
    const token = 'ghp_' + 'R4nd0mT0k3nV4lu3Xy9Qw2Er8Ty6Ui1Op3As5D';
    fake.setResponder((request) => {
      const placeholder = /«secret:github-token:\d+»/.exec(JSON.stringify(request.body))?.[0];
      return { kind: 'text', text: placeholder ? `"${placeholder}");` : 'nothing' };
    });
    client = await startServer(fake, root);
    const uri = uriOf(root, 'src/github.ts');
    const text = `const primary = new Octokit({ auth: "${token}" });\nconst backup = login(`;
    await client.open(uri, text, 'typescript');
    const list = await client.completion(uri, positionAt(text, text.length));
    expect(itemText(list)).toContain(`"${token}");`);
    const inline = await client.inline(uri, positionAt(text, text.length));
    expect((inline as InlineCompletionList).items[0]?.insertText).toBe(`"${token}");`);
    expect(receivedText(fake)).not.toContain(token);
    expect(receivedText(fake)).toMatch(/«secret:github-token:\d+»/);
  });
});

describe('code actions', () => {
  it("stream an explanation with the user's own secret restored, while the model saw only a placeholder", async () => {
    const key = 'AKIA' + 'Q7W2E9R4T1Y8U3I6';
    fake.setResponder((request) => {
      const placeholder = /«secret:aws-access-key:\d+»/.exec(JSON.stringify(request.body))?.[0] ?? 'none';
      return {
        kind: 'text',
        text: `Signs requests with the access key ${placeholder} from the config.`,
        chunkChars: 5,
      };
    });
    client = TestClient.start({ env: serverEnv(fake) });
    await client.initialize({
      rootUri: null,
      capabilities: RESOLVE_CAPABILITIES,
      initializationOptions: { actions: { streaming: true } },
    });
    const editor = new Editor(client);
    const uri = uriOf(root, 'src/aws.ts');
    const source = `export const config = {\n  accessKeyId: "${key}",\n  region: "eu-west-1",\n};\n`;
    await editor.open(uri, source);
    const explain = (
      await editor.codeActions(uri, { start: { line: 0, character: 0 }, end: { line: 3, character: 2 } })
    ).find((a) => /Explain/.test(a.title)) as CodeAction;
    await editor.execute(explain.command!);
    await editor.until(() => editor.streams.some((s) => s.done), 'the end of the stream');
    const expected = `Signs requests with the access key ${key} from the config.`;
    expect(
      editor.streams
        .filter((s) => !s.done)
        .map((s) => s.delta)
        .join(''),
    ).toBe(expected);
    expect(editor.streams.at(-1)).toMatchObject({ done: true, final: expected });
    expect(editor.streams.some((s) => s.delta.includes('«'))).toBe(false);
    expect(receivedText(fake)).not.toContain(key);
  });
});

describe('output scrubbing', () => {
  it('does not insert credentials the model produces, but keeps the rest of the suggestion', async () => {
    const fresh = positiveSamples(99)
      .filter((sample) =>
        ['openai-key', 'github-token', 'aws-access-key', 'stripe-key', 'slack-token', 'jwt'].includes(sample.kind),
      )
      .map((sample) => sample.text.slice(sample.secrets[0]!.start, sample.secrets[0]!.end));
    expect(fresh.length).toBeGreaterThanOrEqual(6);
    client = await startServer(fake, root, { GHOSTLINE_CACHE__ENABLED: 'false' });
    const uri = uriOf(root, 'src/client.ts');
    const text = 'const client = createClient({ apiKey: ';
    await client.open(uri, text, 'typescript');
    for (const credential of fresh) {
      fake.setResponder(() => ({ kind: 'text', text: `"${credential}", retries: 3 });` }));
      const list = await client.completion(uri, positionAt(text, text.length));
      const suggestion = itemText(list);
      expect(suggestion).not.toContain(credential);
      expect(suggestion).toContain('retries: 3 });');
    }
  });
});
