// A script-tag page's code, typed by bx24-shim/global alone: the globals the bundle defines.
import type {} from 'bx24-shim/global'
import { expectTypeOf } from 'vitest'
import type { PullEventExtra, RestUser, ajaxResult } from 'bx24-shim'

BX24.init(async () => {
  const me = await BX24.callMethod('user.current')
  expectTypeOf(me).toEqualTypeOf<ajaxResult<RestUser>>()
  expectTypeOf(window.BX24.getDomain()).toEqualTypeOf<string>()
})

BX.addCustomEvent('onPullEvent-im', (command, _params, extra) => {
  expectTypeOf(command).toEqualTypeOf<string>()
  expectTypeOf(extra).toEqualTypeOf<PullEventExtra>()
})
window.BX.addCustomEvent(window, 'onPullStatus', (status) => expectTypeOf(status).toEqualTypeOf<'online' | 'offline' | 'connect'>())

const pull = new BX.PullClient({ restApplication: true, restClient: BX24, userId: 1 })
pull.subscribe({ moduleId: 'application', callback: (data) => expectTypeOf(data.command).toEqualTypeOf<string>() })
void BX.PULL.start()

const bus = window.BX24Shim.createBX()
bus.addCustomEvent('onPullEvent', (moduleId) => expectTypeOf(moduleId).toEqualTypeOf<string>())
window.bx24ShimConfig = { transport: 'mock', legacyEvents: true }

// @ts-expect-error callMethod needs a method name
void BX24.callMethod()
// @ts-expect-error the status is a string
BX.addCustomEvent('onPullStatus', (status: number) => status)
// @ts-expect-error no such member on BX24
BX24.callMethods('user.current')
// @ts-expect-error not a transport name
window.bx24ShimConfig = { transport: 'carrier-pigeon' }
