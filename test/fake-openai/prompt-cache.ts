/**
 * OpenAI's automatic prompt caching, as the fake model server reports it: a prompt shares the
 * longest token prefix it has with a prompt the same model saw recently under the same
 * `prompt_cache_key`; at least 1,024 tokens must match, and the cached count is that match rounded
 * down to a multiple of 128 tokens. Tokens are o200k, the tokenizer of the models served.
 */
import { encode } from 'gpt-tokenizer/encoding/o200k_base';

export const MIN_CACHED_TOKENS = 1024;
export const CACHE_STEP_TOKENS = 128;
/** Prompts remembered per model and cache key (OpenAI keeps prefixes for minutes; a session's recent prompts suffice). */
const REMEMBERED = 64;

const PLAIN = { disallowedSpecial: new Set<string>() };

/** The prompt text in the order the model reads it, for either wire format. */
export function promptText(body: any): string {
  const parts: string[] = [];
  const push = (value: unknown) => {
    if (typeof value === 'string') parts.push(value);
    else if (Array.isArray(value))
      for (const item of value)
        push(typeof item === 'object' && item !== null ? ((item as any).content ?? (item as any).text) : item);
  };
  if (Array.isArray(body?.messages)) for (const message of body.messages) push(message?.content);
  else {
    push(body?.instructions);
    push(body?.input);
  }
  return parts.join('\n');
}

export interface PromptUsage {
  input: number;
  cached: number;
}

export class PromptCache {
  private readonly seen = new Map<string, number[][]>();

  /** The usage of a request's prompt (input and cached tokens), remembering the prompt for later ones. */
  usage(body: any): PromptUsage {
    const tokens = encode(breakLongRuns(promptText(body)), PLAIN);
    const key = `${String(body?.model)}\u0000${String(body?.prompt_cache_key ?? '')}`;
    const recent = this.seen.get(key) ?? [];
    let longest = 0;
    for (const earlier of recent) longest = Math.max(longest, sharedPrefix(earlier, tokens));
    // The last token is never served from the cache (the model must read at least one new token).
    longest = Math.min(longest, tokens.length - 1);
    const cached = longest >= MIN_CACHED_TOKENS ? Math.floor(longest / CACHE_STEP_TOKENS) * CACHE_STEP_TOKENS : 0;
    recent.push(tokens);
    if (recent.length > REMEMBERED) recent.shift();
    this.seen.set(key, recent);
    return { input: tokens.length, cached };
  }

  clear(): void {
    this.seen.clear();
  }
}

/**
 * BPE merging is quadratic in a long run without spaces (a base64 blob); such runs are tokenized in
 * 64-character pieces. Counts move by a few tokens there, the same way for every prompt.
 */
function breakLongRuns(text: string): string {
  return /\S{1000}/.test(text) ? text.replace(/\S{1000,}/g, (run) => run.replace(/(\S{64})/g, '$1 ')) : text;
}

function sharedPrefix(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}
