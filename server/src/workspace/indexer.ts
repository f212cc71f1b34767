/**
 * Prepares repository context off the keystroke path, in two kinds of work (docs/context.md):
 *
 * - *neighbour work* on a document — a secret scan and its similarity windows, which serve
 *   completions in other files — runs when it opens, after its changes settle (a debounce), or,
 *   for a document a completion used but never prepared, once the user has paused (IDLE_MS
 *   without a keystroke or request); only for the `maxDocuments` most recently used. On a pause
 *   too, the outlines of a few neighbours (NEIGHBOUR_OUTLINES), where unbound names are looked up.
 * - *import work* for the document in use — its imports resolved to workspace files and the
 *   outlines of those files (read from disk, or from the editor when open), following barrel
 *   re-exports — runs on open, change debounce, and soon after the first completion in it.
 *
 * A completion never starts neighbour work: it reads what is prepared. Outlines live in a bounded
 * LRU and are rebuilt when their file changes; an open document that left the recently used set
 * drops its windows and its own outline. Excluded, ignored, large and minified files are never read.
 */
import { readFileSync, statSync } from 'node:fs';
import type { ContextConfig } from '../config/schema.ts';
import type { ResolvedBinding } from '../context/definitions.ts';
import { detach } from '../context/identifiers.ts';
import { parseImports } from '../context/imports.ts';
import type { Outline } from '../context/outline.ts';
import { RecentEdits } from '../context/recent-edits.ts';
import { WindowBuilder, type DocumentWindows } from '../context/similar.ts';
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
/** Quiet time (no keystroke, no request) before documents used but never prepared get neighbour work. */
export const IDLE_MS = 1000;
/** Similarity windows built per turn of the event loop, so a waiting request goes first between turns. */
const WINDOWS_PER_TURN = 50;
/** Other open documents (same language, most recently used) outlined on idle for names used without an import. */
export const NEIGHBOUR_OUTLINES = 4;
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
  /** The version last given neighbour work (secret scan, windows); undefined when never or evicted. */
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
  /** Quiet time before idle work (default IDLE_MS; tests choose another). */
  idleMs?: number;
}

interface OutlineEntry {
  stamp: string;
  outline: Outline;
}

/** What an indexing job does: `full` adds neighbour work to the import work. */
type JobKind = 'full' | 'imports';

/** Work done so far, for tests and the bench: invariants are asserted on these, never on time. */
export interface IndexerCounters {
  /** Neighbour work started on a document (secret scan of the whole text, windows). */
  neighbourJobs: number;
  /** Import work done for a document (imports parsed and resolved, imported files outlined). */
  importJobs: number;
  /** Outlines parsed with tree-sitter, by the stamp's origin. */
  openParses: number;
  diskParses: number;
}

export class WorkspaceIndexer {
  readonly documents = new Map<string, IndexedDocument>();
  readonly recentEdits = new RecentEdits();
  readonly resolver: ImportResolver;
  private readonly options: IndexerOptions;
  private readonly outlines = new Map<string, OutlineEntry>();
  private readonly openPaths = new Map<string, string>();
  /** A pending job per document; its kind may be widened to `full` before it runs. */
  private readonly timers = new Map<string, { timer: NodeJS.Timeout; kind: JobKind }>();
  /** Documents a completion used that never had neighbour work: prepared once the user pauses. */
  private readonly idleQueue = new Set<string>();
  private idleTimer: NodeJS.Timeout | undefined;
  private lastActivity = 0;
  /** Whether documents were used since the neighbours' outlines were last prepared (idle work). */
  private outlinesWanted = false;
  private clock = 0;
  /** The documents, most recently used first: kept in order as they are used, never sorted per keystroke. */
  private order: IndexedDocument[] = [];
  private queue: Promise<void> = Promise.resolve();
  private pending = 0;
  private readonly idle = new Set<() => void>();
  private readonly redactor = createRedactor({ maxRemembered: 1000 });
  /** Bumped whenever similarity windows change, so cached similarity answers are recomputed. */
  epoch = 0;
  /** Bumped whenever an outline or a document's imports change, so cached lookups are redone. */
  outlineEpoch = 0;
  readonly counters: IndexerCounters = { neighbourJobs: 0, importJobs: 0, openParses: 0, diskParses: 0 };

  constructor(options: IndexerOptions) {
    this.options = options;
    this.resolver = new ImportResolver({ root: options.root });
  }

  opened(uri: string, filePath: string, languageId: string, version: number): void {
    const doc: IndexedDocument = {
      uri,
      path: filePath,
      languageId,
      version,
      lastUsed: ++this.clock,
      bindings: new Map(),
      unqualified: [],
      excluded: false,
    };
    const reopened = this.documents.get(uri);
    if (reopened) this.order.splice(this.order.indexOf(reopened), 1);
    this.documents.set(uri, doc);
    this.order.unshift(doc);
    this.openPaths.set(filePath, uri);
    // A new file may be what an import of another document was missing.
    this.resolver.clear();
    this.lastActivity = performance.now();
    if (!this.options.config().enabled) return;
    this.schedule(uri, OPEN_DELAY_MS, 'full');
  }

  /** A change of lines [startLine, endLine] (as they are after it); undefined lines: the whole text. */
  changed(uri: string, version: number, lines: { startLine: number; endLine: number }[]): void {
    const doc = this.documents.get(uri);
    if (!doc) return;
    doc.version = version;
    this.used(doc);
    this.lastActivity = performance.now();
    if (!this.options.config().enabled) return;
    for (const { startLine, endLine } of lines) this.recentEdits.note(uri, startLine, endLine);
    // A document never indexed keeps its first, earlier turn: typing must not postpone it.
    const pending = this.timers.get(uri);
    if (doc.importsVersion === undefined && pending) {
      pending.kind = 'full';
      return;
    }
    this.schedule(uri, INDEX_DEBOUNCE_MS, 'full');
  }

  closed(uri: string): void {
    const doc = this.documents.get(uri);
    if (!doc) return;
    this.documents.delete(uri);
    this.order.splice(this.order.indexOf(doc), 1);
    this.openPaths.delete(doc.path);
    this.recentEdits.forget(uri);
    clearTimeout(this.timers.get(uri)?.timer);
    this.timers.delete(uri);
    this.idleQueue.delete(uri);
    // Its outline came from the editor's text; the next reader goes back to the disk.
    this.outlines.delete(doc.path);
    this.epoch++;
    this.outlineEpoch++;
  }

  /**
   * Marks a document as used now (a completion asked for it). Its imports are prepared soon if
   * they never were; its own neighbour work waits until the user pauses. Nothing here, nor in the
   * job it schedules, reads or parses another open document's whole text.
   */
  touch(uri: string): void {
    const doc = this.documents.get(uri);
    if (!doc) return;
    this.used(doc);
    this.lastActivity = performance.now();
    if (!this.options.config().enabled) return;
    if (doc.importsVersion === undefined && !this.timers.has(uri)) this.schedule(uri, OPEN_DELAY_MS, 'imports');
    if (doc.indexedVersion === undefined && !doc.excluded) this.idleQueue.add(uri);
    this.outlinesWanted = true;
    this.armIdle(this.idleMs);
  }

  /** Marks a document as the most recently used: it moves to the front of the order. */
  private used(doc: IndexedDocument): void {
    doc.lastUsed = ++this.clock;
    if (this.order[0] === doc) return;
    const at = this.order.indexOf(doc);
    if (at > 0) this.order.splice(at, 1);
    this.order.unshift(doc);
  }

  private get idleMs(): number {
    return this.options.idleMs ?? IDLE_MS;
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

  /**
   * Drops the windows and the own outline of documents that left the most recently used set
   * (bounded memory); an outline a recent document imports stays.
   */
  private evictOld(): void {
    const limit = this.options.config().openDocuments.maxDocuments;
    const ordered = [...this.documents.values()].sort((a, b) => b.lastUsed - a.lastUsed);
    const imported = new Set<string>();
    for (const doc of ordered.slice(0, limit)) {
      for (const binding of doc.bindings.values()) for (const p of binding.paths) imported.add(p);
      for (const p of doc.unqualified) imported.add(p);
    }
    for (const doc of ordered.slice(limit)) {
      if (doc.indexedVersion === undefined) continue;
      doc.windows = undefined;
      doc.indexedVersion = undefined;
      this.epoch++;
      if (!imported.has(doc.path) && this.outlines.get(doc.path)?.stamp.startsWith('open:')) {
        this.outlines.delete(doc.path);
        this.outlineEpoch++;
      }
    }
  }

  /** Resolves when every scheduled indexing is done (for one-shot commands and tests). */
  whenIdle(): Promise<void> {
    if (this.pending === 0 && this.timers.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.add(resolve));
  }

  /** Indexes a document now (neighbour and import work), skipping the debounce (one-shot commands). */
  flush(uri: string): Promise<void> {
    clearTimeout(this.timers.get(uri)?.timer);
    this.timers.delete(uri);
    return this.enqueue(async () => {
      await this.index(uri, 'full');
      await this.neighbourOutlines();
    });
  }

  dispose(): void {
    for (const { timer } of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    this.idleQueue.clear();
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

  /** Whether a file's outline is prepared (no LRU refresh: for filtering). */
  hasOutline(file: string): boolean {
    return this.outlines.has(file);
  }

  /** Open documents other than `uri`, most recently used first. */
  others(uri: string): IndexedDocument[] {
    return this.order.filter((d) => d.uri !== uri && !d.excluded);
  }

  private schedule(uri: string, delayMs: number, kind: JobKind): void {
    const pending = this.timers.get(uri);
    clearTimeout(pending?.timer);
    // Neighbour work already scheduled is kept when import work is asked for.
    const entry = { kind: pending?.kind === 'full' ? 'full' : kind, timer: undefined as NodeJS.Timeout | undefined };
    entry.timer = setTimeout(() => {
      this.timers.delete(uri);
      void this.enqueue(() => this.index(uri, entry.kind));
    }, delayMs);
    entry.timer.unref?.();
    this.timers.set(uri, entry as { kind: JobKind; timer: NodeJS.Timeout });
  }

  /** Runs the idle work (the queue, then the neighbours' outlines) once no keystroke or request came for IDLE_MS. */
  private armIdle(delayMs: number): void {
    if (this.idleTimer !== undefined) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      const quiet = performance.now() - this.lastActivity;
      if (quiet < this.idleMs) return this.armIdle(this.idleMs - quiet);
      // The most recently used first; one document per pause check, so a keystroke stops the run.
      const next = [...this.idleQueue]
        .map((uri) => this.documents.get(uri))
        .filter((d): d is IndexedDocument => d !== undefined)
        .sort((a, b) => b.lastUsed - a.lastUsed)[0];
      if (!next) {
        // The queue is done: the neighbours' outlines last, once per pause.
        this.idleQueue.clear();
        if (this.outlinesWanted) {
          this.outlinesWanted = false;
          void this.enqueue(() => this.neighbourOutlines());
        }
        return;
      }
      this.idleQueue.delete(next.uri);
      void this.enqueue(() => this.index(next.uri, 'full')).then(() => this.armIdle(0));
    }, delayMs);
    this.idleTimer.unref?.();
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

  private async index(uri: string, kind: JobKind): Promise<void> {
    const doc = this.documents.get(uri);
    const current = this.options.documentText(uri);
    const config = this.options.config();
    if (!doc || !current || !config.enabled || !this.isRecent(doc)) return;
    const exclusion = this.options.exclusion.reason(doc.path);
    doc.excluded = exclusion !== undefined;
    if (doc.excluded || current.text.length > MAX_CONTEXT_FILE_BYTES || current.text.includes('\0')) {
      doc.indexedVersion = current.version;
      doc.windows = undefined;
      doc.bindings = new Map();
      this.epoch++;
      return;
    }
    // The import work first: it serves the completions in this document, the neighbour work others.
    if (config.definitions.enabled && this.isActive(doc)) await this.importWork(doc, current);
    if (kind === 'full') await this.neighbourWork(doc, current, config);
  }

  /**
   * The document's imports resolved and the files they name outlined. Only for the document in
   * use: a tab opened in the background waits until a completion asks for it (touch), so it never
   * delays the one being typed in. Each outline is usable as soon as it is parsed.
   */
  private async importWork(doc: IndexedDocument, current: { text: string; version: number }): Promise<void> {
    this.counters.importJobs++;
    doc.importsVersion = current.version;
    const { imports } = parseImports(doc.languageId, current.text);
    const bindings = new Map<string, ResolvedBinding>();
    for (const binding of imports) {
      const resolved = this.resolver.binding(doc.path, doc.languageId, binding);
      if (resolved)
        // Copies of the names: the bindings outlive this version of the text.
        bindings.set(detach(binding.local), {
          paths: resolved.paths.filter((p) => this.options.exclusion.reason(p) === undefined),
          imported: detach(resolved.imported),
        });
    }
    const unqualified = this.resolver
      .unqualified(doc.path, doc.languageId)
      .filter((p) => this.options.exclusion.reason(p) === undefined);
    doc.bindings = bindings;
    doc.unqualified = unqualified;
    this.outlineEpoch++;
    const files = new Set<string>([...[...bindings.values()].flatMap((b) => b.paths), ...unqualified]);
    for (const file of files) await this.outlineFromDisk(file, doc.languageId, 0);
  }

  /**
   * The secret scan and the similarity windows (built a few dozen per turn), for completions in
   * other files. They are set together at the end, so a reader never pairs windows of one version
   * with the scan of another. False when the document changed meanwhile (a newer job follows).
   */
  private async neighbourWork(
    doc: IndexedDocument,
    current: { text: string; version: number },
    config: ContextConfig,
  ): Promise<boolean> {
    this.counters.neighbourJobs++;
    this.idleQueue.delete(doc.uri);
    doc.indexedVersion = current.version;
    const sensitive = this.redactor.redact(current.text).count > 0;
    const stillCurrent = () => this.options.documentText(doc.uri)?.version === current.version;
    let windows: DocumentWindows | undefined;
    if (config.openDocuments.enabled && !sensitive) {
      await nextTurn();
      if (!stillCurrent()) return false;
      windows = await indexWindowsInTurns(doc.path, doc.languageId, current.text);
      if (!stillCurrent() || this.documents.get(doc.uri) !== doc) return false;
    }
    doc.sensitive = sensitive;
    doc.scannedVersion = current.version;
    doc.windows = windows;
    this.epoch++;
    this.evictOld();
    return true;
  }

  /**
   * Outlines of the few most recently used other open documents in the active document's
   * language, where a name used without an import is looked up last (definitions.ts). Runs on
   * idle and in one-shot commands only: tree-sitter is loaded and a whole text parsed for these.
   */
  private async neighbourOutlines(): Promise<void> {
    const config = this.options.config();
    if (!config.enabled || !config.definitions.enabled) return;
    const active = [...this.documents.values()].sort((a, b) => b.lastUsed - a.lastUsed)[0];
    if (!active) return;
    for (const other of this.others(active.uri)
      .filter((d) => d.languageId === active.languageId)
      .slice(0, NEIGHBOUR_OUTLINES)) {
      if (this.options.exclusion.reason(other.path) !== undefined) continue;
      const current = this.options.documentText(other.uri);
      if (!current || current.text.length > MAX_CONTEXT_FILE_BYTES || current.text.includes('\0')) continue;
      await this.setOutline(other.path, other.languageId, current.text, `open:${current.version}`);
    }
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
    if (stamp.startsWith('open:')) this.counters.openParses++;
    else this.counters.diskParses++;
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

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** indexWindows, yielding to the event loop every WINDOWS_PER_TURN windows. */
async function indexWindowsInTurns(path: string, languageId: string, text: string): Promise<DocumentWindows> {
  const builder = new WindowBuilder(path, languageId, text);
  while (!builder.step(WINDOWS_PER_TURN)) await nextTurn();
  return builder.done();
}

/** The language of a file read from disk, from its extension (the importer's language otherwise). */
function languageOf(file: string, fallback: string): string {
  const id = languageIdOf(file);
  return id === 'plaintext' ? fallback : id;
}
