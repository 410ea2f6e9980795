// Choosing the transport at load (docs/bx24.md): window.bx24ShimConfig, then data-* attributes of the <script> tag,
// then automatic detection. The explicit override after load is BX24.shim.useTransport(...).

import type { RestHandler } from '../rest/contract'
import type { HostAdapter, InitData, RefreshData } from './types'
import type { FetchLike } from './transports/http'
import type { RestTransportOptions } from './transports/rest'
import { looksLikeFrameName } from './window-name'

export type TransportName = 'parentFrame' | 'rest' | 'mock' | 'none'

/** Keys of `window.bx24ShimConfig` read by BX24 (`legacyEvents` beside them belongs to the BX bus). */
export interface BX24ShimConfig {
  /** Force a transport. Default: automatic. 'none' leaves BX24 waiting for BX24.shim.useTransport(). */
  transport?: TransportName
  /** Inbound webhook URL: selects the rest transport. */
  webhook?: string
  /** OAuth token: selects the rest transport. */
  auth?: RestTransportOptions['auth']
  lang?: string
  isAdmin?: boolean
  /** Rest transport: keep userOption/appOption on the portal (default true). */
  persistOptions?: boolean
  fetch?: FetchLike
  /** UI commands of the rest/mock transports. */
  host?: HostAdapter
  /** The mock portal: selects the mock transport. */
  mock?: { handler?: RestHandler; initData?: InitData; refresh?: () => RefreshData | null }
  legacyQueryErrors?: boolean
  /** The client limiter ({amount, speed, sleep}) or false; default the real library's (docs/bx24.md, Limits). */
  limiter?: { amount?: number; speed?: number; sleep?: number } | false
  /** Retries of read-only calls the portal refused ({retries, baseDelay, ...}) or false. */
  retry?: Record<string, unknown> | false
  /** Milliseconds a token refresh may take (5000). */
  refreshTimeout?: number
}

const TRANSPORTS: readonly string[] = ['parentFrame', 'rest', 'mock', 'none']

/** The `data-*` attributes of the script tag, as config keys (strings only). */
export function configFromScript(script: HTMLOrSVGScriptElement | null | undefined): BX24ShimConfig {
  const data = (script as HTMLScriptElement | null | undefined)?.dataset
  if (!data) return {}
  const config: BX24ShimConfig = {}
  if (data.bx24Transport && TRANSPORTS.includes(data.bx24Transport)) config.transport = data.bx24Transport as TransportName
  if (data.bx24Webhook) config.webhook = data.bx24Webhook
  if (data.bx24Domain && data.bx24Token) config.auth = { domain: data.bx24Domain, accessToken: data.bx24Token }
  if (data.bx24Lang) config.lang = data.bx24Lang
  if (data.bx24Mock !== undefined && !config.transport) config.transport = 'mock'
  return config
}

/** The window config wins over the tag, key by key; a config that is not an object is ignored. */
export function mergeConfig(fromWindow: unknown, fromScript: BX24ShimConfig): BX24ShimConfig {
  const own = typeof fromWindow === 'object' && fromWindow !== null ? (fromWindow as BX24ShimConfig) : {}
  const merged: BX24ShimConfig = { ...fromScript }
  for (const key of ['transport', 'webhook', 'auth', 'lang', 'isAdmin', 'persistOptions', 'fetch', 'host', 'mock', 'legacyQueryErrors', 'limiter', 'retry', 'refreshTimeout'] as const) {
    if (own[key] !== undefined) (merged as Record<string, unknown>)[key] = own[key]
  }
  if (merged.transport !== undefined && !TRANSPORTS.includes(merged.transport)) {
    throw new TypeError(`BX24: bx24ShimConfig.transport must be one of ${TRANSPORTS.join(', ')}`)
  }
  return merged
}

/** Which transport the config and window.name ask for. */
export function chooseTransport(config: BX24ShimConfig, windowName: unknown): TransportName {
  if (config.transport) return config.transport
  if (config.webhook || config.auth) return 'rest'
  if (config.mock) return 'mock'
  if (looksLikeFrameName(windowName)) return 'parentFrame'
  // Deviation: the real library throws when window.name is empty. We keep BX24 so a page can pick a transport later
  // (BX24.shim.useTransport); a name in the portal's form but broken still throws, as the real library does.
  return 'none'
}
