/** V8 start-up flags of the launcher and the executable (see v8-flags.js). */
export declare const V8_FLAGS: string[];
/** The young generation's cap among V8_FLAGS. */
export declare const SEMI_SPACE_FLAG: string;
/** What the launcher sets in its own process when it cannot restart with V8_FLAGS (see v8-flags.js). */
export declare const RUNTIME_SEMI_SPACE_FLAG: string;
/** The MALLOC_ARENA_MAX the launcher gives the server (see v8-flags.js). */
export declare const MALLOC_ARENA_MAX: string;
