import { describe, expect, it } from 'vitest';
import { environmentLayer, clientLayer } from '../../../server/src/config/sources.ts';
import { ConfigStore, deepMerge, formatProblems } from '../../../server/src/config/store.ts';
import { checkPolicy } from '../../../server/src/router/policy.ts';

describe('config layers', () => {
  it('maps well-known and generic environment variables onto settings', () => {
    const layer = environmentLayer({
      OPENAI_API_KEY: 'sk-x',
      OPENAI_BASE_URL: 'http://127.0.0.1:1/v1',
      GHOSTLINE_COMPLETION__DEBOUNCE_MS: '120',
      GHOSTLINE_CACHE__ENABLED: 'false',
      GHOSTLINE_NOPE__X: '1',
      REDIS_URL: 'redis://h:1',
    });
    expect(layer.value).toEqual({
      providers: { openai: { apiKey: 'sk-x', baseUrl: 'http://127.0.0.1:1/v1' } },
      completion: { debounceMs: 120 },
      cache: { enabled: false, redisUrl: 'redis://h:1' },
    });
  });

  it('accepts client settings bare or under a ghostline key', () => {
    expect(clientLayer('init', { ghostline: { completion: { maxLines: 3 } } })?.value).toEqual({
      completion: { maxLines: 3 },
    });
    expect(clientLayer('init', { completion: { maxLines: 3 } })?.value).toEqual({ completion: { maxLines: 3 } });
    expect(clientLayer('init', null)).toBeUndefined();
    expect(clientLayer('init', {})).toBeUndefined();
  });

  it('reads an editor\'s null as "not set" (VS Code pushes null for every setting left alone)', () => {
    const pushed = {
      ghostline: {
        cache: { redisUrl: null, enabled: true },
        budget: { user: null },
        log: { file: null, level: 'warn' },
      },
    };
    expect(clientLayer('workspace/configuration', pushed)?.value).toEqual({
      cache: { enabled: true },
      budget: {},
      log: { level: 'warn' },
    });
    expect(new ConfigStore(checkPolicy).load([clientLayer('workspace/configuration', pushed)!])).toEqual([]);
    expect(clientLayer('workspace/configuration', { ghostline: { cache: { redisUrl: null } } })?.value).toEqual({
      cache: {},
    });
  });

  it('keeps a pushed `__proto__` key as a key, so it is refused by name, not turned into a prototype', () => {
    const pushed = JSON.parse('{"ghostline": {"__proto__": {"completion": {"maxLines": 3}}, "log": {"file": null}}}');
    const value = clientLayer('initializationOptions', pushed)?.value as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(['__proto__', 'log']);
    const problems = new ConfigStore(checkPolicy).load([clientLayer('initializationOptions', pushed)!]);
    expect(problems.map((p) => p.message).join('\n')).toMatch(/prototype key "__proto__"/);
  });

  it('merges objects key by key and replaces arrays', () => {
    expect(deepMerge({ a: { b: 1, c: [1, 2] } }, { a: { c: [3] } })).toEqual({ a: { b: 1, c: [3] } });
  });
});

describe('ConfigStore', () => {
  const store = () => new ConfigStore(checkPolicy);

  it('applies valid layers in order', () => {
    const s = store();
    const problems = s.load([
      { source: 'environment', value: { completion: { debounceMs: 10 } } },
      { source: 'team', value: { completion: { debounceMs: 20, maxLines: 4 } } },
    ]);
    expect(problems).toEqual([]);
    expect(s.config.completion.debounceMs).toBe(20);
    expect(s.config.completion.maxLines).toBe(4);
  });

  it('skips an invalid layer, names key, value and what is allowed, and keeps the last valid config', () => {
    const s = store();
    s.load([{ source: 'team', value: { completion: { debounceMs: 40 } } }]);
    const problems = s.apply({
      source: 'workspace/configuration',
      value: { completion: { debounceMs: 'fast', maxLines: 2 } },
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ severity: 'error', path: 'completion.debounceMs' });
    expect(problems[0]!.message).toContain('completion.debounceMs = "fast"');
    expect(problems[0]!.message).toMatch(/expected number/);
    expect(s.config.completion.debounceMs).toBe(40);
    expect(s.config.completion.maxLines).toBe(12);
    expect(formatProblems(problems)).toMatch(/previous valid configuration stays in force/);
  });

  it('drops unknown keys with a warning instead of rejecting the layer', () => {
    const s = store();
    const problems = s.load([{ source: 'init', value: { completion: { debounceMs: 5, debounce: 9 } } }]);
    expect(problems).toEqual([expect.objectContaining({ severity: 'warning', path: 'completion.debounce' })]);
    expect(s.config.completion.debounceMs).toBe(5);
  });

  it('refuses models and temperatures outside SSOT.md, and names the Codex replacement', () => {
    const s = store();
    const problems = s.load([
      {
        source: 'team',
        value: { router: { tasks: { completion: { model: 'code-davinci-002' }, explain: { temperature: 0.9 } } } },
      },
    ]);
    const text = problems.map((p) => p.message).join('\n');
    expect(text).toMatch(/code-davinci-002.*retired.*gpt-4.1-mini/);
    expect(text).toMatch(/explain.temperature = 0.9: outside the approved range 0–0.7/);
    expect(s.config.router.tasks.completion).toBeUndefined();
  });

  it('allows a model the team declared under models', () => {
    const s = store();
    const problems = s.load([
      {
        source: 'team',
        value: {
          models: { 'qwen2.5-coder': { contextWindow: 32768 } },
          router: { tasks: { completion: { model: 'qwen2.5-coder' } } },
        },
      },
    ]);
    expect(problems).toEqual([]);
    expect(s.config.router.tasks.completion?.model).toBe('qwen2.5-coder');
  });

  it('never echoes an API key in a problem message', () => {
    const s = store();
    const problems = s.load([{ source: 'init', value: { providers: { openai: { apiKey: '' } } } }]);
    expect(problems[0]!.message).not.toContain('sk-');
    expect(problems[0]!.message).toContain('[redacted]');
  });

  const KEY = 'sk-proj-Zq3x9Lr7Vt2Nw8Kp4Hs6Jd1Fg5Ya0Bc7Xe3Mu9Wo2Ri8Tn4Qv6Pz1Sl5Dk';
  const keyFragments = (text: string) =>
    [KEY.slice(0, 12), KEY.slice(8, 20), KEY.slice(-12)].filter((part) => text.includes(part));

  it.each([
    ['at the root', '{"__proto__": {"completion": {"maxLines": 3}}}', '__proto__'],
    ['nested', '{"completion": {"__proto__": {"x": 1}}}', 'completion.__proto__'],
    ['as constructor', '{"cache": {"constructor": {"prototype": {"x": 1}}}}', 'cache.constructor'],
  ])('refuses a prototype key %s by name and never quotes the merged settings', (_name, json, path) => {
    const s = store();
    const problems = s.load([
      { source: 'environment', value: { providers: { openai: { apiKey: KEY } } } },
      { source: '.ghostline.json', value: JSON.parse(json) as Record<string, unknown> },
    ]);
    expect(problems).toEqual([expect.objectContaining({ severity: 'error', source: '.ghostline.json', path })]);
    const text = formatProblems(problems);
    expect(text).toContain('prototype key');
    expect(keyFragments(text)).toEqual([]);
    expect(text).not.toContain('providers');
    expect(s.config.providers.openai?.apiKey).toBe(KEY);
    expect(s.config.completion.maxLines).toBe(12);
    expect(Object.getPrototypeOf(s.config)).toBe(Object.prototype);
  });

  it('describes objects, arrays and credential-looking strings by shape, never by content', () => {
    const s = store();
    const problems = s.load([
      {
        source: 'team',
        value: {
          completion: [KEY],
          cache: { team: { secret: KEY } },
          log: { level: KEY },
          providers: { openai: { headers: { Authorization: 5 } } },
        },
      },
    ]);
    const text = formatProblems(problems);
    expect(text).toMatch(/completion = an array of 1/);
    expect(text).toMatch(/cache.team = an object/);
    expect(text).toMatch(/log.level = a 66-character string \(not shown\)/);
    expect(text).toMatch(/providers.openai.headers.Authorization = \[redacted\]/);
    expect(keyFragments(text)).toEqual([]);
  });

  it('drops one bad environment variable, names it, and keeps the others (OPENAI_API_KEY, OPENAI_BASE_URL)', () => {
    const s = store();
    const problems = s.load([
      environmentLayer({
        OPENAI_API_KEY: KEY,
        OPENAI_BASE_URL: 'http://127.0.0.1:9/v1',
        GHOSTLINE_COMPLETION__DEBOUNCE_MS: 'fast',
        GHOSTLINE_COMPLETION__MAX_LINES: '4',
      }),
    ]);
    expect(problems).toEqual([
      expect.objectContaining({
        severity: 'error',
        source: 'environment GHOSTLINE_COMPLETION__DEBOUNCE_MS',
        path: 'completion.debounceMs',
      }),
    ]);
    expect(formatProblems(problems)).toContain('GHOSTLINE_COMPLETION__DEBOUNCE_MS');
    expect(s.config.providers.openai).toMatchObject({ apiKey: KEY, baseUrl: 'http://127.0.0.1:9/v1' });
    expect(s.config.completion).toMatchObject({ maxLines: 4, debounceMs: 250 });
  });

  it('drops an environment variable whose model the policy refuses, and keeps the rest', () => {
    const s = store();
    const problems = s.load([
      environmentLayer({
        OPENAI_API_KEY: KEY,
        GHOSTLINE_ROUTER__TASKS: '{"completion": {"model": "code-davinci-002"}}',
      }),
    ]);
    expect(problems.map((p) => p.source)).toEqual(['environment GHOSTLINE_ROUTER__TASKS']);
    expect(s.config.providers.openai?.apiKey).toBe(KEY);
  });
});
