/**
 * `npm run settings` (in clients/vscode): rewrites contributes.configuration in package.json from
 * the settings schema. Run it after changing server/src/config/schema.ts.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { contributedConfiguration } from './settings.mts';

const path = new URL('../package.json', import.meta.url);
const manifest = JSON.parse(readFileSync(path, 'utf8')) as { contributes: Record<string, unknown> };
manifest.contributes.configuration = contributedConfiguration();
writeFileSync(path, `${JSON.stringify(manifest, null, 2)}\n`);
