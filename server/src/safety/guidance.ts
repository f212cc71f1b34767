/**
 * Repository guidance for prompts: the `AGENTS.md` files from the workspace root down to the
 * edited file's folder, nearest last (it takes precedence), each labelled with its path, within a
 * token budget that drops the farthest files first. File contents are cached by mtime.
 */
import path from 'node:path';
import { fsPromises } from '../builtins.ts';

export interface GuidanceOptions {
  workspaceRoot: string;
  filePath: string;
  maxTokens: number;
  countTokens: (text: string) => number;
}

export interface Guidance {
  /** Empty when there is no guidance or the budget fits none of it. */
  text: string;
  /** Absolute paths of the AGENTS.md files included, farthest first. */
  sources: string[];
}

export const GUIDANCE_FILE = 'AGENTS.md';
const HEADER =
  'Repository guidance from AGENTS.md files. Later sections are closer to the file being edited and take precedence over earlier ones.';

interface Section {
  file: string;
  label: string;
  body: string;
}

const cache = new Map<string, { stamp: string; text: string }>();

async function readCached(file: string): Promise<string | undefined> {
  const { readFile, stat } = fsPromises();
  const info = await stat(file).catch(() => undefined);
  if (info === undefined || !info.isFile()) {
    cache.delete(file);
    return undefined;
  }
  const stamp = `${info.mtimeMs}:${info.size}`;
  const hit = cache.get(file);
  if (hit !== undefined && hit.stamp === stamp) return hit.text;
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text !== undefined) cache.set(file, { stamp, text });
  return text;
}

/** The folders from `root` down to `folder`, or none when `folder` is outside `root`. */
function foldersFromRoot(root: string, folder: string): string[] {
  const relative = path.relative(root, folder);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return [];
  const folders = [root];
  for (const segment of relative.split(path.sep).filter(Boolean))
    folders.push(path.join(folders.at(-1) as string, segment));
  return folders;
}

function render(sections: readonly Section[]): string {
  if (sections.length === 0) return '';
  const parts = sections.map((section) => `<guidance source="${section.label}">\n${section.body}\n</guidance>`);
  return `${HEADER}\n\n${parts.join('\n\n')}`;
}

/** Keeps the longest line prefix of the nearest file's body that fits the budget. */
function truncateToFit(
  section: Section,
  maxTokens: number,
  countTokens: (text: string) => number,
): Section | undefined {
  const lines = section.body.split('\n');
  let low = 0;
  let high = lines.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    const candidate = { ...section, body: lines.slice(0, mid).join('\n') };
    if (countTokens(render([candidate])) <= maxTokens) low = mid;
    else high = mid - 1;
  }
  return low === 0 ? undefined : { ...section, body: lines.slice(0, low).join('\n') };
}

export async function loadGuidance(options: GuidanceOptions): Promise<Guidance> {
  const root = path.resolve(options.workspaceRoot);
  const folder = path.dirname(path.resolve(root, options.filePath));
  const sections: Section[] = [];
  for (const dir of foldersFromRoot(root, folder)) {
    const file = path.join(dir, GUIDANCE_FILE);
    const text = await readCached(file);
    if (text === undefined || text.trim() === '') continue;
    sections.push({ file, label: path.relative(root, file).split(path.sep).join('/'), body: text.trim() });
  }
  // Drop the farthest files first; the nearest one is cut to fit as a last resort.
  while (sections.length > 1 && options.countTokens(render(sections)) > options.maxTokens) sections.shift();
  const [only] = sections;
  if (sections.length === 1 && only !== undefined && options.countTokens(render(sections)) > options.maxTokens) {
    const cut = truncateToFit(only, options.maxTokens, options.countTokens);
    sections.splice(0, 1, ...(cut === undefined ? [] : [cut]));
  }
  return { text: render(sections), sources: sections.map((section) => section.file) };
}
