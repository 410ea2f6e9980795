// The dev portal, browser-safe part: the REST engine, the parent side of the frame protocol and the launch helpers.
// The HTTP server is Node-only and lives in './node'.
/**
 * The mock portal: the REST engine (`createMockPortal`), its seed, the parent side of the frame protocol
 * (`createFrameHost`) and `portalSession` for BX24's mock transport. Browser-safe; the HTTP server is in
 * `bx24-shim/node`.
 * @module bx24-shim/portal
 */

export { createMockPortal, type MockPortal, type MockPortalOptions, type RecordedCall } from './portal'
export { defaultSeed, type PortalSeed, type SeedUser, type SeedApp, type SeedEntity, type SeedWebhook } from './seed'
export { createManualClock, systemClock, type Clock, type ManualClock } from './clock'
export { decodeForm } from './form-decode'
export { RestError } from './errors'
export type { Grant } from './tokens'
export { createFrameHost, type FrameHost, type FrameHostOptions, type PlacementInterface } from './frame/frame-host'
export { createRecordingUi, type FrameUi, type RecordingUi, type AccessPick, type CrmPick } from './frame/ui'
export { parseAppMessage, type AppMessage } from './frame/parse-message'
export { createAppSid, frameName, handlerUrl, postFields } from './frame/launch'
export type { CommandHandler, FramePortal, Reply } from './frame/commands'
export type { CallContext, MethodDef } from './methods/types'
export { portalSession, type PortalSession, type PortalSessionOptions } from './mock-session'
export type { InitDataReply } from './frame/init-data'
export type { EventDelivery } from './event-delivery'
