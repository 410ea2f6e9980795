// The local push server (Node only): `startPushServer` and the pieces tests may want on their own.
export { startPushServer, type PushServer, type PushServerOptions, type PushProtocol, type PublishOptions, type PushServerLogEntry } from './server'
export type { PushServerFaults, ExpireChannelParams } from './faults'
export { signChannelId, publicChannelSignature, parseChannelIds } from './channel-id'
export { signChannelToken, readChannelToken, type ChannelTokenClaims } from './channel-token'
export { EXPIRES_MAGIC } from './http-replies'
