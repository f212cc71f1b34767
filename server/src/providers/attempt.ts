/**
 * What one HTTP attempt of a model call needs and returns, shared by the Responses and Chat
 * Completions streaming code.
 */
import type OpenAI from 'openai';
import type { AttemptDeadline } from './deadline.ts';
import type { ModelRequest, Usage } from './types.ts';

export interface AttemptInput {
  client: OpenAI;
  request: ModelRequest;
  /** Its signal goes to the SDK; its clocks are told about every chunk. */
  deadline: AttemptDeadline;
  /** Receives each text delta of this attempt. */
  emit: (delta: string) => void;
  sendPromptCacheKey: boolean;
  supportsPrediction: boolean;
}

export interface AttemptOutput {
  text: string;
  usage: Usage;
  finishReason: string;
}

export const NO_USAGE: Usage = { inputTokens: 0, outputTokens: 0, cachedTokens: 0 };
