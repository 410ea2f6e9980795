// The demo portal pages' kit as a browser ES module (dist/dev/portal-kit.mjs): the static demo builds its in-page
// portal from the same pieces as the dev portal page, so the two behave and look alike.
export { createMockPortal, portalSession, createFrameHost, RestError } from '../portal/index'
export { createPortalLog, type PortalLog, type LogKind } from './portal-log'
export { createPortalUi } from './portal-ui'
export { createFrameHostBridge, type FrameHostBridge } from './frame-host-bridge'
export { createPullMethods, type PullBackend } from './pull-methods'
export { loggedRestHandler } from './logged-handler'
