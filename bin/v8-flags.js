// V8 settings that cut the memory the server holds while typing (docs/performance.md, "Memory"):
// tree-sitter's grammars run on V8's baseline WebAssembly compiler only (its optimizing tier left
// ~20 MB of compiler memory resident after the first parse of a TypeScript file), the young
// generation is capped at 2 MB per semi-space instead of growing to 16 MB, and JavaScript is
// optimized by Maglev at most, never TurboFan (6–8 MB less at the typing peak, the same overhead). The launcher
// (bin/ghostline.js) and the self-contained executable (scripts/build-binary.ts) both start with them.
export const SEMI_SPACE_FLAG = '--max-semi-space-size=2';
export const V8_FLAGS = ['--liftoff-only', SEMI_SPACE_FLAG, '--max-opt=2'];

// The one of them V8 still honours in a running process, for starts that cannot be given the
// flags (bin/ghostline.js): the young generation never grows past its initial 1 MB semi-spaces.
export const RUNTIME_SEMI_SPACE_FLAG = '--semi-space-growth-factor=1';

// glibc's malloc gives threads that allocate at once their own arenas (up to 8 per core), each
// holding its freed memory: V8's compiler and GC threads and libuv's pool made the typing peak 2–3
// MB higher than with two arenas (docs/performance.md, "Two malloc arenas"). The launcher starts
// the server with this unless MALLOC_ARENA_MAX is set; other C libraries ignore it.
export const MALLOC_ARENA_MAX = '2';
