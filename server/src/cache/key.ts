/**
 * Cache keys: a hash of everything that shapes a model's answer, so two requests share an answer
 * only when the model could not tell them apart.
 */
import { crypto } from '../builtins.ts';

export interface KeyParts {
  templateVersion: string;
  model: string;
  temperature: number;
  maxOutputTokens: number;
  instructions: string;
  input: string;
}

export function cacheKey(parts: KeyParts): string {
  const hash = crypto().createHash('sha256');
  hash.update(`${parts.templateVersion}\0${parts.model}\0${parts.temperature}\0${parts.maxOutputTokens}\0`);
  hash.update(parts.instructions);
  hash.update('\0');
  hash.update(parts.input);
  return hash.digest('base64url');
}
