/**
 * Shared pieces of the safety integration tests: a workspace on disk, the server started against
 * the fake model server, typing a document the way an editor sends it, and every string the
 * model server received.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FakeOpenAI } from '../../fake-openai/server.ts';
import { TestClient, type StartOptions } from '../../helpers/lsp-client.ts';

/** Shaped like a real OpenAI project key: searched for verbatim in every log, audit file and request body. */
export const API_KEY = 'sk-proj-GhostlineTestKey' + 'x7Qw2Er9Ty4Ui1Op6As3Df8Gh5Jk0Lz';
/** A key of no known shape (a proxy's or a local server's): only an exact search finds it. */
export const PLAIN_KEY = 'gl-local-' + '4f9c2e7a1b8d3c6e5f0a9b2c7d4e1f8a';

export function workspace(files: Record<string, string> = {}): string {
  const root = mkdtempSync(path.join(tmpdir(), 'ghostline-safety-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }
  return root;
}

export const uriOf = (root: string, name: string): string => pathToFileURL(path.join(root, name)).href;

export function serverEnv(fake: FakeOpenAI, extra: Record<string, string> = {}): Record<string, string> {
  return { OPENAI_API_KEY: API_KEY, OPENAI_BASE_URL: fake.url, GHOSTLINE_COMPLETION__DEBOUNCE_MS: '0', ...extra };
}

export async function startServer(
  fake: FakeOpenAI,
  root: string,
  extra: Record<string, string> = {},
  options: StartOptions = {},
): Promise<TestClient> {
  const client = TestClient.start({ ...options, env: { ...serverEnv(fake, extra), ...options.env } });
  await client.initialize({ rootUri: pathToFileURL(root).href });
  return client;
}

/** Line and character (UTF-16) of `offset` in `text`. */
export function positionAt(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

/** Every string value anywhere in the request bodies the model server received, one per line. */
export function receivedText(fake: FakeOpenAI): string {
  const strings: string[] = [];
  const walk = (value: unknown): void => {
    if (typeof value === 'string') strings.push(value);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (typeof value === 'object' && value !== null) Object.values(value).forEach(walk);
  };
  for (const request of fake.requests) walk(request.body);
  return `${strings.join('\n')}\n${fake.requests.map((request) => JSON.stringify(request.body)).join('\n')}`;
}
