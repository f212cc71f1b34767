/** V8 start-up flags of the launcher and the executable (see v8-flags.js). */
export declare const V8_FLAGS: string[];
/** The MALLOC_ARENA_MAX the launcher gives the server (see v8-flags.js). */
export declare const MALLOC_ARENA_MAX: string;
