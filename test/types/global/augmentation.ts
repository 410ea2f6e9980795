// An app describes its own pull commands, REST methods and custom events by augmenting the package's interfaces.
import { createBX, createBX24, createPullClient } from 'bx24-shim'
import { expectTypeOf } from 'vitest'

declare module 'bx24-shim' {
  interface PullCommands {
    shop: { orderPaid: { orderId: number; sum: string }; orderCancelled: { orderId: number; reason: string } }
  }
  interface RestMethods {
    'shop.order.get': { params: { id: number }; result: { ID: string; PAID: boolean } }
  }
  interface BXEventMap {
    onShopReady: (shopId: number) => unknown
  }
}

const BX = createBX()
// Declaring (command, params, extra), checking the command narrows params.
BX.addCustomEvent('onPullEvent-shop', (command, params, extra) => {
  if (command === 'orderPaid') expectTypeOf(params).toEqualTypeOf<{ orderId: number; sum: string }>()
  else expectTypeOf(params.reason).toEqualTypeOf<string>()
  expectTypeOf(extra.server_time_ago).toEqualTypeOf<number | undefined>()
})
// Fewer parameters compile too (TypeScript cannot narrow those).
BX.addCustomEvent('onPullEvent-shop', (command, params) => {
  expectTypeOf(command).toEqualTypeOf<'orderPaid' | 'orderCancelled'>()
  expectTypeOf(params.orderId).toEqualTypeOf<number>()
})
BX.addCustomEvent('onShopReady', (shopId) => expectTypeOf(shopId).toEqualTypeOf<number>())
// @ts-expect-error not a command of module shop
BX.addCustomEvent('onPullEvent-shop', (command: 'orderShipped') => command)

createPullClient().subscribe({ moduleId: 'shop', command: 'orderCancelled', callback: (params) => expectTypeOf(params.reason).toEqualTypeOf<string>() })

const BX24 = createBX24({ transport: null })
BX24.callMethod('shop.order.get', { id: 1 }, (res) => expectTypeOf(res.data().PAID).toEqualTypeOf<boolean>())
// @ts-expect-error shop.order.get needs an id
BX24.callMethod('shop.order.get', {}, () => {})
