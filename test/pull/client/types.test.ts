// Type-level checks: the shim's own BX bus, BX24 and window fit installPull and the client options as they are,
// so the UMD entry can wire them without casts. The runtime assertion keeps vitest from reporting an empty file.
import { describe, expect, it } from 'vitest'
import type { BXBus } from '../../../src/bx/create-bx'
import type { BX24Api } from '../../../src/bx24/install'
import { installPull, type PullClientParams } from '../../../src/pull'

describe('types', () => {
  it('installPull accepts window, the shim BX and the shim BX24 without casts', () => {
    const wire = (win: Window, bx: BXBus, bx24: BX24Api) => installPull(win, bx, bx24)
    const params = (bx: BXBus, bx24: BX24Api): PullClientParams => ({ bx, restClient: bx24, window })
    // @ts-expect-error a rest client needs callMethod
    const bad: PullClientParams = { restClient: { call: () => 1 } }
    expect([typeof wire, typeof params, typeof bad]).toEqual(['function', 'function', 'object'])
  })
})
