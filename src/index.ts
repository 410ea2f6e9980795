// ESM entry: factories only. Nothing here touches window; the UMD entry (umd.ts) installs the globals.
export * from './bx/index'
export type { RestRequest, RestResponse, RestHandler } from './rest/contract'
export * from './bx24/index'
export * from './pull/index'
export type * from './types/index'
