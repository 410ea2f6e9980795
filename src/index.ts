// ESM entry: factories only. Nothing here touches window; the UMD entry (umd.ts) installs the globals.
/**
 * The ESM entry: the factories of the BX event bus (`createBX`), BX24 (`createBX24` and its transports) and the Push
 * & Pull client (`createPullClient`), and the public types. The script-tag bundle defines the same objects as
 * `window.BX`, `window.BX24` and `window.BX24Shim`.
 * @module bx24-shim
 */
export * from './bx/index'
export type { RestRequest, RestResponse, RestHandler } from './rest/contract'
export * from './bx24/index'
export * from './pull/index'
export type * from './types/index'
