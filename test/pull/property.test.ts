// Item 6 of issue 10: property-based tests (fast-check, bounded so CI stays fast) over every pull codec and the
// client's receive path. Random and mutated frames of all three protocols, Object.prototype names in every string
// field. Properties: nothing escapes (no throw out of a codec or out of the socket's message handler), the next good
// message arrives exactly once, no prototype changes.
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import {
  decodeRequestBatch, decodeResponseBatch, decodeRpcClientFrame, decodeRpcFrame, decodeTextFrames, encodeResponseBatch,
  encodeRpcIncomingMessage, encodeTextFrame, hexToBytes, WireError,
} from '../../src/pull/codecs'
import { guardPrototypes, PROTOTYPE_NAMES } from './client/frames'
import { harness, startConnected } from './client/helpers'

// Runs per property; FC_RUNS=2000 npx vitest run test/pull/property.test.ts for a longer search.
const RUNS = Number(process.env.FC_RUNS) || 150
const TIMEOUT = 5_000 + RUNS * 10
const stats = { properties: 0, runs: 0 }
const check = <T>(property: fc.IProperty<T> | fc.IAsyncProperty<T>, runs = RUNS) => {
  stats.properties++
  stats.runs += runs
  return fc.assert(property as fc.IProperty<T>, { numRuns: runs })
}
afterAll(() => console.info(`fast-check: ${stats.properties} properties, ${stats.runs} runs`))

// ---------------------------------------------------------------- arbitraries

/** Any string, most often one of Object.prototype's own names. */
const name = fc.oneof(
  { arbitrary: fc.constantFrom(...PROTOTYPE_NAMES), weight: 4 },
  { arbitrary: fc.string({ maxLength: 12 }), weight: 1 },
  { arbitrary: fc.constantFrom('im', 'IM', 'online', 'pull'), weight: 1 },
)
const leaf = fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null))

/** JSON text whose object keys are often Object.prototype names (written by hand: `"__proto__"` stays a key). */
const json: fc.Arbitrary<string> = fc.letrec<{ value: string; array: string; object: string }>((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, leaf.map((v) => JSON.stringify(v)), tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }).map((items) => `[${items.join(',')}]`),
  object: fc.array(fc.tuple(name, tie('value')), { maxLength: 4 }).map((entries) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`),
})).value

/** A message body as JSON text; fields missing, of any type, named after Object.prototype members. */
const nameOrJson = fc.oneof({ arbitrary: name.map((n) => JSON.stringify(n)), weight: 4 }, { arbitrary: json, weight: 1 })
const body = fc.record({
  module: fc.option(nameOrJson, { nil: undefined, freq: 10 }),
  command: fc.option(nameOrJson, { nil: undefined, freq: 10 }),
  params: fc.option(json, { nil: undefined }),
  extra: fc.option(json, { nil: undefined }),
  more: fc.array(fc.tuple(name, json), { maxLength: 2 }),
}).map(({ module, command, params, extra, more }) => {
  const fields: string[] = []
  if (module !== undefined) fields.push(`"module_id":${module}`)
  if (command !== undefined) fields.push(`"command":${command}`)
  if (params !== undefined) fields.push(`"params":${params}`)
  if (extra !== undefined) fields.push(`"extra":${extra}`)
  for (const [key, value] of more) fields.push(`${JSON.stringify(key)}:${value}`)
  return `{${fields.join(',')}}`
})

/** Random edits of a frame: cut a piece out, insert junk, or repeat a piece. */
const mutate = (text: string) =>
  fc.array(fc.tuple(fc.nat(), fc.nat({ max: 20 }), fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('#!NGINXNMS!#', '#!NGINXNME!#', '{', '"', '[', '\\'))), { maxLength: 3 })
    .map((edits) => edits.reduce((out, [at, cut, insert]) => {
      const i = out.length === 0 ? 0 : at % out.length
      return out.slice(0, i) + insert + out.slice(i + cut)
    }, text))

const mutateBytes = (bytes: Uint8Array) =>
  fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom('flip', 'cut', 'insert')), { maxLength: 4 })
    .map((edits) => {
      let out = Array.from(bytes)
      for (const [at, value, kind] of edits) {
        const i = out.length === 0 ? 0 : at % out.length
        if (kind === 'flip') out[i] = value
        else if (kind === 'cut') out = out.slice(0, i)
        else out.splice(i, 0, value)
      }
      return Uint8Array.from(out)
    })

const textFrameOf = (bodyJson: string, mid: unknown, tag: unknown = '1') =>
  '#!NGINXNMS!#' + `{"id":1,"mid":${JSON.stringify(mid)},"channel":"c","tag":${JSON.stringify(tag)},"time":"t","text":${bodyJson}}` + '#!NGINXNME!#'

const decimalMid = fc.integer({ min: 1, max: 1e9 }).map((n) => '1795424610' + String(n).padStart(16, '0'))
const hexId = fc.uint8Array({ minLength: 0, maxLength: 16 })

const textPayload = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.tuple(body, fc.oneof(decimalMid, name, fc.integer()), name).map(([b, mid, tag]) => textFrameOf(b, mid, tag)),
  fc.array(fc.tuple(body, decimalMid), { minLength: 1, maxLength: 4 }).map((list) => list.map(([b, mid]) => textFrameOf(b, mid)).join('')),
).chain((frame) => fc.oneof(fc.constant(frame), mutate(frame)))

const protobufMessages = fc.array(fc.record({
  id: hexId,
  body: fc.oneof(body, fc.string({ maxLength: 40 })),
  sender: fc.option(fc.record({ type: fc.integer({ min: 0, max: 3 }), id: fc.option(hexId, { nil: undefined }) }), { nil: undefined }),
}), { maxLength: 4 })
const protobufPayload = fc.oneof(
  fc.uint8Array({ maxLength: 200 }),
  protobufMessages.map((messages) => encodeResponseBatch([{ command: 'outgoingMessages', messages: messages.map((m) => ({ ...m, expiry: 0, created: 0 })) }])),
).chain((bytes) => fc.oneof(fc.constant(bytes), mutateBytes(bytes)))

const rpcItem = fc.oneof(
  fc.tuple(body, fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), name), fc.option(json, { nil: undefined }), fc.option(json, { nil: undefined }), fc.option(json, { nil: undefined }))
    .map(([b, mid, sender, userParams, dictionary]) => {
      const extra = [sender && `"sender":${sender}`, userParams && `"user_params":${userParams}`, dictionary && `"dictionary":${dictionary}`].filter(Boolean)
      return `{"jsonrpc":"2.0","method":"incoming.message","params":{"mid":${JSON.stringify(mid)},"body":${b}${extra.length ? ',' + extra.join(',') : ''}}}`
    }),
  json,
  fc.tuple(fc.oneof(fc.integer(), fc.string({ maxLength: 6 }), fc.constant(null)), json).map(([id, result]) => `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":${result}}`),
)
const rpcPayload = fc.oneof(
  fc.constant('ping'),
  fc.string({ maxLength: 100 }),
  rpcItem,
  fc.array(rpcItem, { maxLength: 4 }).map((items) => `[${items.join(',')}]`),
).chain((frame) => fc.oneof(fc.constant(frame), mutate(frame)))

// ---------------------------------------------------------------- codecs

/** What every decoded message must look like, whatever went in. */
function expectWellFormed(messages: { mid: string | null; text: { module_id: unknown; extra: unknown } }[]): void {
  for (const message of messages) {
    expect(message.mid === null || typeof message.mid === 'string').toBe(true)
    expect(typeof message.text.module_id).toBe('string')
    expect(message.text.extra).toBeTruthy()
  }
}

describe('codecs never throw, and decode only well-formed messages (issue 10, item 6)', () => {
  it('PULL-72 text frames: any payload, random or mutated', () => {
    const guard = guardPrototypes()
    check(fc.property(textPayload, (payload) => {
      const { messages, issues } = decodeTextFrames(payload)
      expectWellFormed(messages)
      for (const issue of issues) expect(issue.message.length).toBeLessThan(200)
    }))
    expect(guard.changes()).toEqual([])
  })

  it('PULL-72 text frames: a body survives the push server\'s encoding as published (params as is, falsy extra → {})', () => {
    check(fc.property(body, decimalMid, (b, mid) => {
      let parsed: Record<string, unknown>
      try {
        parsed = JSON.parse(b)
      } catch {
        return
      }
      const { messages } = decodeTextFrames(encodeTextFrame({ id: 1, mid, channel: 'c', tag: '1', time: 't', text: b }))
      if (typeof parsed.module_id !== 'string') {
        expect(messages).toEqual([])
        return
      }
      const expected = JSON.parse(b)
      if (!expected.extra) expected.extra = {}
      expect(messages).toHaveLength(1)
      expect(messages[0]!.text).toEqual(expected)
      expect(Object.getPrototypeOf(messages[0]!.text)).toBe(Object.prototype)
    }))
  })

  it('PULL-72 protobuf ResponseBatch: any bytes, random or mutated; senders always {type, id}', () => {
    const guard = guardPrototypes()
    check(fc.property(protobufPayload, (bytes) => {
      const { messages } = decodeResponseBatch(bytes)
      expectWellFormed(messages)
      for (const message of messages) {
        const sender = (message.text.extra as { sender: { type: unknown; id: unknown } }).sender
        expect(typeof sender.type).toBe('number')
        expect(typeof sender.id).toBe('string')
      }
    }))
    expect(guard.changes()).toEqual([])
  })

  it('PULL-72 protobuf RequestBatch (server side): any bytes decode or throw WireError, nothing else', () => {
    check(fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
      try {
        decodeRequestBatch(bytes)
      } catch (error) {
        expect(error).toBeInstanceOf(WireError)
      }
    }))
  })

  it('PULL-72 JSON-RPC (client side): any frame, random or mutated; params keep their prototype', () => {
    const guard = guardPrototypes()
    check(fc.property(rpcPayload, (frame) => {
      const result = decodeRpcFrame(frame)
      expectWellFormed(result.messages)
      for (const message of result.messages) {
        const params = message.text.params as unknown
        if (params !== null && typeof params === 'object' && !Array.isArray(params)) expect(Object.getPrototypeOf(params)).toBe(Object.prototype)
      }
      expect(result.replies.every((reply) => reply === 'pong' || reply.startsWith('mack:'))).toBe(true)
    }))
    expect(guard.changes()).toEqual([])
  })

  it('PULL-72 JSON-RPC (server side): any client frame is classified, never thrown', () => {
    check(fc.property(fc.oneof(rpcPayload, fc.string()), (frame) => {
      expect(['pong', 'mack', 'requests', 'invalid']).toContain(decodeRpcClientFrame(frame).kind)
    }))
  })
})

// ---------------------------------------------------------------- the client's receive path

const PROTOCOLS = [
  ['text', 3, textPayload as fc.Arbitrary<string | Uint8Array>],
  ['protobuf', 4, protobufPayload as fc.Arbitrary<string | Uint8Array>],
  ['json-rpc', 5, rpcPayload as fc.Arbitrary<string | Uint8Array>],
] as const

/** The probe: a good message no generated frame can carry (its own module, a mid of a later server run). */
function goodFrame(version: number, n: number): string | ArrayBuffer {
  const bodyJson = JSON.stringify({ module_id: 'probe', command: 'good', params: { n }, extra: {} })
  if (version === 3) return encodeTextFrame({ id: n, mid: '1895424610' + String(n).padStart(16, '0'), channel: 'c', tag: '1', time: 't', text: bodyJson })
  const hex = 'fe' + n.toString(16).padStart(30, '0')
  if (version === 4) return encodeResponseBatch([{ command: 'outgoingMessages', messages: [{ id: hexToBytes(hex), body: bodyJson, expiry: 0, created: 0, sender: { type: 2 } }] }]).slice().buffer as ArrayBuffer
  return encodeRpcIncomingMessage({ mid: hex, bodyJson, sender: { type: 2 } })
}

/** Generated frames must not stop or disable the client, or the probe would never be read: no system messages, no revision. */
const harmless = (frame: string | Uint8Array): boolean => {
  const text = typeof frame === 'string' ? frame : new TextDecoder().decode(frame)
  return !/pull|revision/i.test(text)
}

describe('the client\'s receive path (issue 10, item 6)', () => {
  it.each(PROTOCOLS)('PULL-72 %s (v%i): after any frames, the next good message arrives exactly once; nothing escapes, no prototype changes', async (_name, version, payload) => {
    const guard = guardPrototypes()
    const h = harness({ version })
    try {
      const socket = await startConnected(h)
      const probe: number[] = []
      const viaBX: number[] = []
      h.client.subscribe({ moduleId: 'probe', callback: (d: { params: { n: number } }) => void probe.push(d.params.n) })
      h.bx.addCustomEvent('onPullEvent-probe', (_c: string, params: { n: number }) => void viaBX.push(params.n))
      // Every Object.prototype name also gets a subscriber, so messages that carry one are delivered somewhere.
      for (const key of PROTOTYPE_NAMES) h.client.subscribe({ moduleId: key.toLowerCase(), callback: () => {} })
      let n = 0
      check(fc.property(fc.array(payload.filter(harmless), { maxLength: 4 }), (frames) => {
        for (const frame of frames) {
          expect(() => socket.serverMessage(frame instanceof Uint8Array ? frame.slice().buffer : frame)).not.toThrow()
        }
        n++
        const before = probe.length
        socket.serverMessage(goodFrame(version, n))
        expect(probe.slice(before)).toEqual([n])
        expect(viaBX.at(-1)).toBe(n)
        expect(h.client.isConnected()).toBe(true)
        expect(guard.changes()).toEqual([])
      }))
    } finally {
      h.client.destroy()
      guard.restore()
    }
  }, TIMEOUT)
})
