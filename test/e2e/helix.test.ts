/**
 * clients/helix/languages.toml (Helix 25.07), languages-25.01.toml and languages-master.toml, each
 * checked against the configuration its Helix version defines (keys, feature names, built-in and
 * default servers read from Helix's source for 25.01.1, 25.07.1 and master, the same facts as
 * shared/helix-languages-schema.json; test/fixtures/helix/README.md), and the `config` table against
 * ghostline's own settings schema.
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

const facts = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/helix/helix-config-facts.json'), 'utf8')) as {
  versions: Record<string, VersionFacts>;
};
const versions = Object.entries(facts.versions);
type Snippet = {
  'language-server': Record<string, Record<string, unknown>>;
  language: {
    name: string;
    'language-servers': (string | { name: string; 'only-features'?: string[]; 'except-features'?: string[] })[];
  }[];
};
const read = (name: string) => parse(readFileSync(join(ROOT, 'clients/helix', name), 'utf8')) as Snippet;
/** The file a user of each Helix version copies (docs/clients.md); they differ only in default server lists. */
const FILES: Record<string, string> = {
  '25.01.1': 'languages-25.01.toml',
  '25.07.1': 'languages.toml',
  'master@079a789e8': 'languages-master.toml',
};
const snippet = read('languages.toml');
const GHOSTLINE_ENTRY = { name: 'ghostline', 'only-features': ['completion', 'code-action', 'workspace-command'] };
const names = (language: Snippet['language'][number]) =>
  language['language-servers'].map((entry) => (typeof entry === 'string' ? entry : entry.name));

describe('clients/helix/languages*.toml', () => {
  it('has one file per checked Helix version', () => {
    expect(Object.keys(FILES).sort()).toEqual(versions.map(([version]) => version).sort());
  });

  for (const [version, file] of Object.entries(FILES)) {
    describe(`${file} on Helix ${version}`, () => {
      const v = facts.versions[version]!;
      const own = read(file);

      it('uses only keys, feature names and servers this version defines (no warnings at start-up)', () => {
        for (const key of Object.keys(own['language-server'].ghostline!))
          expect(v.language_server_keys, `${key} in Helix ${version}`).toContain(key);
        expect(v.language_deny_unknown).toBe(true);
        for (const language of own.language) {
          for (const key of Object.keys(language))
            expect(v.language_keys, `${language.name}.${key} in Helix ${version}`).toContain(key);
          for (const name of names(language).slice(0, -1))
            expect(v.builtin_language_servers, `${language.name}: server ${name} in Helix ${version}`).toContain(name);
          for (const entry of language['language-servers']) {
            if (typeof entry === 'string') continue;
            for (const feature of [...(entry['only-features'] ?? []), ...(entry['except-features'] ?? [])]) {
              expect(v.features, `${language.name}: feature ${feature} in Helix ${version}`).toContain(feature);
            }
          }
        }
      });

      it("keeps each language's default servers of this version and adds ghostline last, limited to its features", () => {
        expect(own.language.length).toBeGreaterThan(5);
        for (const language of own.language) {
          expect(names(language).slice(0, -1), `${language.name}: the defaults of Helix ${version}`).toEqual(
            v.default_language_servers[language.name],
          );
          expect(language['language-servers'].at(-1)).toEqual(GHOSTLINE_ENTRY);
        }
      });

      it('differs from languages.toml only in those default server lists', () => {
        expect(own['language-server']).toEqual(snippet['language-server']);
        expect(own.language.map((l) => l.name)).toEqual(snippet.language.map((l) => l.name));
      });
    });
  }
});

describe('clients/helix/languages.toml', () => {
  const server = snippet['language-server'].ghostline!;

  it('defines [language-server.ghostline] with keys every checked Helix version knows', () => {
    expect(server).toBeDefined();
    for (const [version, v] of versions) {
      for (const key of Object.keys(server))
        expect(v.language_server_keys, `${key} in Helix ${version}`).toContain(key);
    }
    expect(server.command).toBe('ghostline');
    expect(server.args).toEqual(['--stdio']);
    expect(typeof server.timeout).toBe('number');
    expect(
      Object.values(server.environment as Record<string, unknown>).every((value) => typeof value === 'string'),
    ).toBe(true);
    expect(JSON.stringify(server.environment)).not.toMatch(/OPENAI_API_KEY|sk-/);
  });

  it('sends a config table that ghostline accepts as its settings', () => {
    const parsed = configSchema.safeParse(server.config);
    expect(parsed.error?.issues ?? []).toEqual([]);
    expect(parsed.data?.completion.debounceMs).toBe(0);
  });
});
