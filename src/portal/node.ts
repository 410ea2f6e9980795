// Node entry of the dev portal: everything in './index' plus the HTTP server.

export * from './index'
export { startPortalServer, type PortalServer, type PortalServerOptions } from './server'
export { createPortalHttpHandler, type PortalHttpHandlerOptions } from './server'
