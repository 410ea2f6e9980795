// Type tests (vitest typecheck): BX custom-event handlers get their arguments from the event name. Each
// `@ts-expect-error` line must fail to compile; if it ever compiles, the directive itself is the error.
import { describe, expectTypeOf, test } from 'vitest'
import { createBX, createCustomEventBus, type PullEventExtra, type PullStatusName } from '../../src/index'

const BX = createBX()

describe('onPullEvent-<module>', () => {
  test('PULL-24 (command, params, extra) are inferred: command a string, extra the pull extra', () => {
    BX.addCustomEvent('onPullEvent-im', (command, params, extra) => {
      expectTypeOf(command).toEqualTypeOf<string>()
      expectTypeOf(extra).toEqualTypeOf<PullEventExtra>()
      expectTypeOf(extra.server_time_ago).toEqualTypeOf<number | undefined>()
      // params of an undescribed module: the sender's JSON, readable without casts
      expectTypeOf(params.dialogId).toBeAny()
    })
  })

  test('a handler annotated with its own params shape still compiles', () => {
    BX.addCustomEvent('onPullEvent-crm', (command: string, params: { entityId: number }) => void [command, params.entityId])
  })

  test('a wrongly typed handler does not compile', () => {
    // @ts-expect-error command is a string, not a number
    BX.addCustomEvent('onPullEvent-im', (command: number) => command)
    // @ts-expect-error extra is an object
    BX.addCustomEvent('onPullEvent-im', (_command: string, _params: unknown, extra: string) => extra)
    // @ts-expect-error there are three arguments, not four
    BX.addCustomEvent('onPullEvent-im', (_c: string, _p: unknown, _e: PullEventExtra, fourth: string) => fourth)
  })

  test('with window as the target the same types hold', () => {
    BX.addCustomEvent(window, 'onPullEvent-main', (command, _params, extra) => {
      expectTypeOf(command).toEqualTypeOf<string>()
      expectTypeOf(extra).toEqualTypeOf<PullEventExtra>()
    })
    // @ts-expect-error command is a string
    BX.addCustomEvent(window, 'onPullEvent-main', (command: boolean) => command)
  })
})

describe('fixed pull event names', () => {
  test('PULL-24 onPullEvent gets (moduleId, command, params, extra)', () => {
    BX.addCustomEvent('onPullEvent', (moduleId, command, _params, extra) => {
      expectTypeOf(moduleId).toEqualTypeOf<string>()
      expectTypeOf(command).toEqualTypeOf<string>()
      expectTypeOf(extra).toEqualTypeOf<PullEventExtra>()
    })
  })

  test('PULL-43 onPullStatus gets the status name', () => {
    BX.addCustomEvent('onPullStatus', (status) => expectTypeOf(status).toEqualTypeOf<PullStatusName>())
    expectTypeOf<PullStatusName>().toEqualTypeOf<'online' | 'offline' | 'connect'>()
    // @ts-expect-error the status is a string
    BX.addCustomEvent('onPullStatus', (status: number) => status)
  })

  test('PULL-27 onPullOnlineEvent gets (command, params, extra)', () => {
    BX.addCustomEvent('onPullOnlineEvent', (command, _params, extra) => {
      expectTypeOf(command).toEqualTypeOf<string>()
      expectTypeOf(extra).toEqualTypeOf<PullEventExtra>()
    })
  })

  test('mobile onPull-<module> and onPull get one data object', () => {
    BX.addCustomEvent('onPull-im', (data) => {
      expectTypeOf(data.command).toEqualTypeOf<string>()
      expectTypeOf(data.module_id).toEqualTypeOf<string>()
      expectTypeOf(data.extra).toEqualTypeOf<PullEventExtra>()
    })
    BX.addCustomEvent('onPull', (data) => {
      expectTypeOf(data.module_id).toEqualTypeOf<string>()
      expectTypeOf(data.command).toEqualTypeOf<string>()
    })
    // @ts-expect-error onPull-<module> passes one object, not (command, params)
    BX.addCustomEvent('onPull-im', (command: string, params: object) => [command, params])
    // @ts-expect-error the object has no `moduleId` (it is `module_id`)
    BX.addCustomEvent('onPull', (data) => data.moduleId)
  })

  test('PULL-26 onPullClientEvent-<module> and onPullClientEvent take the server events\' arguments', () => {
    BX.addCustomEvent('onPullClientEvent-myapp', (command, _params, extra) => {
      expectTypeOf(command).toEqualTypeOf<string>()
      expectTypeOf(extra.sender).toEqualTypeOf<{ type: number; id?: string } | undefined>()
    })
    BX.addCustomEvent('onPullClientEvent', (moduleId) => expectTypeOf(moduleId).toEqualTypeOf<string>())
  })

  test('PULL-45 PULL-46 onPullRevisionUp and onPullError', () => {
    BX.addCustomEvent('onPullRevisionUp', (server, client) => {
      expectTypeOf(server).toEqualTypeOf<number>()
      expectTypeOf(client).toEqualTypeOf<number>()
    })
    BX.addCustomEvent('onPullError', (error) => expectTypeOf(error).toEqualTypeOf<string>())
  })
})

describe('free-form names', () => {
  test('any other name takes any handler', () => {
    BX.addCustomEvent('onMyEvent', (a: number, b: { x: string }) => [a, b])
    BX.addCustomEvent('onAnything', (...args) => expectTypeOf(args).toEqualTypeOf<any[]>())
    const name: string = 'computed'
    BX.addCustomEvent(name, (x: Date) => x)
  })

  test('object targets take any name and handler', () => {
    const popup = {}
    BX.addCustomEvent(popup, 'onClose', (reason: string) => reason)
    BX.removeCustomEvent(popup, 'onClose', (reason: string) => reason)
  })

  test('the name must be a string and the handler a function', () => {
    // @ts-expect-error the handler must be a function
    BX.addCustomEvent('onMyEvent', 'not a function')
    // @ts-expect-error a number is not an event name
    BX.addCustomEvent(42, () => {})
  })

  test('removeCustomEvent checks the handler the same way', () => {
    const handler = (command: string) => command
    BX.removeCustomEvent('onPullEvent-im', handler)
    // @ts-expect-error status is a string
    BX.removeCustomEvent('onPullStatus', (status: number) => status)
  })

  test('the bus alone (createCustomEventBus) has the same types', () => {
    const bus = createCustomEventBus()
    bus.addCustomEvent('onPullEvent-im', (command) => expectTypeOf(command).toEqualTypeOf<string>())
    // @ts-expect-error command is a string
    bus.addCustomEvent('onPullEvent-im', (command: number) => command)
  })
})
