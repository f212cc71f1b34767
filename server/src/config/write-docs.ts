/**
 * `npm run docs:config`: rewrites docs/configuration.md from the schema.
 */
import { writeFileSync } from 'node:fs';
import { renderConfigDocs } from './docs.ts';

writeFileSync(new URL('../../../docs/configuration.md', import.meta.url), renderConfigDocs());
