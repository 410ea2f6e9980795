// Push & Pull for ESM users and the UMD bundle: the PullClient factory, the connectors, and installPull(), which
// defines the drop-in globals BX.PullClient and BX.PULL.

import { PullClient } from './client/pull-client-api'
import type { PullClientParams, PullWindowLike } from './client/options'
import type { BXEventsLike, RestClientLike } from './client/types'

export * from './client/index'
export * from './transports/index'

/**
 * A new, independent client; nothing global is touched and nothing starts until `start()`.
 * @example const pull = createPullClient({restApplication: true, restClient: BX24, userId: 1}); await pull.start()
 */
export function createPullClient(params: PullClientParams = {}): PullClient {
  return new PullClient(params)
}

type BXHost = BXEventsLike & { PullClient?: unknown; PULL?: unknown; rest?: unknown }

/**
 * Defines `BX.PullClient` and, when `BX.PULL` is undefined, the singleton `BX.PULL` (PULL-53), as Bitrix's
 * pull.client.js does at load. Nothing connects until page code calls `BX.PULL.start()`. A page that already has
 * its own (a real portal page loads Bitrix's client) keeps it: neither global is replaced.
 *
 * With `bx24` (an app iframe) the singleton runs in `restApplication` mode over BX24, the only config method an app
 * may call; otherwise it uses the page's `BX.rest`, as Bitrix's own singleton does.
 */
export function installPull(win: PullWindowLike | null, bx: object, bx24?: RestClientLike): PullClient | undefined {
  const host = bx as BXHost
  if (typeof host.PullClient === 'undefined') host.PullClient = PullClient
  if (typeof host.PULL !== 'undefined') return undefined
  const params: PullClientParams = { bx: host, window: win }
  if (bx24 && typeof bx24.callMethod === 'function') {
    params.restClient = bx24
    params.restApplication = true
  }
  const client = new PullClient(params)
  host.PULL = client
  return client
}
