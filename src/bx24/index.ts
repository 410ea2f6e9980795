// Public factories and types of the BX24 part (re-exported by src/index.ts). Names that other parts could also use
// (clock, limiter, fetch, init data) carry a BX24 prefix so `export *` from several parts cannot collide.
export { createBX24, type BX24Api, type CreateFullBX24Options } from './full'
export { createBX24Core, type BX24CoreApi, type CreateBX24Options, type ShimControl } from './create-bx24'
export { isReadOnlyMethod as isReadOnlyBX24Method, retryingTransport, type RetryOptions as BX24RetryOptions } from './retry'
export type { ListAllOptions, ListAllProgress, ListAllShim } from './list-all'
export { installBX24, transportFromConfig as bx24TransportFromConfig } from './install'
export { ajaxResult, ajaxError, type Answer as BX24Answer, type Query as BX24Query } from './ajax-result'
export { encodeParams as encodeBX24Params, type FileValue as BX24FileValue } from './encode-params'
export { createLimiter as createBX24Limiter, type Limiter as BX24Limiter, type LimiterOptions as BX24LimiterOptions } from './limiter'
export { parentFrameTransport, type ParentFrameOptions, type MessageTarget as BX24MessageTarget } from './transports/parent-frame'
export { restTransport, type RestTransportOptions, type OAuthTokens as BX24OAuthTokens } from './transports/rest'
export { mockTransport, MOCK_DOMAIN as BX24_MOCK_DOMAIN, type MockTransportOptions } from './transports/mock'
export { silentHost as bx24SilentHost, recordingHost as bx24RecordingHost } from './transports/host-adapter'
export { chooseTransport as chooseBX24Transport, type BX24ShimConfig, type TransportName as BX24TransportName } from './config'
export { INIT_ERROR_MESSAGE as BX24_INIT_ERROR_MESSAGE, parseWindowName as parseBX24WindowName } from './window-name'
export type {
  BX24Transport,
  HostAdapter as BX24HostAdapter,
  InitData as BX24InitData,
  RefreshData as BX24RefreshData,
  RestCall as BX24RestCall,
  RestExchange as BX24RestExchange,
  Clock as BX24Clock,
} from './types'
export type { FetchLike as BX24Fetch } from './transports/http'
