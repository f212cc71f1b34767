/**
 * clients/helix/languages.toml checked against the configuration Helix itself defines (keys,
 * feature names and default servers read from Helix's source for 25.01.1, 25.07.1 and master;
 * test/fixtures/helix/README.md), and its `config` table against ghostline's own settings schema.
 * No Helix binary is packaged for Debian, so the configuration is what gets checked.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../server/src/config/schema.ts';
import { ROOT } from './helpers/editor.ts';

interface VersionFacts {
  commit: string;
  language_server_keys: string[];
  language_keys: string[];
  language_deny_unknown: boolean;
  features: string[];
  builtin_language_servers: string[];
  default_language_servers: Record<string, string[] | null>;
}

const facts = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/helix/helix-config-facts.json'), 'utf8')) as { versions: Record<string, VersionFacts> };
const versions = Object.entries(facts.versions);
const snippet = parse(readFileSync(join(ROOT, 'clients/helix/languages.toml'), 'utf8')) as {
  'language-server': Record<string, Record<string, unknown>>;
  language: { name: string; 'language-servers': (string | { name: string; 'only-features'?: string[]; 'except-features'?: string[] })[] }[];
};
const STABLE = '25.07.1';

describe('clients/helix/languages.toml', () => {
  const server = snippet['language-server'].ghostline!;

  it('defines [language-server.ghostline] with keys every checked Helix version knows', () => {
    expect(server).toBeDefined();
    for (const [version, v] of versions) {
      for (const key of Object.keys(server)) expect(v.language_server_keys, `${key} in Helix ${version}`).toContain(key);
    }
    expect(server.command).toBe('ghostline');
    expect(server.args).toEqual(['--stdio']);
    expect(typeof server.timeout).toBe('number');
    expect(Object.values(server.environment as Record<string, unknown>).every((value) => typeof value === 'string')).toBe(true);
    expect(JSON.stringify(server.environment)).not.toMatch(/OPENAI_API_KEY|sk-/);
  });

  it('sends a config table that ghostline accepts as its settings', () => {
    const parsed = configSchema.safeParse(server.config);
    expect(parsed.error?.issues ?? []).toEqual([]);
    expect(parsed.data?.completion.debounceMs).toBe(0);
  });

  it('uses only [[language]] keys and feature names Helix defines, for languages Helix has', () => {
    for (const [version, v] of versions) {
      expect(v.language_deny_unknown).toBe(true);
      for (const language of snippet.language) {
        for (const key of Object.keys(language)) expect(v.language_keys, `${language.name}.${key} in Helix ${version}`).toContain(key);
        for (const entry of language['language-servers']) {
          if (typeof entry === 'string') continue;
          for (const feature of [...(entry['only-features'] ?? []), ...(entry['except-features'] ?? [])]) {
            expect(v.features, `${language.name}: feature ${feature} in Helix ${version}`).toContain(feature);
          }
        }
      }
    }
  });

  it("keeps each language's default servers (Helix 25.07.1) and adds ghostline last, limited to its features", () => {
    const stable = facts.versions[STABLE]!;
    expect(snippet.language.length).toBeGreaterThan(5);
    for (const language of snippet.language) {
      const servers = language['language-servers'];
      const names = servers.map((entry) => (typeof entry === 'string' ? entry : entry.name));
      expect(names.slice(0, -1), `${language.name}: the defaults of Helix ${STABLE}`).toEqual(stable.default_language_servers[language.name]);
      for (const name of names.slice(0, -1)) expect(stable.builtin_language_servers).toContain(name);
      expect(servers.at(-1)).toEqual({ name: 'ghostline', 'only-features': ['completion', 'code-action', 'workspace-command'] });
    }
  });
});
