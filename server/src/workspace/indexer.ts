/**
 * Prepares repository context off the keystroke path. When a document opens, and after its
 * changes settle (a debounce), it indexes the document's windows for similarity, resolves its
 * imports to workspace files, and parses the outlines of those files (read from disk, or from the
 * editor when open), following barrel re-exports. Outlines live in a bounded LRU and are rebuilt
 * when their file changes; excluded, ignored, large and minified files are never read.
 */
import { readFileSync, statSync } from 'node:fs';
import type { ContextConfig } from '../config/schema.ts';
import type { ResolvedBinding } from '../context/definitions.ts';
import { parseImports } from '../context/imports.ts';
import type { Outline } from '../context/outline.ts';
import { RecentEdits } from '../context/recent-edits.ts';
import { indexWindows, type DocumentWindows } from '../context/similar.ts';
import type { Logger } from '../telemetry/logger.ts';
import { MAX_CONTEXT_FILE_BYTES, type ContextExclusion } from './exclusion.ts';
import { parseOutline } from './outline-parser.ts';
import { createRedactor } from '../safety/redact.ts';
import { ImportResolver } from './resolve.ts';
import { languageIdOf } from '../context/languages.ts';

/** Outlines kept at most (LRU). */
export const MAX_OUTLINES = 400;
/** Quiet time after a change before the document is indexed again. */
export const INDEX_DEBOUNCE_MS = 300;
/** Wait after an open, so a burst of opens (an editor restoring a session) indexes only the last ones. */
export const OPEN_DELAY_MS = 50;
/** Re-export hops followed through barrel files. */
const MAX_REEXPORT_DEPTH = 3;

export interface IndexedDocument {
  uri: string;
  path: string;
  languageId: string;
  version: number;
  /** Monotonic use counter: most recently used documents come first. */
  lastUsed: number;
  /** Undefined when the document may not be used for context (excluded) or is too large. */
  windows?: DocumentWindows;
  bindings: Map<string, ResolvedBinding>;
  unqualified: string[];
  excluded: boolean;
  /** The version last indexed; undefined when never indexed or evicted. */
  indexedVersion?: number;
  /** The version whose imported files were last outlined; undefined when never (not yet used). */
  importsVersion?: number;
  /**
   * The version last scanned for secrets, and whether it held any. A document with a secret gives
   * no similar windows or recent edits: redaction of a cut-out window cannot be trusted to see the
   * context a secret is recognised by.
   */
  scannedVersion?: number;
  sensitive?: boolean;
}

export interface IndexerOptions {
  root: () => string | undefined;
  config: () => ContextConfig;
  exclusion: ContextExclusion;
  /** The current text of an open document. */
  documentText: (uri: string) => { text: string; version: number } | undefined;
  logger?: Logger;
}

interface OutlineEntry {
  stamp: string;
  outline: Outline;
}

export class WorkspaceIndexer {
  readonly documents = new Map<string, IndexedDocument>();
  readonly recentEdits = new RecentEdits();
  readonly resolver: ImportResolver;
  private readonly options: IndexerOptions;
  private readonly outlines = new Map<string, OutlineEntry>();
  private readonly openPaths = new Map<string, string>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private clock = 0;
  private queue: Promise<void> = Promise.resolve();
  private pending = 0;
  private readonly idle = new Set<() => void>();
  private readonly redactor = createRedactor({ maxRemembered: 1000 });
  /** Bumped whenever similarity windows change, so cached similarity answers are recomputed. */
  epoch = 0;
  /** Bumped whenever an outline or a document's imports change, so cached lookups are redone. */
  outlineEpoch = 0;

  constructor(options: IndexerOptions) {
    this.options = options;
    this.resolver = new ImportResolver({ root: options.root });
  }

  opened(uri: string, filePath: string, languageId: string, version: number): void {
    this.documents.set(uri, {
      uri,
      path: filePath,
      languageId,
      version,
      lastUsed: ++this.clock,
      bindings: new Map(),
      unqualified: [],
      excluded: false,
    });
    this.openPaths.set(filePath, uri);
    // A new file may be what an import of another document was missing.
    this.resolver.clear();
    this.schedule(uri, OPEN_DELAY_MS);
  }

  /** A change of lines [startLine, endLine] (as they are after it); undefined lines: the whole text. */
  changed(uri: string, version: number, lines: { startLine: number; endLine: number }[]): void {
    const doc = this.documents.get(uri);
    if (!doc) return;
    doc.version = version;
    doc.lastUsed = ++this.clock;
    for (const { startLine, endLine } of lines) this.recentEdits.note(uri, startLine, endLine);
    // A document never indexed keeps its first, earlier turn: typing must not postpone it.
    if (doc.importsVersion === undefined && this.timers.has(uri)) return;
    this.schedule(uri, INDEX_DEBOUNCE_MS);
  }

  closed(uri: string): void {
    const doc = this.documents.get(uri);
    if (!doc) return;
    this.documents.delete(uri);
    this.openPaths.delete(doc.path);
    this.recentEdits.forget(uri);
    clearTimeout(this.timers.get(uri));
    this.timers.delete(uri);
    // Its outline came from the editor's text; the next reader goes back to the disk.
    this.outlines.delete(doc.path);
    this.epoch++;
    this.outlineEpoch++;
  }

  /** Marks a document as used now (a completion asked for it); indexes it soon if it never was. */
  touch(uri: string): void {
    const doc = this.documents.get(uri);
    if (!doc) return;
    doc.lastUsed = ++this.clock;
    if ((doc.indexedVersion === undefined || doc.importsVersion === undefined) && !this.timers.has(uri))
      this.schedule(uri, OPEN_DELAY_MS);
  }

  /** Whether no other document was used more recently: only that one has its imports outlined. */
  private isActive(doc: IndexedDocument): boolean {
    for (const other of this.documents.values()) if (other.lastUsed > doc.lastUsed) return false;
    return true;
  }

  /** Whether the document is among the `maxDocuments` most recently used (only those are indexed). */
  private isRecent(doc: IndexedDocument): boolean {
    const limit = this.options.config().openDocuments.maxDocuments;
    let newer = 0;
    for (const other of this.documents.values()) if (other.lastUsed > doc.lastUsed && ++newer >= limit) return false;
    return true;
  }

  /** Drops the prepared windows of documents that left the most recently used set (bounded memory). */
  private evictOld(): void {
    const limit = this.options.config().openDocuments.maxDocuments;
    const ordered = [...this.documents.values()].sort((a, b) => b.lastUsed - a.lastUsed);
    for (const doc of ordered.slice(limit)) {
      if (doc.windows === undefined) continue;
      doc.windows = undefined;
      doc.indexedVersion = undefined;
      this.epoch++;
    }
  }

  /** Resolves when every scheduled indexing is done (for one-shot commands and tests). */
  whenIdle(): Promise<void> {
    if (this.pending === 0 && this.timers.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.add(resolve));
  }

  /** Indexes a document now, skipping the debounce (one-shot commands). */
  flush(uri: string): Promise<void> {
    clearTimeout(this.timers.get(uri));
    this.timers.delete(uri);
    return this.enqueue(() => this.index(uri));
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  /** The outline of a file when prepared; never reads or parses (the keystroke path calls it). */
  outline(file: string): Outline | undefined {
    const entry = this.outlines.get(file);
    if (!entry) return undefined;
    // Refresh its place in the LRU.
    this.outlines.delete(file);
    this.outlines.set(file, entry);
    return entry.outline;
  }

  /** Open documents other than `uri`, most recently used first. */
  others(uri: string): IndexedDocument[] {
    return [...this.documents.values()]
      .filter((d) => d.uri !== uri && !d.excluded)
      .sort((a, b) => b.lastUsed - a.lastUsed);
  }

  private schedule(uri: string, delayMs: number): void {
    clearTimeout(this.timers.get(uri));
    const timer = setTimeout(() => {
      this.timers.delete(uri);
      void this.enqueue(() => this.index(uri));
    }, delayMs);
    timer.unref?.();
    this.timers.set(uri, timer);
  }

  /** Runs indexing work one job at a time, so a burst of opens never competes with keystrokes in parallel. */
  private enqueue(job: () => Promise<void>): Promise<void> {
    this.pending++;
    const run = this.queue
      .then(job)
      .catch((error: unknown) => this.options.logger?.debug({ err: error }, 'context indexing failed'));
    this.queue = run.finally(() => {
      this.pending--;
      if (this.pending === 0 && this.timers.size === 0) {
        for (const resolve of this.idle) resolve();
        this.idle.clear();
      }
    });
    return this.queue;
  }

  private async index(uri: string): Promise<void> {
    const doc = this.documents.get(uri);
    const current = this.options.documentText(uri);
    if (!doc || !current || !this.isRecent(doc)) return;
    doc.indexedVersion = current.version;
    const exclusion = this.options.exclusion.reason(doc.path);
    doc.excluded = exclusion !== undefined;
    if (doc.excluded || current.text.length > MAX_CONTEXT_FILE_BYTES || current.text.includes('\0')) {
      doc.windows = undefined;
      doc.bindings = new Map();
      this.epoch++;
      return;
    }
    const config = this.options.config();
    doc.sensitive = this.redactor.redact(current.text).count > 0;
    doc.scannedVersion = current.version;
    doc.windows =
      config.enabled && config.openDocuments.enabled && !doc.sensitive
        ? indexWindows(doc.path, doc.languageId, current.text)
        : undefined;
    this.epoch++;
    this.evictOld();
    await this.setOutline(doc.path, doc.languageId, current.text, `open:${current.version}`);
    // Imported files are outlined for the document in use only: a tab opened in the background
    // waits until a completion asks for it (touch), so it never delays the one being typed in.
    if (!config.enabled || !config.definitions.enabled || !this.isActive(doc)) return;
    doc.importsVersion = current.version;
    const { imports } = parseImports(doc.languageId, current.text);
    const bindings = new Map<string, ResolvedBinding>();
    for (const binding of imports) {
      const resolved = this.resolver.binding(doc.path, doc.languageId, binding);
      if (resolved)
        bindings.set(binding.local, {
          paths: resolved.paths.filter((p) => this.options.exclusion.reason(p) === undefined),
          imported: resolved.imported,
        });
    }
    const unqualified = this.resolver
      .unqualified(doc.path, doc.languageId)
      .filter((p) => this.options.exclusion.reason(p) === undefined);
    const files = new Set<string>([...[...bindings.values()].flatMap((b) => b.paths), ...unqualified]);
    for (const file of files) await this.outlineFromDisk(file, doc.languageId, 0);
    doc.bindings = bindings;
    doc.unqualified = unqualified;
    this.outlineEpoch++;
  }

  /** Parses a file (the editor's text when it is open) unless its outline is current; follows re-exports. */
  private async outlineFromDisk(file: string, languageId: string, depth: number): Promise<void> {
    if (this.options.exclusion.reason(file) !== undefined) return;
    const openUri = this.openPaths.get(file);
    let outline: Outline | undefined;
    if (openUri !== undefined) {
      const open = this.options.documentText(openUri);
      if (!open) return;
      outline = await this.setOutline(
        file,
        this.documents.get(openUri)?.languageId ?? languageId,
        open.text,
        `open:${open.version}`,
      );
    } else {
      const stat = statSync(file, { throwIfNoEntry: false });
      if (!stat?.isFile() || stat.size > MAX_CONTEXT_FILE_BYTES) return;
      const stamp = `disk:${stat.mtimeMs}:${stat.size}`;
      const existing = this.outlines.get(file);
      if (existing?.stamp === stamp) outline = existing.outline;
      else {
        let text: string;
        try {
          text = readFileSync(file, 'utf8');
        } catch {
          return;
        }
        if (text.includes('\0')) return;
        outline = await this.setOutline(file, languageOf(file, languageId), text, stamp);
      }
    }
    if (!outline || depth >= MAX_REEXPORT_DEPTH) return;
    for (const reexport of outline.reexports) {
      const target = this.resolver.module(file, reexport.spec);
      if (target && target !== file) await this.outlineFromDisk(target, languageId, depth + 1);
    }
  }

  private async setOutline(file: string, languageId: string, text: string, stamp: string): Promise<Outline> {
    const existing = this.outlines.get(file);
    if (existing?.stamp === stamp) return existing.outline;
    const outline = await parseOutline(file, languageId, text);
    this.outlines.delete(file);
    this.outlines.set(file, { stamp, outline });
    this.outlineEpoch++;
    while (this.outlines.size > MAX_OUTLINES) this.outlines.delete(this.outlines.keys().next().value!);
    // Yield between files, so requests waiting on the event loop go first.
    await new Promise((resolve) => setImmediate(resolve));
    return outline;
  }
}

/** The language of a file read from disk, from its extension (the importer's language otherwise). */
function languageOf(file: string, fallback: string): string {
  const id = languageIdOf(file);
  return id === 'plaintext' ? fallback : id;
}
