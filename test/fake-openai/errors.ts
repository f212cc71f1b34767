/**
 * HTTP error bodies in OpenAI's shape, `{error: {message, type, param, code}}`, with the defaults
 * the live API uses for each status so a script only states what a test cares about.
 */
import type { Script } from './types.ts';

type ErrorScript = Extract<Script, { kind: 'error' }>;

interface ErrorDefaults {
  type: string;
  code: string | null;
  message: string;
}

function defaultsFor(status: number, code: string | null | undefined): ErrorDefaults {
  if (code === 'insufficient_quota') {
    return {
      type: 'insufficient_quota',
      code,
      message: 'You exceeded your current quota, please check your plan and billing details.',
    };
  }
  if (code === 'context_length_exceeded') {
    return {
      type: 'invalid_request_error',
      code,
      message:
        "This model's maximum context length is 128000 tokens. However, your messages resulted in 131072 tokens.",
    };
  }
  if (status === 429) {
    return {
      type: 'requests',
      code: 'rate_limit_exceeded',
      message:
        'Rate limit reached for gpt-4.1-mini in organization org-fake on requests per min (RPM): Limit 3, Used 3, Requested 1.',
    };
  }
  if (status === 401)
    return { type: 'invalid_request_error', code: 'invalid_api_key', message: 'Incorrect API key provided.' };
  if (status === 403)
    return {
      type: 'invalid_request_error',
      code: 'unsupported_country_region_territory',
      message: 'Country, region, or territory not supported.',
    };
  if (status === 404)
    return {
      type: 'invalid_request_error',
      code: 'model_not_found',
      message: 'The model does not exist or you do not have access to it.',
    };
  if (status >= 500) {
    return {
      type: 'server_error',
      code: null,
      message: 'The server had an error while processing your request. Sorry about that!',
    };
  }
  return { type: 'invalid_request_error', code: null, message: 'Invalid request.' };
}

/** The status and JSON body of an 'error' script. */
export function errorBody(script: ErrorScript): { status: number; body: unknown } {
  const defaults = defaultsFor(script.status, script.code);
  return {
    status: script.status,
    body: {
      error: {
        message: script.message ?? defaults.message,
        type: script.type ?? defaults.type,
        param: null,
        code: script.code === undefined ? defaults.code : script.code,
      },
    },
  };
}
