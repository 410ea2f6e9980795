// Item 1 of issue 10: data from the wire never escapes or pollutes. Names that Object.prototype already has are
// delivered or skipped like any other name, on all three protocols, and change no prototype; a frame over the size
// cap is skipped unread.
import { afterEach, describe, expect, it } from 'vitest'
import { MAX_FRAME_LENGTH } from '../../../src/pull/client/constants'
import { frameOf, guardPrototypes, PROTOTYPE_NAMES, type Body } from './frames'
import { harness, startConnected, type Harness } from './helpers'

let h: Harness
afterEach(() => h?.client.destroy())

const PROTOCOLS = [['text', 3], ['protobuf', 4], ['json-rpc', 5]] as const

describe('hostile names and keys (issue 10, item 1)', () => {
  it.each(PROTOCOLS)('PULL-64 %s (v%i): module_id and command named after Object.prototype members are delivered like any other name and change no prototype', async (_protocol, version) => {
    const guard = guardPrototypes()
    try {
      h = harness({ version })
      const socket = await startConnected(h)
      const got: string[] = []
      for (const name of PROTOTYPE_NAMES) {
        h.client.subscribe({ moduleId: name.toLowerCase(), callback: (d: { command: string }) => got.push(`${name.toLowerCase()}/${d.command}`) })
      }
      h.client.subscribe({ moduleId: 'im', callback: (d: { command: string }) => got.push(`im/${d.command}`) })
      const raised: string[] = []
      h.bx.addCustomEvent('onPullEvent', (moduleId: string, command: string) => void raised.push(`${moduleId}/${command}`))
      const bodies: Body[] = []
      for (const name of PROTOTYPE_NAMES) {
        bodies.push({ module_id: name, command: 'x' }, { module_id: 'im', command: name }, { module_id: name, command: name })
      }
      bodies.push({ module_id: 'im', command: 'after' })
      socket.serverMessage(frameOf(version, bodies, 1))
      socket.serverMessage(frameOf(version, [{ module_id: 'im', command: 'next' }], 1000))
      const expected = bodies.map((b) => `${b.module_id.toLowerCase()}/${b.command}`).concat('im/next')
      expect(got).toEqual(expected)
      expect(raised).toEqual(expected)
      expect(guard.changes()).toEqual([])
      expect(({} as Record<string, unknown>).x).toBeUndefined()
      expect(h.client.isConnected()).toBe(true)
      // Bitrix's debug counters keep them as plain data too.
      const history = h.client.getDebugInfo()['Session history'] as Record<string, Record<string, number>>
      expect(Object.prototype.hasOwnProperty.call(history, '__proto__')).toBe(true)
      expect(history.im!.constructor).toBe(1)
    } finally {
      guard.restore()
    }
  })

  it('PULL-64 a subscribe() callback for an Object.prototype name gets only its own messages', async () => {
    h = harness()
    const socket = await startConnected(h)
    const got: unknown[] = []
    h.client.subscribe({ moduleId: 'im', command: 'toString', callback: (params: unknown) => got.push(params) })
    h.client.subscribe({ moduleId: 'im', command: 'hasOwnProperty', callback: (params: unknown) => got.push(params) })
    socket.serverMessage(frameOf(3, [{ module_id: 'im', command: 'valueOf', params: { n: 0 } }, { module_id: 'im', command: 'toString', params: { n: 1 } }], 1))
    expect(got).toEqual([{ n: 1 }])
  })

  it('PULL-64 JSON-RPC user_params and dictionary holding "__proto__" stay plain data: the params keep their prototype', async () => {
    const guard = guardPrototypes()
    try {
      h = harness({ version: 5 })
      const socket = await startConnected(h)
      const got: Record<string, unknown>[] = []
      h.client.subscribe({ moduleId: 'im', callback: (d: { params: Record<string, unknown> }) => got.push(d.params) })
      const handlerGot: Record<string, unknown>[] = []
      h.bx.addCustomEvent('onPullEvent-im', (_c: string, params: Record<string, unknown>) => void handlerGot.push(params))
      const frame = '{"jsonrpc":"2.0","method":"incoming.message","params":{"mid":"m1","body":{"module_id":"im","command":"x","params":{"a":1}},' +
        '"user_params":{"__proto__":{"polluted":"user"},"b":2},"dictionary":{"__proto__":{"polluted":"dict"},"constructor":{"prototype":{"polluted":"ctor"}}}}}'
      socket.serverMessage(frame)
      expect(got).toHaveLength(1)
      for (const params of [got[0]!, handlerGot[0]!]) {
        expect(Object.getPrototypeOf(params)).toBe(Object.prototype)
        expect(params.polluted).toBeUndefined()
        expect(params.a).toBe(1)
        expect(params.b).toBe(2)
        expect(Object.getOwnPropertyDescriptor(params, '__proto__')?.value).toEqual({ polluted: 'dict' })
      }
      expect(guard.changes()).toEqual([])
      expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    } finally {
      guard.restore()
    }
  })

  it('PULL-65 a frame longer than the cap is skipped unread with a log; the next message arrives', async () => {
    h = harness()
    const socket = await startConnected(h)
    const got: string[] = []
    h.client.subscribe({ moduleId: 'im', callback: (d: { command: string }) => got.push(d.command) })
    const big = frameOf(3, [{ module_id: 'im', command: 'huge', params: { pad: 'x'.repeat(MAX_FRAME_LENGTH) } }], 1) as string
    expect(big.length).toBeGreaterThan(MAX_FRAME_LENGTH)
    socket.serverMessage(big)
    socket.serverMessage(frameOf(3, [{ module_id: 'im', command: 'next' }], 2))
    expect(got).toEqual(['next'])
    expect(h.logger.lines.some((line) => line.includes('too-large'))).toBe(true)
    // Binary frames have the same cap.
    h.client.destroy()
    h = harness({ version: 4 })
    const binary = await startConnected(h)
    const seen: string[] = []
    h.client.subscribe({ moduleId: 'im', callback: (d: { command: string }) => seen.push(d.command) })
    binary.serverMessage(new ArrayBuffer(MAX_FRAME_LENGTH + 1))
    binary.serverMessage(frameOf(4, [{ module_id: 'im', command: 'next' }], 2))
    expect(seen).toEqual(['next'])
    expect(h.logger.lines.some((line) => line.includes('too-large'))).toBe(true)
  })
})
