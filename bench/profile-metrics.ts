/**
 * Turns one replay into the numbers the report shows: requests and their fates, model calls
 * started and aborted, prompt tokens, time to a non-empty answer, ghostline's own overhead on top
 * of the model's time, hit rates, right suggestions shown, model calls per typing pause, peak memory.
 */
import type { ModelCall } from './model.ts';
import type { ReplayRun, ReplayedSegment } from './replay.ts';
import type { RequestRecord } from './session.ts';
import { ratio, round, summarize, type Summary } from './stats.ts';
import { PAUSE_MS } from './typing.ts';

export interface ProfileResult {
  editor: string;
  /** The fake model's answer style (clean unless the style matrix chose another). */
  style: string;
  pattern: string;
  debounceMs: number;
  documents: number;
  keystrokes: number;
  durationS: number | null;
  lspRequests: number;
  answered: number;
  empty: number;
  cancelled: number;
  errors: number;
  modelCalls: number;
  modelCallsAborted: number;
  /** The same two counts as the server saw them (ghostline.stats). */
  serverModelCalls: number;
  serverModelCallsAborted: number;
  promptTokens: { total: number; perCall: Summary };
  /** Request sent to non-empty answer received, ms. */
  latencyMs: Summary;
  /** Ghostline's own time (ms): request→answer minus the model's time and the configured debounce. */
  overheadMs: Summary;
  overheadBySource: Record<string, Summary>;
  /** The model's own time per completed call, ms. */
  modelTimeMs: Summary;
  answersBySource: Record<string, number>;
  cacheHitRate: number | null;
  typedAheadHitRate: number | null;
  superseded: number;
  shown: number;
  correct: number;
  correctRate: number | null;
  pauses: number;
  /** From the last key before a pause to the first suggestion shown for that text, ms. */
  pauseToSuggestionMs: Summary;
  /** Share of typing pauses in which a suggestion was shown. */
  pausesWithSuggestion: number | null;
  callsPerPause: number | null;
  /** Calls that ran to completion (not aborted) per pause. */
  completedCallsPerPause: number | null;
  maxCallsInPause: number;
  pausesWithAtMostOneCall: number | null;
  peakRssMB: number | null;
  finalRssMB: number | null;
  /** Typed characters (indentation the editor inserts excluded) and those a shown, right suggestion offered first. */
  typedChars: number;
  savedChars: number;
  /** savedChars / typedChars: the share of typing a user accepting every right suggestion would save. */
  savedShare: number | null;
  callsPerKeystroke: number | null;
  /** Requests still without an answer when the document closed (must be 0). */
  unanswered: number;
  /** Non-empty suggestions carrying a fence, tag, prose, echo or suffix duplicate, by kind. */
  artifacts: Record<string, number>;
  suggestionsWithArtifacts: number;
  /** Unsaved typed characters by cause (lossBreakdown); empty reasons only with `--explain`. */
  losses: Record<string, number>;
}

const MB = 1024 * 1024;

/** The model call an answered request caused: started after it was sent, for its cursor. */
function callFor(record: RequestRecord, calls: readonly ModelCall[]): ModelCall | undefined {
  return calls.find(
    (call) =>
      call.path === record.path &&
      call.arrivedAt >= record.sentAt &&
      call.arrivedAt <= record.doneAt! &&
      call.endedAt !== undefined &&
      !call.clientClosed &&
      record.prefixTail.endsWith(call.prefixTail),
  );
}

/** True when some model call for the file was streaming while the request waited. */
function callOpenDuring(record: RequestRecord, calls: readonly ModelCall[]): boolean {
  return calls.some(
    (call) =>
      call.path === record.path && call.arrivedAt <= record.doneAt! && (call.endedAt ?? Infinity) >= record.sentAt,
  );
}

/** Overhead samples (ms) per answer source, following the definitions in docs/performance.md. */
export function overheadSamples(
  records: readonly RequestRecord[],
  calls: readonly ModelCall[],
  debounceMs: number,
): Record<string, number[]> {
  const samples: Record<string, number[]> = {};
  const add = (source: string, value: number) => (samples[source] ??= []).push(value);
  for (const record of records) {
    if (record.outcome !== 'ok' || record.doneAt === undefined) continue;
    const total = record.doneAt - record.sentAt;
    // The server skips the debounce in some paths (a typed-ahead join that came to nothing), so
    // it is subtracted only when the wait before the call was at least that long.
    const lessDebounce = (wait: number) => (record.automatic && wait >= debounceMs ? wait - debounceMs : wait);
    if (record.source === 'model') {
      const call = callFor(record, calls);
      if (call) add('model', lessDebounce(call.arrivedAt - record.sentAt) + (record.doneAt - call.endedAt!));
    } else if (record.source === 'cache') {
      add('cache', lessDebounce(total));
    } else if (record.source === 'typed-ahead' && !callOpenDuring(record, calls)) {
      add('typed-ahead', total);
    }
  }
  return samples;
}

/** Model calls that arrived in each typing pause window: from a burst's first key to the next burst's. */
export function callsPerPauseWindow(segment: ReplayedSegment, calls: readonly ModelCall[]): number[] {
  const times = segment.session.keyTimes;
  const starts: number[] = [];
  for (let k = 0; k < times.length; k++) if (k === 0 || times[k]! - times[k - 1]! >= PAUSE_MS) starts.push(times[k]!);
  const path = segment.session.segment.file.path;
  return starts.map((start, w) => {
    const end = starts[w + 1] ?? segment.endedAt;
    return calls.filter((call) => call.path === path && call.arrivedAt >= start && call.arrivedAt < end).length;
  });
}

/** For each pause, the time from its last key to the first suggestion shown for that text (undefined: none). */
export function pauseToSuggestion(segment: ReplayedSegment): (number | undefined)[] {
  const times = segment.session.keyTimes;
  const waits: (number | undefined)[] = [];
  for (let k = 0; k < times.length; k++) {
    const last = k === times.length - 1 || times[k + 1]! - times[k]! >= PAUSE_MS;
    if (!last) continue;
    const shown = segment.session.records
      .filter((r) => r.keyIndex === k + 1 && r.shown && r.doneAt !== undefined)
      .map((r) => r.doneAt! - times[k]!);
    waits.push(shown.length > 0 ? Math.min(...shown) : undefined);
  }
  return waits;
}

/** Offsets in `typed` the typist types (not indentation the editor inserts after Enter or at the start). */
function typedMask(typed: string): boolean[] {
  const mask: boolean[] = [];
  let atLineStart = true;
  for (const char of typed) {
    const indent = atLineStart && (char === ' ' || char === '\t');
    mask.push(!indent);
    if (char === '\n') atLineStart = true;
    else if (!indent) atLineStart = false;
  }
  return mask;
}

/**
 * Characters of a segment that some shown, right suggestion offered before the typist reached
 * them: from the cursor where it was shown to the end of the suggestion.
 */
export function savedChars(segment: ReplayedSegment): { typed: number; saved: number } {
  const { before, typed } = segment.session.segment;
  const mask = typedMask(typed);
  const covered = new Array<boolean>(typed.length).fill(false);
  for (const record of segment.session.records) {
    if (!record.correct || record.shownCursor === undefined || record.suggestion === undefined) continue;
    const from = record.shownCursor - before.length;
    const to = Math.min(typed.length, record.cursor - before.length + record.suggestion.length);
    for (let i = Math.max(0, from); i < to; i++) covered[i] = true;
  }
  let typedCount = 0;
  let saved = 0;
  for (let i = 0; i < typed.length; i++) {
    if (!mask[i]) continue;
    typedCount++;
    if (covered[i]) saved++;
  }
  return { typed: typedCount, saved };
}

export function profileResult(run: ReplayRun, debounceMs: number): ProfileResult {
  const records = run.segments.flatMap((s) => s.session.records);
  const calls = run.calls;
  const ok = records.filter((r) => r.outcome === 'ok');
  const count = (outcome: RequestRecord['outcome']) => records.filter((r) => r.outcome === outcome).length;
  const tokens = calls.flatMap((c) => (c.promptTokens === undefined ? [] : [c.promptTokens]));
  const overhead = overheadSamples(records, calls, debounceMs);
  const windows = run.segments.flatMap((s) => callsPerPauseWindow(s, calls));
  const waits = run.segments.flatMap((s) => pauseToSuggestion(s));
  const answeredWaits = waits.filter((w): w is number => w !== undefined);
  const bySource: Record<string, number> = {};
  for (const r of ok) bySource[r.source ?? 'unknown'] = (bySource[r.source ?? 'unknown'] ?? 0) + 1;
  const shown = records.filter((r) => r.shown).length;
  const correct = records.filter((r) => r.correct).length;
  const stats = run.stats;
  const coverage = run.segments.map(savedChars);
  const typedChars = coverage.reduce((n, c) => n + c.typed, 0);
  const saved = coverage.reduce((n, c) => n + c.saved, 0);
  const keystrokes = run.segments.reduce((n, s) => n + s.keys.length, 0);
  const losses: Record<string, number> = {};
  for (const segment of run.segments)
    for (const [cause, n] of Object.entries(lossBreakdown(segment))) losses[cause] = (losses[cause] ?? 0) + n;
  const artifacts: Record<string, number> = {};
  for (const r of ok) for (const kind of r.artifacts ?? []) artifacts[kind] = (artifacts[kind] ?? 0) + 1;
  return {
    editor: run.editor,
    style: run.style,
    typedChars,
    savedChars: saved,
    savedShare: ratio(saved, typedChars),
    callsPerKeystroke: ratio(calls.length, keystrokes),
    unanswered: count('pending'),
    artifacts,
    suggestionsWithArtifacts: ok.filter((r) => (r.artifacts?.length ?? 0) > 0).length,
    losses,
    pattern: run.description,
    debounceMs,
    documents: run.segments.length,
    keystrokes,
    durationS: round(run.durationMs / 1000, 1),
    lspRequests: records.length,
    answered: ok.length,
    empty: count('empty'),
    cancelled: count('cancelled'),
    errors: count('error'),
    modelCalls: calls.length,
    modelCallsAborted: calls.filter((c) => c.clientClosed).length,
    serverModelCalls: stats.modelCalls ?? 0,
    serverModelCallsAborted: stats.modelCallsAborted ?? 0,
    promptTokens: { total: tokens.reduce((a, b) => a + b, 0), perCall: summarize(tokens, 0) },
    latencyMs: summarize(ok.map((r) => r.doneAt! - r.sentAt)),
    overheadMs: summarize(Object.values(overhead).flat(), 3),
    overheadBySource: Object.fromEntries(
      Object.entries(overhead).map(([source, values]) => [source, summarize(values, 3)]),
    ),
    modelTimeMs: summarize(
      calls.flatMap((c) => (c.endedAt === undefined || c.clientClosed ? [] : [c.endedAt - c.arrivedAt])),
      1,
    ),
    answersBySource: bySource,
    cacheHitRate: ratio(stats.cacheHits ?? 0, stats.requests ?? 0),
    typedAheadHitRate: ratio(stats.typedAheadHits ?? 0, stats.requests ?? 0),
    superseded: stats.superseded ?? 0,
    shown,
    correct,
    correctRate: ratio(correct, shown),
    pauses: windows.length,
    pauseToSuggestionMs: summarize(answeredWaits, 1),
    pausesWithSuggestion: ratio(answeredWaits.length, waits.length),
    callsPerPause: ratio(calls.length, windows.length),
    completedCallsPerPause: ratio(calls.filter((c) => !c.clientClosed).length, windows.length),
    maxCallsInPause: windows.length === 0 ? 0 : Math.max(...windows),
    pausesWithAtMostOneCall: ratio(windows.filter((n) => n <= 1).length, windows.length),
    peakRssMB: round(run.peakRss / MB, 1),
    finalRssMB: round(run.finalRss / MB, 1),
  };
}

/**
 * Why each typed character no right suggestion offered was lost, attributed to the last request
 * sent before the typist typed it (docs/performance.md, "Where coverage is lost"):
 * - `no request`: none since the document opened;
 * - `typo on screen`: the request was made while a typo was on screen;
 * - `typist passed before the answer`: cancelled, answered after the next key (not shown), or
 *   shown only after the typist had typed past this character;
 * - `empty: …`: answered empty, with the server's reason when the replay ran with `explain`;
 * - `wrong suggestion`: shown but not what follows;
 * - `suggestion shorter than the line`: shown and right, but it ended before this character on
 *   the same line;
 * - `new line not served`: shown and right, but it ended at a line end this character lies past,
 *   and no request since then offered the new line in time.
 */
export function lossBreakdown(segment: ReplayedSegment): Record<string, number> {
  const { before, typed } = segment.session.segment;
  const mask = typedMask(typed);
  const records = segment.session.records;
  const covered = new Array<boolean>(typed.length).fill(false);
  for (const record of records) {
    if (!record.correct || record.shownCursor === undefined || record.suggestion === undefined) continue;
    const from = record.shownCursor - before.length;
    const to = Math.min(typed.length, record.cursor - before.length + record.suggestion.length);
    for (let i = Math.max(0, from); i < to; i++) covered[i] = true;
  }
  // The key (index into keys) at which the cursor first went past each typed offset.
  const passedAt = new Array<number>(typed.length).fill(segment.keys.length);
  let cursor = 0;
  segment.keys.forEach((key, k) => {
    cursor = key.kind === 'backspace' ? cursor - 1 : cursor + key.text.length;
    for (let i = 0; i < Math.min(cursor, typed.length); i++) if (passedAt[i] === segment.keys.length) passedAt[i] = k;
  });
  const losses: Record<string, number> = {};
  for (let i = 0; i < typed.length; i++) {
    if (!mask[i] || covered[i]) continue;
    const offset = before.length + i;
    // Records sent before the key that typed this character (keyIndex counts keys already applied).
    let last: RequestRecord | undefined;
    for (const record of records) if (record.keyIndex <= passedAt[i]! && record.cursor <= offset) last = record;
    const cause =
      typed[i] === '\n' && last?.correct && last.cursor + last.suggestion!.length === offset
        ? 'line break after a one-line suggestion'
        : lossCause(last, offset, typed.slice(0, i), before.length);
    losses[cause] = (losses[cause] ?? 0) + 1;
  }
  return losses;
}

function lossCause(record: RequestRecord | undefined, offset: number, typedBefore: string, base: number): string {
  if (!record) return 'no request';
  if (record.realNext === undefined) return 'typo on screen';
  switch (record.outcome) {
    case 'pending':
    case 'error':
      return record.outcome;
    case 'cancelled':
      return 'typist passed before the answer';
    case 'empty':
      return record.serverOutcome === undefined || record.serverOutcome === 'cancelled'
        ? 'empty'
        : record.serverOutcome.startsWith('empty')
          ? record.serverOutcome
          : `empty: ${record.serverOutcome}`;
    default:
  }
  if (!record.shown) return 'typist passed before the answer';
  if (!record.correct) return 'wrong suggestion';
  const end = record.cursor + record.suggestion!.length;
  if (end > offset) return 'typist passed before the answer';
  const between = typedBefore.slice(Math.max(0, record.cursor - base));
  return between.includes('\n') ? 'new line not served' : 'suggestion shorter than the line';
}
