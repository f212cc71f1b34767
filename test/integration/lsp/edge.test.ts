/**
 * The protocol edge against malformed input (issue #13, items 7, 8 and 9): every invalid message
 * gets an error response, bad framing never silences the server, bad params are answered with
 * InvalidParams naming the field, and nothing is served after `shutdown`.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI } from '../../fake-openai/server.ts';
import { FULL_CAPABILITIES, TestClient } from '../../helpers/lsp-client.ts';
import { RawPeer } from './raw.ts';

let fake: FakeOpenAI;
let peer: RawPeer | undefined;
let client: TestClient | undefined;

beforeAll(async () => {
  fake = await startFakeOpenAI();
});
afterAll(async () => {
  await fake.close();
});
afterEach(async () => {
  peer?.kill();
  peer = undefined;
  await client?.shutdown();
  client = undefined;
  fake.reset();
});

const env = () => ({ OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: fake.url });
const URI = 'file:///edge/a.ts';
const stats = (id: number | string) => ({
  jsonrpc: '2.0',
  id,
  method: 'workspace/executeCommand',
  params: { command: 'ghostline.stats', arguments: [] },
});

describe('invalid JSON-RPC messages', () => {
  it('answers a body that is not JSON with ParseError, and keeps serving', async () => {
    peer = new RawPeer(env());
    await peer.initialize();
    peer.send('{"jsonrpc":"2.0","id":1,"method":"shutdown"');
    const error = await peer.response(null, 'a ParseError response');
    expect(error.error?.code).toBe(-32700);
    peer.send(stats(2));
    expect((await peer.response(2)).result).toMatchObject({ requests: 0 });
  });

  it.each([
    ['a message with neither method nor result', { jsonrpc: '2.0', id: 11 }, 11],
    ['a method that is not a string', { jsonrpc: '2.0', id: 12, method: 7 }, 12],
    [
      'a request without "jsonrpc"',
      { id: 13, method: 'workspace/executeCommand', params: { command: 'ghostline.stats' } },
      13,
    ],
    [
      'params that are neither object nor array',
      { jsonrpc: '2.0', id: 14, method: 'textDocument/completion', params: 5 },
      14,
    ],
    ['an id that is an object', { jsonrpc: '2.0', id: { a: 1 }, method: 'textDocument/completion', params: {} }, null],
    ['a batch', [{ jsonrpc: '2.0', id: 15, method: 'shutdown' }], null],
  ])('answers %s with InvalidRequest', async (_name, message, id) => {
    peer = new RawPeer(env());
    await peer.initialize();
    peer.send(message);
    const answer = await peer.response(id as number | null, 'an InvalidRequest response');
    expect(answer.error?.code).toBe(-32600);
    peer.send(stats('after'));
    expect((await peer.response('after')).result).toMatchObject({ answered: 0 });
  });
});

describe('bad Content-Length headers', () => {
  it('skips a header whose Content-Length is not a number and answers the next message', async () => {
    peer = new RawPeer(env());
    await peer.initialize();
    peer.write('Content-Length: abc\r\n\r\n{"jsonrpc":"2.0","id":20,"method":"shutdown"}');
    peer.send(stats(21));
    expect((await peer.response(21)).result).toMatchObject({ requests: 0 });
    expect(peer.received.some((m) => m.id === 20 && m.result === null)).toBe(false);
    expect(peer.stderr).toMatch(/skipped a header without a valid Content-Length/);
  });

  it('cuts a Content-Length longer than its body at the next header, answering both messages', async () => {
    peer = new RawPeer(env());
    await peer.initialize();
    const body = JSON.stringify(stats(30));
    peer.write(`Content-Length: ${body.length + 5000}\r\n\r\n${body}`);
    peer.send(stats(31));
    const first = await peer.response(30);
    expect(first.error?.code).toBe(-32600);
    expect(first.error?.message).toMatch(/Content-Length/);
    expect((await peer.response(31)).result).toMatchObject({ requests: 0 });
  });

  it('answers a message whose Content-Length is too long even when nothing follows it', async () => {
    peer = new RawPeer(env());
    await peer.initialize();
    const body = JSON.stringify(stats(40));
    peer.write(`Content-Length: ${body.length + 100}\r\n\r\n${body}`);
    const answer = await peer.response(40);
    expect(answer.error?.code).toBe(-32600);
    peer.send(stats(41));
    expect((await peer.response(41)).result).toMatchObject({ requests: 0 });
  });
});

describe('bad params', () => {
  it.each([
    ['textDocument/completion', { textDocument: { uri: URI }, position: null }, /position/],
    ['textDocument/completion', { textDocument: { uri: URI } }, /position/],
    ['textDocument/inlineCompletion', { textDocument: null, position: { line: 0, character: 0 } }, /textDocument/],
    ['textDocument/codeAction', { textDocument: { uri: URI }, context: { diagnostics: [] } }, /range/],
    [
      'textDocument/codeAction',
      {
        textDocument: { uri: URI },
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        context: null,
      },
      /context/,
    ],
    [
      'textDocument/codeAction',
      {
        textDocument: { uri: URI },
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        context: { diagnostics: null },
      },
      /context\.diagnostics/,
    ],
    [
      'codeAction/resolve',
      {
        title: 'x',
        data: {
          ghostline: 'teleport',
          args: { uri: URI, version: 1, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } },
        },
      },
      /data\.ghostline/,
    ],
    ['workspace/executeCommand', { command: 'ghostline.refactor', arguments: [{ uri: URI }] }, /arguments\.0\./],
  ])('%s with %j is answered with InvalidParams naming the field', async (method, params, field) => {
    client = TestClient.start({ env: env() });
    await client.initialize({ capabilities: FULL_CAPABILITIES });
    await client.open(URI, 'const x = 1;\n');
    await expect(client.request(method, params)).rejects.toMatchObject({
      code: -32602,
      message: expect.stringMatching(field),
    });
  });

  it('serves a document opened without a version', async () => {
    fake.setResponder(() => ({ kind: 'text', text: 'fine' }));
    client = TestClient.start({ env: env() });
    await client.initialize({ capabilities: FULL_CAPABILITIES });
    await client.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: URI, languageId: 'typescript', text: 'x = \n' },
    });
    const list = await client.completion(URI, { line: 0, character: 4 });
    expect(list.items[0]?.textEdit?.newText).toBe('fine');
    expect(client.stderr).toMatch(/didOpen without textDocument.version/);
  });
});

describe('lifecycle', () => {
  it('refuses requests after shutdown with InvalidRequest', async () => {
    peer = new RawPeer(env());
    await peer.initialize();
    peer.send({ jsonrpc: '2.0', id: 'down', method: 'shutdown' });
    await peer.response('down');
    peer.send(stats(50));
    expect((await peer.response(50)).error?.code).toBe(-32600);
  });

  it('says so when initializationOptions is not an object', async () => {
    client = TestClient.start({ env: env() });
    await client.initialize({ capabilities: FULL_CAPABILITIES, initializationOptions: 'debounceMs=5' });
    const message = await client.waitForMessage(/initializationOptions/);
    expect(message.message).toMatch(/must be an object.*a string/);
    expect(message.type).toBe(2);
  });
});
