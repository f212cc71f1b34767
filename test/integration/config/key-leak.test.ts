/**
 * A settings object holding a prototype key (`{"__proto__": {...}}`) or a bad value never makes the
 * server quote the merged settings (which begin with `providers.openai.apiKey`): through each of the
 * three sources — the team file, initializationOptions and workspace/didChangeConfiguration — the
 * problem is named by path, and no 8-character piece of the key reaches window/showMessage, stderr
 * or the log file.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { FULL_CAPABILITIES, TestClient } from '../../helpers/lsp-client.ts';

const KEY = 'sk-proj-' + 'Vb7Qe2Lx9Tz4Kw1Nr6Hp3Sd8Fj5Gm0Ac7Uy2Io9Pe4Rt1Wq6Zx3Cv8Bn5Ml0Kj';
const BAD =
  '{"__proto__": {"completion": {"maxLines": 3}}, "completion": {"debounceMs": {"soon": true}}, "log": {"level": "loud"}}';
const dirs: string[] = [];
let client: TestClient | undefined;

afterEach(async () => {
  await client?.shutdown();
  client = undefined;
});
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Every 8-character window of the key's secret part found in `text`. */
function keyPieces(text: string): string[] {
  const secret = KEY.slice('sk-proj-'.length);
  const found = new Set<string>();
  for (let i = 0; i + 8 <= secret.length; i++)
    if (text.includes(secret.slice(i, i + 8))) found.add(secret.slice(i, i + 8));
  return [...found];
}

type Source = 'team file' | 'initializationOptions' | 'didChangeConfiguration';

async function session(
  source: Source,
  logTo: 'file' | 'stderr',
): Promise<{ shown: string; stderr: string; log: string }> {
  const root = mkdtempSync(path.join(tmpdir(), 'ghostline-keyleak-'));
  dirs.push(root);
  const logFile = path.join(root, 'ghostline.log');
  if (source === 'team file') writeFileSync(path.join(root, '.ghostline.json'), BAD);
  const c = TestClient.start({
    env: {
      OPENAI_API_KEY: KEY,
      OPENAI_BASE_URL: 'http://127.0.0.1:9/v1',
      GHOSTLINE_LOG_LEVEL: 'trace',
      ...(logTo === 'file' ? { GHOSTLINE_LOG_FILE: logFile } : {}),
    },
  });
  client = c;
  // Without workspace/configuration the pushed settings are used as they are.
  const capabilities = { ...FULL_CAPABILITIES, workspace: { didChangeConfiguration: { dynamicRegistration: false } } };
  await c.initialize({
    rootUri: pathToFileURL(root).href,
    capabilities,
    initializationOptions: source === 'initializationOptions' ? JSON.parse(BAD) : undefined,
  });
  if (source === 'didChangeConfiguration')
    await c.connection.sendNotification('workspace/didChangeConfiguration', {
      settings: { ghostline: JSON.parse(BAD) },
    });
  await c.waitForMessage(/prototype key "__proto__"/);
  const stderrClosed = new Promise<void>((resolve) =>
    c.child.stderr!.closed ? resolve() : c.child.stderr!.once('close', () => resolve()),
  );
  await c.shutdown();
  client = undefined;
  await stderrClosed;
  const log = logTo === 'file' ? readFileSync(logFile, 'utf8') : '';
  return { shown: c.messages.map((m) => m.message).join('\n'), stderr: c.stderr, log };
}

describe('configuration errors never quote the API key', () => {
  for (const source of ['team file', 'initializationOptions', 'didChangeConfiguration'] as const) {
    for (const logTo of ['file', 'stderr'] as const) {
      it(`${source}, logging to ${logTo}`, async () => {
        const { shown, stderr, log } = await session(source, logTo);
        expect(shown).toMatch(/__proto__: the prototype key "__proto__" is refused/);
        expect(logTo === 'file' ? log : stderr).toMatch(/prototype key/);
        expect(shown).not.toMatch(/providers/);
        expect(keyPieces(shown)).toEqual([]);
        expect(keyPieces(stderr)).toEqual([]);
        expect(keyPieces(log)).toEqual([]);
      });
    }
  }

  it('names the path and the shape of a bad value, never the value of an object', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'ghostline-keyleak-'));
    dirs.push(root);
    writeFileSync(
      path.join(root, '.ghostline.json'),
      '{"completion": {"debounceMs": {"apiKey": "' + KEY + '"}}, "log": {"level": "loud"}}',
    );
    const c = TestClient.start({ env: { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' } });
    client = c;
    await c.initialize({ rootUri: pathToFileURL(root).href });
    const shown = (await c.waitForMessage(/completion.debounceMs/)).message;
    expect(shown).toContain('completion.debounceMs = an object');
    expect(shown).toContain('log.level = "loud"');
    expect(keyPieces(shown + c.stderr)).toEqual([]);
  });
});
