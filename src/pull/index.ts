// Push & Pull for ESM users and the UMD bundle: the PullClient factory, the connectors, and installPull(), which
// defines the drop-in globals BX.PullClient and BX.PULL. This full entry plugs the protobuf codec in; a build
// without protobuf imports ./client/pull-client directly and leaves PullClient.protobuf null.

import { protobufCodec } from './codecs/protobuf-codec'
import type { PullClientParams, PullWindowLike } from './client/options'
import { PullClient } from './client/pull-client'
import type { BXEventsLike, RestClientLike } from './client/types'

PullClient.protobuf = protobufCodec

export * from './client/index'
export * from './transports/index'
export { protobufCodec }

/**
 * A new, independent client; nothing global is touched and nothing starts until `start()`.
 * @example const pull = createPullClient({restApplication: true, restClient: BX24, userId: 1}); await pull.start()
 */
export function createPullClient(params: PullClientParams = {}): PullClient {
  return new PullClient(params)
}

type BXHost = BXEventsLike & { PullClient?: unknown; PULL?: unknown; rest?: unknown }

/** window.name as a portal names an app's iframe (`host|0/1|APP_SID`); kept here so pull needs nothing of BX24. */
const isAppFrameName = (name: unknown): boolean => typeof name === 'string' && name.includes('|')

const hasCallMethod = (value: unknown): value is RestClientLike =>
  (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as RestClientLike).callMethod === 'function'

/**
 * Defines `BX.PullClient` and, when `BX.PULL` is undefined, the singleton `BX.PULL` (PULL-53), as Bitrix's
 * pull.client.js does at load. Nothing connects until page code calls `BX.PULL.start()`. A page that already has
 * its own (a real portal page loads Bitrix's client) keeps it: neither global is replaced. `bx` may be the shim's
 * BX object or Bitrix's core, whose `BX` is a function.
 *
 * Which config the singleton loads, as Bitrix's own singleton would on that page:
 * - a portal page (Bitrix's core with `BX.rest`, and no app frame name in window.name): `pull.config.get` through
 *   `BX.rest`, with revision checks and the page's BX.message values (user, site, config timestamp);
 * - an app in a portal iframe (or any page with `bx24` but no `BX.rest`): `restApplication` mode over BX24, the only
 *   config method an app may call (`pull.application.config.get`), without revision checks.
 */
export function installPull(win: PullWindowLike | null, bx: object, bx24?: RestClientLike): PullClient | undefined {
  const host = bx as BXHost
  if (typeof host.PullClient === 'undefined') host.PullClient = PullClient
  if (typeof host.PULL !== 'undefined') return undefined
  const params: PullClientParams = { bx: host, window: win }
  const appFrame = isAppFrameName((win as { name?: unknown } | null)?.name)
  if (hasCallMethod(host.rest) && !appFrame) {
    params.restClient = host.rest
  } else if (hasCallMethod(bx24)) {
    params.restClient = bx24
    params.restApplication = true
  }
  const client = new PullClient(params)
  host.PULL = client
  return client
}
