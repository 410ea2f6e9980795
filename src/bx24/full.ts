// createBX24(): the BX24 of the UMD bundle and the ESM entry. The core object (create-bx24.ts) plus what a client
// outside one iframe wants and the frame-only entry leaves out: read-only calls retried when the portal refused them
// (retry.ts) and BX24.shim.listAll / iterateAll (list-all.ts).

import { systemClock } from './clock'
import { createBX24Core, type CreateBX24Options } from './create-bx24'
import { withListAll } from './list-all'
import { retryingTransport, type RetryOptions } from './retry'

export interface CreateFullBX24Options extends CreateBX24Options {
  /**
   * Retry read-only calls the portal refused (QUERY_LIMIT_EXCEEDED, OPERATION_TIME_LIMIT) or that got no answer,
   * with backoff; `false` turns it off. Writes are never repeated (docs/bx24.md).
   */
  retry?: Omit<RetryOptions, 'clock' | 'log'> | false
}

/**
 * A fresh, isolated BX24 object: the real library's API, BX24.shim.listAll and safe retries.
 * @example
 * const BX24 = createBX24({ transport: restTransport({ webhook: 'https://x.bitrix24.com/rest/1/secret/' }) })
 * const deals = await BX24.shim.listAll('crm.deal.list', { select: ['ID', 'TITLE'] })
 */
export function createBX24(options: CreateFullBX24Options = {}) {
  const { retry, ...core } = options
  const wrapTransport = retry === false
    ? options.wrapTransport
    : (transport: Parameters<NonNullable<CreateBX24Options['wrapTransport']>>[0]) => {
      const given = options.wrapTransport ? options.wrapTransport(transport) : transport
      const settings = typeof retry === 'object' && retry !== null ? retry : {}
      return retryingTransport(given, { ...settings, clock: options.clock ?? systemClock, log: options.log })
    }
  return withListAll(createBX24Core({ ...core, wrapTransport }))
}

export type BX24Api = ReturnType<typeof createBX24>
