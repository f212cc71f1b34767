/**
 * Repository context for one completion, from what the indexer prepared: definitions of the names
 * used near the cursor, similar windows of other open files, and recent edits elsewhere, chosen
 * within the `context` budgets and ordered so consecutive prompts in one region share their prefix.
 * Runs on every keystroke: it never reads a file or parses; per-line work is memoized.
 */
import path from 'node:path';
import type { ContextConfig } from '../config/schema.ts';
import { findDefinitions, type DefinitionScope } from '../context/definitions.ts';
import { identifierSet, usesNearEnd, type NameUse } from '../context/identifiers.ts';
import { editText } from '../context/recent-edits.ts';
import { selectSnippets, type SnippetCandidate } from '../context/select.ts';
import { similarWindows, type DocumentWindows } from '../context/similar.ts';
import { countTokens } from '../context/tokens.ts';
import type { ContextRequest, GatheredContext, RepoContext } from '../context/repo-context.ts';
import { NO_CONTEXT } from '../context/repo-context.ts';
import type { OutlineSymbol } from '../context/outline.ts';
import type { IndexedDocument, WorkspaceIndexer } from './indexer.ts';

/**
 * Names are looked up in three bands, in this order of need: the 30 lines before the cursor, the
 * 40 lines after its line, then the lines up to 100 before it (completion's prefix window). The
 * last two do not change while the user types on one line, so their definitions keep the prompt's
 * prefix long and stable (docs/context.md); each band's names are memoized while its text stays.
 */
const USE_LINES = 30;
const USE_LINES_AFTER = 40;
const USE_LINES_FAR = 100;
/** The lines compared for similarity. */
const SIMILARITY_LINES = 20;
/** Similar windows and recent edits offered at most (the budgets usually keep fewer). */
const MAX_SIMILAR = 4;
const MAX_EDITS = 4;

interface Memo<T> {
  key: string;
  value: T;
}

export interface RepoContextOptions {
  indexer: WorkspaceIndexer;
  config: () => ContextConfig;
  root: () => string | undefined;
  documentText: (uri: string) => { text: string; version: number } | undefined;
}

export class WorkspaceContext implements RepoContext {
  private readonly options: RepoContextOptions;
  /** The snippet keys of the previous prompt of each document, in prompt order. */
  private readonly previous = new Map<string, string[]>();
  private readonly similarMemo = new Map<string, Memo<SnippetCandidate[]>>();
  private readonly editMemo = new Map<string, Memo<SnippetCandidate>>();
  /** Names used in the bands after the cursor's line and far before it, per document (`a:`/`f:` + URI). */
  private readonly bandMemo = new Map<string, Memo<NameUse[]>>();
  /** Definition lookups, valid while no outline changes (the indexer's outline epoch). */
  private lookups: {
    epoch: number;
    memo: Map<string, { path: string; symbol: OutlineSymbol } | null>;
    reexports: Map<string, string | undefined>;
  } = { epoch: -1, memo: new Map(), reexports: new Map() };

  constructor(options: RepoContextOptions) {
    this.options = options;
  }

  forget(uri: string): void {
    this.previous.delete(uri);
    this.similarMemo.delete(uri);
    this.bandMemo.delete(`a:${uri}`);
    this.bandMemo.delete(`f:${uri}`);
  }

  gather(request: ContextRequest): GatheredContext {
    const config = this.options.config();
    if (!config.enabled || config.maxTokens === 0) return NO_CONTEXT;
    const indexer = this.options.indexer;
    const doc = indexer.documents.get(request.uri);
    if (doc?.excluded) return NO_CONTEXT;
    indexer.touch(request.uri);
    const offset = Math.min(Math.max(0, request.offset), request.text.length);
    const lineStart = request.text.lastIndexOf('\n', offset - 1) + 1;
    // The other open documents, most recently used first: sorted once per keystroke.
    const others = indexer.others(request.uri);
    const candidates = {
      definition:
        config.definitions.enabled && config.definitions.maxTokens > 0
          ? this.definitions(request, offset, lineStart, others)
          : [],
      similar:
        config.openDocuments.enabled && config.openDocuments.maxTokens > 0
          ? this.similar(request, lineStart, config.openDocuments.maxDocuments, others)
          : [],
      edit: config.recentEdits.enabled && config.recentEdits.maxTokens > 0 ? this.edits(request.uri) : [],
    };
    const chosen = selectSnippets(
      candidates,
      {
        total: config.maxTokens,
        definition: config.definitions.maxTokens,
        similar: config.openDocuments.maxTokens,
        edit: config.recentEdits.maxTokens,
      },
      this.previous.get(request.uri) ?? [],
    );
    this.previous.set(
      request.uri,
      chosen.map((c) => c.key),
    );
    if (chosen.length === 0) return NO_CONTEXT;
    const files = [...new Set(chosen.map((c) => c.path))];
    return {
      snippets: chosen.map((c) => ({ path: c.path, kind: c.source, text: c.text })),
      tokens: chosen.reduce((sum, c) => sum + c.tokens, 0),
      files,
    };
  }

  /** A path as prompts and the audit trail show it: relative to the workspace root when inside it. */
  private shown(file: string): string {
    const root = this.options.root();
    if (root === undefined || !path.isAbsolute(file)) return file;
    const relative = path.relative(root, file);
    return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative.replaceAll('\\', '/');
  }

  /** Names used in `text` (a band of lines), memoized while the band's text stays the same. */
  private bandUses(key: string, text: string, firstUseFirst: boolean): NameUse[] {
    const memo = this.bandMemo.get(key);
    if (memo?.key === text) return memo.value;
    const uses = usesNearEnd(text);
    const value = firstUseFirst ? uses.reverse() : uses;
    this.bandMemo.set(key, { key: text, value });
    return value;
  }

  private definitions(
    request: ContextRequest,
    offset: number,
    lineStart: number,
    others: readonly IndexedDocument[],
  ): SnippetCandidate[] {
    const indexer = this.options.indexer;
    const doc = indexer.documents.get(request.uri);
    let from = lineStart;
    for (let i = 0; i < USE_LINES && from > 0; i++) from = request.text.lastIndexOf('\n', from - 2) + 1;
    const currentLine = usesNearEnd(request.text.slice(lineStart, offset));
    let far = from;
    for (let i = USE_LINES; i < USE_LINES_FAR && far > 0; i++) far = request.text.lastIndexOf('\n', far - 2) + 1;
    let afterStart = request.text.indexOf('\n', offset);
    let afterEnd = afterStart;
    if (afterStart === -1) afterStart = afterEnd = request.text.length;
    else afterStart++;
    for (let i = 0; i < USE_LINES_AFTER && afterEnd !== -1 && afterEnd < request.text.length; i++)
      afterEnd = request.text.indexOf('\n', afterEnd + 1);
    const uses = distinctUses([
      usesNearEnd(request.text.slice(from, offset)),
      // Nearest the cursor first: after its line that is the first use, before it the last.
      this.bandUses(`a:${request.uri}`, request.text.slice(afterStart, afterEnd === -1 ? undefined : afterEnd), true),
      this.bandUses(`f:${request.uri}`, request.text.slice(far, from), false),
    ]);
    const urgent = new Set(currentLine.map((u) => `${u.qualifier ?? ''}.${u.name}`));
    if (this.lookups.epoch !== indexer.outlineEpoch)
      this.lookups = { epoch: indexer.outlineEpoch, memo: new Map(), reexports: new Map() };
    const { memo, reexports } = this.lookups;
    // Each file's outline fetched once per keystroke: the indexer's LRU refresh is not paid per name.
    const outlines = new Map<string, ReturnType<WorkspaceIndexer['outline']>>();
    const scope: DefinitionScope = {
      bindings: doc?.bindings ?? new Map(),
      outline: (file) => {
        if (!outlines.has(file)) outlines.set(file, indexer.outline(file));
        return outlines.get(file);
      },
      resolveReexport: (fromPath, spec) => {
        const key = `${fromPath}\0${spec}`;
        if (!reexports.has(key)) reexports.set(key, indexer.resolver.module(fromPath, spec));
        return reexports.get(key);
      },
      memo,
      unqualified: doc?.unqualified ?? [],
      // Only those with an outline prepared (a few): the others would be looked up for nothing.
      openFiles: others
        .filter((d) => d.languageId === request.languageId && indexer.hasOutline(d.path))
        .map((d) => d.path),
      currentPath: request.path,
    };
    return findDefinitions(uses, scope).map((hit) => {
      const use = uses[hit.rank]!;
      return {
        key: `d:${hit.path}#${hit.symbol.line}:${hit.symbol.name}`,
        source: 'definition' as const,
        path: this.shown(hit.path),
        text: hit.symbol.snippet,
        tokens: hit.symbol.tokens,
        urgent: urgent.has(`${use.qualifier ?? ''}.${use.name}`),
      };
    });
  }

  /** Similar windows for the lines before the cursor's line: the same answer for every keystroke on a line. */
  private similar(
    request: ContextRequest,
    lineStart: number,
    maxDocuments: number,
    others: readonly IndexedDocument[],
  ): SnippetCandidate[] {
    const indexer = this.options.indexer;
    const key = `${lineStart}:${indexer.epoch}:${others.filter((d) => d.scannedVersion === d.version).length}`;
    const memo = this.similarMemo.get(request.uri);
    if (memo?.key === key) return memo.value;
    let from = lineStart;
    for (let i = 0; i < SIMILARITY_LINES && from > 0; i++) from = request.text.lastIndexOf('\n', from - 2) + 1;
    const query = identifierSet(request.text.slice(from, lineStart));
    const texts = new Map<DocumentWindows, string>();
    for (const d of others.slice(0, maxDocuments)) {
      // Only windows of text scanned for secrets as it is now (indexer.ts): never a stale cut.
      if (d.sensitive !== false || d.scannedVersion !== d.version || d.windows === undefined) continue;
      const current = this.options.documentText(d.uri);
      if (current?.version === d.scannedVersion) texts.set(d.windows, current.text);
    }
    const value = similarWindows(query, request.languageId, [...texts.keys()], (w) => texts.get(w))
      .slice(0, MAX_SIMILAR)
      .map((w) => ({
        key: `s:${w.path}:${w.startLine}`,
        source: 'similar' as const,
        path: this.shown(w.path),
        text: w.text,
        tokens: countTokens(w.text),
      }));
    this.similarMemo.set(request.uri, { key, value });
    return value;
  }

  private edits(uri: string): SnippetCandidate[] {
    const out: SnippetCandidate[] = [];
    for (const region of this.options.indexer.recentEdits.recent(uri, MAX_EDITS)) {
      const doc = this.options.indexer.documents.get(region.uri);
      const current = this.options.documentText(region.uri);
      // Only text already scanned for secrets, and none found (indexer.ts).
      if (!doc || doc.excluded || !current || doc.sensitive !== false || doc.scannedVersion !== current.version)
        continue;
      const key = `e:${region.uri}:${region.startLine}-${region.endLine}`;
      const memoKey = `${key}@${current.version}`;
      let memo = this.editMemo.get(key);
      if (memo?.key !== memoKey) {
        const { text } = editText(current.text.split('\n'), region);
        memo = {
          key: memoKey,
          value: { key, source: 'edit', path: this.shown(doc.path), text, tokens: countTokens(text) },
        };
        this.editMemo.set(key, memo);
        if (this.editMemo.size > 64) this.editMemo.delete(this.editMemo.keys().next().value!);
      }
      out.push(memo.value);
    }
    return out;
  }
}

/** The bands' uses in order, each name once (at its first band). */
function distinctUses(bands: readonly (readonly NameUse[])[]): NameUse[] {
  const seen = new Set<string>();
  const out: NameUse[] = [];
  for (const band of bands)
    for (const use of band) {
      const key = `${use.qualifier ?? ''}.${use.name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(use);
    }
  return out;
}
