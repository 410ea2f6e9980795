// Type tests: BX.PullClient#subscribe() callbacks get the shape of their subscription (spec B.2).
import { describe, expectTypeOf, test } from 'vitest'
import { createPullClient, type PullEventExtra, type PullStatusName } from '../../src/index'

const pull = createPullClient()

describe('subscribe()', () => {
  test('PULL-23 returns the unsubscribe function', () => {
    const unsubscribe = pull.subscribe({ moduleId: 'im', callback: () => {} })
    expectTypeOf(unsubscribe).toEqualTypeOf<() => void>()
  })

  test('PULL-24 a command subscription gets (params, extra, command, {type, moduleId})', () => {
    pull.subscribe({
      moduleId: 'im',
      command: 'messageChat',
      callback: (params, extra, command, info) => {
        expectTypeOf(params.dialogId).toBeAny()
        expectTypeOf(extra).toEqualTypeOf<PullEventExtra>()
        expectTypeOf(command).toEqualTypeOf<'messageChat'>()
        expectTypeOf(info.type).toEqualTypeOf<'server' | 'client'>()
      },
    })
  })

  test('PULL-24 a module subscription gets ({command, params, extra}, {type, moduleId})', () => {
    pull.subscribe({
      moduleId: 'application',
      callback: (data, info) => {
        expectTypeOf(data.command).toEqualTypeOf<string>()
        expectTypeOf(data.extra).toEqualTypeOf<PullEventExtra>()
        expectTypeOf(info.moduleId).toEqualTypeOf<string | undefined>()
      },
    })
    pull.subscribe({ type: 'client', moduleId: 'myapp', callback: (data) => expectTypeOf(data.command).toEqualTypeOf<string>() })
  })

  test('PULL-27 PULL-43 PULL-45 online, status and revision subscriptions', () => {
    pull.subscribe({ type: 'online', callback: (data, info) => {
      expectTypeOf(data.command).toEqualTypeOf<string>()
      expectTypeOf(info.type).toEqualTypeOf<'online'>()
    } })
    pull.subscribe({ type: 'status', callback: (data) => expectTypeOf(data.status).toEqualTypeOf<PullStatusName>() })
    pull.subscribe({ type: 'revision', callback: (data) => {
      expectTypeOf(data.server).toEqualTypeOf<number>()
      expectTypeOf(data.client).toEqualTypeOf<number>()
    } })
  })

  test('PULL-50 a command handler object (a class instance) is accepted', () => {
    class ImHandler {
      getModuleId() { return 'im' }
      getMap() { return { messageAdd: 'onAdd' } }
      onAdd(params: { id: number }) { return params.id }
    }
    pull.subscribe(new ImHandler())
  })

  test('wrong subscriptions do not compile', () => {
    // @ts-expect-error a server subscription needs a moduleId
    pull.subscribe({ callback: () => {} })
    // @ts-expect-error the callback is required
    pull.subscribe({ moduleId: 'im' })
    // @ts-expect-error the status is a string
    pull.subscribe({ type: 'status', callback: (data: { status: number }) => data })
    // @ts-expect-error not a subscription type
    pull.subscribe({ type: 'everything', moduleId: 'im', callback: () => {} })
    // @ts-expect-error a command callback's third argument is the command (a string)
    pull.subscribe({ moduleId: 'im', command: 'x', callback: (_p: unknown, _e: unknown, command: number) => command })
    // @ts-expect-error params are an object, not a string
    pull.subscribe('im')
  })
})
