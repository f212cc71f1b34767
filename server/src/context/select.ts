/**
 * Chooses the repository snippets of one prompt within the budgets and orders them so the prompt's
 * prefix stays byte-identical while the user types in one region: snippets kept from the previous
 * prompt of the same document keep their places, new ones are appended after them, and a kept
 * snippet is preferred over a new one of equal need. Pure.
 */

export type SnippetSource = 'definition' | 'similar' | 'edit';

export interface SnippetCandidate {
  /** Identifies the same snippet across keystrokes (path, symbol or window). */
  key: string;
  source: SnippetSource;
  path: string;
  text: string;
  tokens: number;
  /** Needed now (a name on the cursor's line): chosen before anything else of its source. */
  urgent?: boolean;
}

export interface SnippetBudgets {
  total: number;
  definition: number;
  similar: number;
  edit: number;
}

/** Tokens of the `<snippet path="…" kind="…">` frame around each snippet, an allowance. */
export const SNIPPET_FRAME_TOKENS = 14;

/**
 * Picks candidates (each list best first) within each source's budget and the total, then orders
 * them: kept snippets in their previous order, then new ones. Returns the chosen candidates.
 */
export function selectSnippets(
  candidates: Record<SnippetSource, readonly SnippetCandidate[]>,
  budgets: SnippetBudgets,
  previous: readonly string[],
): SnippetCandidate[] {
  const before = new Map(previous.map((key, index) => [key, index]));
  const chosen: SnippetCandidate[] = [];
  let total = 0;
  for (const source of ['definition', 'similar', 'edit'] as const) {
    const list = candidates[source];
    // Urgent first, then those already in the prompt, then the rest, each group best first.
    const ordered = [
      ...list.filter((c) => c.urgent),
      ...list.filter((c) => !c.urgent && before.has(c.key)),
      ...list.filter((c) => !c.urgent && !before.has(c.key)),
    ];
    let used = 0;
    const seen = new Set<string>();
    for (const candidate of ordered) {
      if (seen.has(candidate.key)) continue;
      seen.add(candidate.key);
      const cost = candidate.tokens + SNIPPET_FRAME_TOKENS;
      if (used + cost > budgets[source] || total + cost > budgets.total) continue;
      used += cost;
      total += cost;
      chosen.push(candidate);
    }
  }
  const kept = chosen.filter((c) => before.has(c.key)).sort((a, b) => before.get(a.key)! - before.get(b.key)!);
  const added = chosen.filter((c) => !before.has(c.key));
  return [...kept, ...added];
}
