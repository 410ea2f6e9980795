import { afterEach, describe, expect, it } from 'vitest'
import { pluggableTransport, postMessageSource, type PullSourceSink } from '../../../src/pull'
import { fakeWindow, flush, harness, textFrame, type Harness } from '../client/helpers'

let h: Harness | undefined
afterEach(() => h?.client.destroy())

function scriptedSource() {
  const state: { sink: PullSourceSink | null; url: string; stops: number; sent: unknown[] } = { sink: null, url: '', stops: 0, sent: [] }
  const source = {
    name: 'scripted',
    open(sink: PullSourceSink, url: string) {
      state.sink = sink
      state.url = url
      return () => void state.stops++
    },
    send(data: string | Uint8Array) {
      state.sent.push(data)
      return true
    },
  }
  return { source, state }
}

describe('pluggable source', () => {
  it('feeds the client text payloads and decoded messages; the client does not know the difference', async () => {
    const { source, state } = scriptedSource()
    h = harness({ params: { transport: pluggableTransport(source) } })
    const seen: unknown[] = []
    h.client.subscribe({ moduleId: 'im', callback: (d: { command: string; params: unknown }) => seen.push([d.command, d.params]) })
    h.listen('onPullStatus')
    const started = h.client.start()
    await flush()
    expect(state.url).toContain('CHANNEL_ID=')
    state.sink?.open()
    await started
    state.sink?.message(textFrame(h.clock, { module_id: 'im', command: 'asText' }))
    state.sink?.message([
      { mid: 'x1', text: { module_id: 'IM', command: 'decoded', params: { a: 1 }, extra: {} } },
      { bogus: true } as never,
      { mid: 'x2', text: { module_id: 5, command: 'bad' } } as never,
      { mid: 'x1', text: { module_id: 'im', command: 'duplicate', params: {}, extra: {} } },
      { mid: 'x3', text: { module_id: 'im', command: 'last', params: {}, extra: {} } },
    ])
    expect(seen).toEqual([['asText', {}], ['decoded', { a: 1 }], ['last', {}]])
    expect(h.client.getDebugInfo()['Connection type']).toBe('scripted')
    expect(h.events.map((e) => e[1])).toEqual(['connect', 'online'])
  })

  it('a close reconnects with backoff through a fresh sink; the old sink is ignored', async () => {
    const { source, state } = scriptedSource()
    h = harness({ params: { transport: pluggableTransport(source) } })
    const seen: string[] = []
    h.client.subscribe({ moduleId: 'im', callback: (d: { command: string }) => seen.push(d.command) })
    const started = h.client.start()
    await flush()
    state.sink?.open()
    await started
    const old = state.sink
    old?.close(1006, 'bridge lost')
    expect(state.stops).toBe(1)
    expect(h.client.isConnected()).toBe(false)
    await h.clock.tick(500)
    expect(state.sink).not.toBe(old)
    state.sink?.open()
    old?.message(textFrame(h.clock, { module_id: 'im', command: 'stale' }))
    state.sink?.message(textFrame(h.clock, { module_id: 'im', command: 'fresh' }))
    expect(seen).toEqual(['fresh'])
    expect(h.client.isConnected()).toBe(true)
  })

  it('a source that throws on open is retried; send goes to the source', async () => {
    let attempts = 0
    const sent: unknown[] = []
    const source = {
      open(sink: PullSourceSink) {
        attempts++
        if (attempts === 1) throw new Error('bridge not ready')
        sink.open()
      },
      send: (data: string | Uint8Array) => sent.push(data) > 0,
    }
    h = harness({ version: 5, params: { transport: pluggableTransport(source) } })
    await expect(h.client.start()).rejects.toThrow('bridge not ready')
    await h.clock.tick(15_000 * 1.2)
    expect(attempts).toBe(2)
    expect(h.client.isConnected()).toBe(true)
    void h.client.ping().catch(() => {})
    expect(JSON.parse(String(sent.at(-1)))).toMatchObject({ method: 'ping' })
  })

  it('postMessageSource accepts frames only from the allowed origins', async () => {
    const win = fakeWindow()
    h = harness({ params: { transport: pluggableTransport(postMessageSource({ target: win, origins: ['https://portal.example'] })) } })
    const seen: string[] = []
    h.client.subscribe({ moduleId: 'im', callback: (d: { command: string }) => seen.push(d.command) })
    await h.client.start()
    win.fire('message', { origin: 'https://evil.example', data: { bxPull: textFrame(h.clock, { module_id: 'im', command: 'evil' }) } })
    win.fire('message', { origin: 'https://portal.example', data: 'not an object' })
    win.fire('message', { origin: 'https://portal.example', data: { bxPull: textFrame(h.clock, { module_id: 'im', command: 'good' }) } })
    expect(seen).toEqual(['good'])
    h.client.stop()
    expect(win.count('message')).toBe(0)
  })
})
