/**
 * The openai SDK, loaded on first use rather than at start-up. Evaluating it makes Node load
 * `fetch` (undici, with http2, tls, zlib and worker_threads): ~6 MB of resident memory that an
 * idle server, or one that has not opened a document yet, does not need. The build turns the
 * `import()` into a load of dist/openai.cjs, a chunk beside the bundle, so the SDK's source is not
 * in memory either until then (scripts/build.ts, CHUNKS; docs/performance.md, "Memory").
 */
export type OpenAISdk = typeof import('openai');

let loading: Promise<OpenAISdk> | undefined;
let loaded: OpenAISdk | undefined;

/** Loads the SDK once; every later call returns the same module. */
export function loadSdk(): Promise<OpenAISdk> {
  loading ??= import('openai').then((sdk) => {
    loaded = sdk;
    return sdk;
  });
  return loading;
}

/** The SDK if it has been loaded: an error can only come from it once it is. */
export function loadedSdk(): OpenAISdk | undefined {
  return loaded;
}
