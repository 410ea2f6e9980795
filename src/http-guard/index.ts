// Request checks shared by the dev portal's servers (portal, app, push): Host names and Origins.
export { hostAllowed, isLoopbackAddress, LOOPBACK_NAMES, normalizeHostName, originsOf, ownHostNames } from './hosts'
export { judgeOrigin, normalizeOrigins, type OriginVerdict } from './origins'
export { answerClientError } from './client-error'
