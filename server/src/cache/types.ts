/**
 * The contract of an answer cache tier. The memory tier answers synchronously; shared tiers
 * (Redis) are asynchronous and must answer within their own deadline or report a miss.
 */

/** What is cached for a prompt: the post-processed-independent raw model text and its cost. */
export interface CachedAnswer {
  text: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
  cachedTokens: number;
  /** When it was computed (ms since epoch). */
  createdAt: number;
}

export interface CacheStore {
  readonly name: string;
  get(key: string): Promise<CachedAnswer | undefined>;
  set(key: string, value: CachedAnswer, ttlSeconds: number): Promise<void>;
}
