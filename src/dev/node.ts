// Node entry of the dev portal (dist/node/dev-portal.mjs): the server, its CLI, and the pieces tests use.
export { startDevPortal, type DevPortal, type DevPortalOptions } from './server'
export { main, run } from './cli'
export type { LogEntry } from './dev-api'
export * from '../portal/node'
export { startPushServer, type PushServer, type PushServerOptions } from '../push-server/index'
