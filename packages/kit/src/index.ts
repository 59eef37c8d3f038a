/**
 * @module
 * `@plugboard/kit`: what Plugboard servers share that is not protocol. Each concept is a
 * subpath of its own (for example `@plugboard/kit/process`), so a server loads only what it uses;
 * this root entry re-exports nothing on purpose.
 */
export {};
