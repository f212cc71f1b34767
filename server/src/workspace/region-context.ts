/**
 * Repository context for code actions: the definitions (from other files) of the names a region
 * uses, found through the file's imports, barrel re-exports, a Go package's other files and the
 * other open documents — completion's lookup (context/definitions.ts) — and, for test generation
 * into a file that does not exist yet, the head of a neighbouring test file. An action is not on
 * the keystroke path, so files are read and parsed here on demand; excluded, ignored, large and
 * minified files are never read. Snippets are written in a stable order (path, then line).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { findDefinitions, type DefinitionScope, type ResolvedBinding } from '../context/definitions.ts';
import { usesNearEnd } from '../context/identifiers.ts';
import { parseImports } from '../context/imports.ts';
import { languageIdOf } from '../context/languages.ts';
import type { Outline } from '../context/outline.ts';
import type { PromptSnippet } from '../context/prompt.ts';
import {
  NO_CONTEXT,
  type GatheredContext,
  type RegionContext,
  type RegionContextRequest,
} from '../context/repo-context.ts';
import { SNIPPET_FRAME_TOKENS } from '../context/select.ts';
import { countTokens, firstTokens } from '../context/tokens.ts';
import { createRedactor } from '../safety/redact.ts';
import type { Logger } from '../telemetry/logger.ts';
import { MAX_CONTEXT_FILE_BYTES, type ContextExclusion } from './exclusion.ts';
import { parseOutline } from './outline-parser.ts';
import { ImportResolver } from './resolve.ts';

/** Outlines kept between actions (LRU), re-parsed when their file changes. */
const MAX_OUTLINES = 64;
/** Re-export hops followed through barrel files. */
const MAX_REEXPORT_DEPTH = 3;
/** Names of the region looked up at most, and open documents searched for an unimported name. */
const MAX_USES = 200;
const MAX_OPEN_FILES = 20;
/** The head of a neighbouring test file shown at most (lines). */
const EXAMPLE_TEST_LINES = 60;
/** Neighbouring test files read at most to find one without a secret. */
const EXAMPLE_TRIES = 3;

export interface RegionContextOptions {
  root: () => string | undefined;
  exclusion: ContextExclusion;
  /** The open documents other than `uri`, most recently used first (the indexer knows them). */
  openDocuments: (uri: string) => readonly { uri: string; path: string; languageId: string }[];
  /** The current text of an open document. */
  documentText: (uri: string) => { text: string; version: number } | undefined;
  logger?: Logger;
}

interface Candidate extends PromptSnippet {
  line: number;
  tokens: number;
}

export class WorkspaceRegionContext implements RegionContext {
  private readonly options: RegionContextOptions;
  private readonly resolver: ImportResolver;
  private readonly outlines = new Map<string, { stamp: string; outline: Outline }>();
  private readonly redactor = createRedactor({ maxRemembered: 100 });

  constructor(options: RegionContextOptions) {
    this.options = options;
    this.resolver = new ImportResolver({ root: options.root });
  }

  async gather(request: RegionContextRequest): Promise<GatheredContext> {
    if (request.maxTokens <= 0 || this.options.exclusion.reason(request.path) !== undefined) return NO_CONTEXT;
    // Files may have appeared since the last action.
    this.resolver.clear();
    const chosen: Candidate[] = [];
    let used = 0;
    const take = (candidate: Candidate) => {
      const cost = candidate.tokens + SNIPPET_FRAME_TOKENS;
      if (used + cost > request.maxTokens) return;
      used += cost;
      chosen.push(candidate);
    };
    const example = request.testPath !== undefined ? this.exampleTest(request) : undefined;
    for (const candidate of await this.definitions(request)) take(candidate);
    if (example) {
      // What the definitions left, for the example test: its head cut to fit.
      const room = request.maxTokens - used - SNIPPET_FRAME_TOKENS;
      const head = room > 0 ? firstTokens(example.text, room) : undefined;
      if (head && head.tokens > 0) take({ ...example, text: head.text, tokens: head.tokens });
    }
    if (chosen.length === 0) return NO_CONTEXT;
    // A stable order, whatever the names' order in the region: the same files give the same bytes.
    chosen.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line));
    return {
      snippets: chosen.map(({ path: file, kind, text }) => ({ path: file, kind, text })),
      tokens: chosen.reduce((sum, c) => sum + c.tokens, 0),
      files: [...new Set(chosen.map((c) => c.path))],
    };
  }

  /** Definitions of the names the region uses, in the order the region first uses them. */
  private async definitions(request: RegionContextRequest): Promise<Candidate[]> {
    const { exclusion } = this.options;
    const region = request.text.slice(request.start, request.end);
    // usesNearEnd lists the last use first; a region reads top-down, so its first uses come first.
    const uses = usesNearEnd(region, MAX_USES).reverse();
    if (uses.length === 0) return [];
    const allowed = (file: string) => exclusion.reason(file) === undefined;
    const bindings = new Map<string, ResolvedBinding>();
    for (const binding of parseImports(request.languageId, request.text).imports) {
      const resolved = this.resolver.binding(request.path, request.languageId, binding);
      if (resolved) bindings.set(binding.local, { paths: resolved.paths.filter(allowed), imported: resolved.imported });
    }
    const unqualified = this.resolver.unqualified(request.path, request.languageId).filter(allowed);
    const openFiles = this.options
      .openDocuments(request.uri)
      .filter((d) => d.languageId === request.languageId && allowed(d.path))
      .slice(0, MAX_OPEN_FILES);
    const openUris = new Map(this.options.openDocuments(request.uri).map((d) => [d.path, d.uri]));
    const prepared = new Map<string, Outline>();
    const files = new Set([...[...bindings.values()].flatMap((b) => b.paths), ...unqualified]);
    for (const file of files) await this.prepare(file, request.languageId, openUris, prepared, 0);
    for (const doc of openFiles) await this.prepare(doc.path, doc.languageId, openUris, prepared, MAX_REEXPORT_DEPTH);
    const scope: DefinitionScope = {
      bindings,
      outline: (file) => prepared.get(file),
      resolveReexport: (from, spec) => this.resolver.module(from, spec),
      unqualified,
      openFiles: openFiles.map((d) => d.path),
      currentPath: request.path,
    };
    return findDefinitions(uses, scope).map((hit) => ({
      path: this.shown(hit.path),
      kind: 'definition',
      text: hit.symbol.snippet,
      tokens: hit.symbol.tokens,
      line: hit.symbol.line,
    }));
  }

  /** Outlines a file (the editor's text when open) into `prepared`, following re-exports. */
  private async prepare(
    file: string,
    languageId: string,
    openUris: ReadonlyMap<string, string>,
    prepared: Map<string, Outline>,
    depth: number,
  ): Promise<void> {
    if (prepared.has(file) || this.options.exclusion.reason(file) !== undefined) return;
    const outline = await this.outline(file, languageId, openUris.get(file));
    if (!outline) return;
    prepared.set(file, outline);
    if (depth >= MAX_REEXPORT_DEPTH) return;
    for (const reexport of outline.reexports) {
      const target = this.resolver.module(file, reexport.spec);
      if (target && target !== file) await this.prepare(target, languageId, openUris, prepared, depth + 1);
    }
  }

  private async outline(file: string, languageId: string, openUri: string | undefined): Promise<Outline | undefined> {
    let stamp: string;
    let read: () => string | undefined;
    const open = openUri !== undefined ? this.options.documentText(openUri) : undefined;
    if (open) {
      stamp = `open:${open.version}:${open.text.length}`;
      read = () => open.text;
    } else {
      const stat = statSync(file, { throwIfNoEntry: false });
      if (!stat?.isFile() || stat.size > MAX_CONTEXT_FILE_BYTES) return undefined;
      stamp = `disk:${stat.mtimeMs}:${stat.size}`;
      read = () => {
        try {
          return readFileSync(file, 'utf8');
        } catch {
          return undefined;
        }
      };
    }
    const known = this.outlines.get(file);
    if (known?.stamp === stamp) {
      this.outlines.delete(file);
      this.outlines.set(file, known);
      return known.outline;
    }
    const text = read();
    if (text === undefined || text.length > MAX_CONTEXT_FILE_BYTES || text.includes('\0')) return undefined;
    const id = languageIdOf(file);
    const outline = await parseOutline(file, id === 'plaintext' ? languageId : id, text);
    this.outlines.delete(file);
    this.outlines.set(file, { stamp, outline });
    while (this.outlines.size > MAX_OUTLINES) this.outlines.delete(this.outlines.keys().next().value!);
    return outline;
  }

  /**
   * The head of the most recently changed test file beside the planned one, when the planned one
   * does not exist yet (an existing one is already in the action's prompt).
   */
  private exampleTest(request: RegionContextRequest): Candidate | undefined {
    const testPath = request.testPath!;
    if (statSync(testPath, { throwIfNoEntry: false }) !== undefined) return undefined;
    const dir = path.dirname(testPath);
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return undefined;
    }
    const pattern = testFilePattern(path.basename(testPath));
    if (!pattern) return undefined;
    const found: { file: string; mtime: number }[] = [];
    for (const name of names) {
      if (!pattern.test(name)) continue;
      const file = path.join(dir, name);
      if (file === request.path || this.options.exclusion.reason(file) !== undefined) continue;
      const stat = statSync(file, { throwIfNoEntry: false });
      if (stat?.isFile() && stat.size <= MAX_CONTEXT_FILE_BYTES) found.push({ file, mtime: stat.mtimeMs });
    }
    // The most recently changed first; a few are tried at most.
    found.sort((a, b) => b.mtime - a.mtime || (a.file < b.file ? -1 : 1));
    for (const { file } of found.slice(0, EXAMPLE_TRIES)) {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        continue;
      }
      // A file with a secret is not cut for an example: redaction of a cut-out head cannot be
      // trusted to see the context a secret is recognised by (as for completion's similar windows).
      if (text.includes('\0') || this.redactor.redact(text).count > 0) continue;
      const head = text.split('\n').slice(0, EXAMPLE_TEST_LINES).join('\n').trimEnd();
      return { path: this.shown(file), kind: 'example-test', text: head, tokens: countTokens(head), line: 0 };
    }
    return undefined;
  }

  /** A path as prompts and the audit trail show it: relative to the workspace root when inside it. */
  private shown(file: string): string {
    const root = this.options.root();
    if (root === undefined || !path.isAbsolute(file)) return file;
    const relative = path.relative(root, file);
    return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative.replaceAll('\\', '/');
  }
}

/** Names of other test files of the planned one's convention (`x.test.ts` → `*.test.ts`). */
export function testFilePattern(name: string): RegExp | undefined {
  const literal = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  let match = /^.+(\.(?:test|spec)\.[\w]+)$/.exec(name);
  if (match) return new RegExp(`^.+${literal(match[1]!)}$`);
  match = /^test_.+(\.py)$/.exec(name);
  if (match) return /^test_.+\.py$/;
  match = /^.+(_test\.go)$/.exec(name);
  if (match) return /^.+_test\.go$/;
  match = /^.+(Test\.java)$/.exec(name);
  if (match) return /^.+Test\.java$/;
  return undefined;
}
