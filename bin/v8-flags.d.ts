/** V8 start-up flags of the launcher and the executable (see v8-flags.js). */
export declare const V8_FLAGS: string[];
