import { afterEach, describe, expect, it } from 'vitest'
import { harness, startConnected, textFrame, type Harness } from './helpers'

let h: Harness
afterEach(() => h?.client.destroy())

describe('mobile webview mode (B.3.3)', () => {
  it('re-emits onPull-<module> and onPull with one data object, next to the web events', async () => {
    h = harness({ params: { mobile: true } })
    const socket = await startConnected(h)
    for (const name of ['onPullEvent-tasks', 'onPull-tasks', 'onPull', 'onPullOnline', 'onPullClient-app']) h.listen(name)
    socket.serverMessage(textFrame(h.clock, { module_id: 'tasks', command: 'add', params: { id: 1 }, extra: { server_time_unix: undefined } }))
    expect(h.events.map((e) => e[0])).toEqual(['onPullEvent-tasks', 'onPull-tasks', 'onPull'])
    expect(h.events[1]?.[1]).toEqual({ command: 'add', params: { id: 1 }, extra: expect.any(Object), module_id: 'tasks' })
    expect(h.events[2]?.[1]).toEqual({ module_id: 'tasks', command: 'add', params: { id: 1 }, extra: expect.any(Object) })
    h.events.length = 0
    socket.serverMessage(textFrame(h.clock, { module_id: 'online', command: 'list', params: {} }))
    socket.serverMessage(textFrame(h.clock, { module_id: 'app', command: 'c', extra: { sender: { type: 1 } } }))
    expect(h.events.map((e) => e[0])).toEqual(['onPullOnline', 'onPullClient-app'])
  })

  it('bridges to BXMobileApp.onCustomEvent, batching im for 100 ms', async () => {
    const native: unknown[][] = []
    h = harness({ params: { mobile: true } })
    ;(h.win as unknown as Record<string, unknown>).BXMobileApp = {
      onCustomEvent: (name: string, data: unknown, all: boolean) => native.push([name, data, all]),
    }
    const socket = await startConnected(h)
    socket.serverMessage(
      textFrame(h.clock, { module_id: 'im', command: 'm1', params: { n: 1 } }) + textFrame(h.clock, { module_id: 'tasks', command: 't' }),
    )
    await h.clock.tick(50)
    socket.serverMessage(textFrame(h.clock, { module_id: 'im', command: 'm2', params: { n: 2 } }))
    expect(native.map((e) => e[0])).toEqual(['onPull', 'onPull-tasks', 'onPull', 'onPull'])
    await h.clock.tick(99)
    expect(native.some((e) => e[0] === 'onPull-im')).toBe(false)
    await h.clock.tick(1)
    const im = native.filter((e) => e[0] === 'onPull-im')
    expect(im).toHaveLength(1)
    expect(im[0]?.[1]).toEqual({ data: [
      { command: 'm1', params: { n: 1 }, extra: expect.any(Object) },
      { command: 'm2', params: { n: 2 }, extra: expect.any(Object) },
    ] })
    expect(im[0]?.[2]).toBe(true)
    expect(native.find((e) => e[0] === 'onPull-tasks')?.[1]).toEqual({ command: 't', params: {}, extra: expect.any(Object) })
  })

  it('without mobile mode nothing is re-emitted', async () => {
    h = harness()
    const socket = await startConnected(h)
    h.listen('onPull')
    h.listen('onPull-im')
    socket.serverMessage(textFrame(h.clock, { module_id: 'im', command: 'x' }))
    expect(h.events).toEqual([])
  })
})
