// @vitest-environment node
import { beforeAll, describe, expect, it } from 'vitest'
import { bytesToHex, hexToBytes } from '../../../src/pull/codecs/hex'
import { decodeResponseBatch } from '../../../src/pull/codecs/protobuf-response'
import { encodeResponseBatch, SenderType, type PbOutgoingMessage } from '../../../src/pull/codecs/protobuf-schema'
import { createWriter } from '../../../src/pull/codecs/protobuf-wire'
import { loadBitrixModel, type OracleType } from './bitrix-model'

let model: Record<string, OracleType>
beforeAll(async () => {
  model = await loadBitrixModel()
})

const body = (n: number): string => JSON.stringify({ module_id: 'im', command: 'message', params: { n }, extra: { server_time_unix: 1_700_000_000 } })

function outgoing(n: number, extra: Partial<PbOutgoingMessage> = {}): PbOutgoingMessage {
  return { id: Uint8Array.of(0x0a, 0xbc, n), body: body(n), expiry: 86_400, created: 1_700_000_000, sender: { type: SenderType.BACKEND }, ...extra }
}

describe('decodeResponseBatch (PULL-35)', () => {
  it('PULL-35: mid is the lower-case hex of the id bytes, and extra.sender is {type, id}', () => {
    const bytes = encodeResponseBatch([
      { command: 'outgoingMessages', messages: [outgoing(1, { sender: { type: SenderType.CLIENT, id: hexToBytes('ABCDEF0102') } })] },
    ])
    const { messages, issues } = decodeResponseBatch(bytes)
    expect(issues).toEqual([])
    expect(messages).toEqual([
      {
        mid: '0abc01',
        text: { module_id: 'im', command: 'message', params: { n: 1 }, extra: { server_time_unix: 1_700_000_000, sender: { type: 1, id: 'abcdef0102' } } },
      },
    ])
  })

  it('PULL-35 PULL-62: a sender without id gives extra.sender = {type, id: \'\'} (Bitrix reads protobufjs\'s empty default), overriding a sender in the body', () => {
    const withSenderInBody = JSON.stringify({ module_id: 'im', command: 'x', params: {}, extra: { sender: 'forged' } })
    const { messages } = decodeResponseBatch(encodeResponseBatch([{ command: 'outgoingMessages', messages: [outgoing(2, { body: withSenderInBody })] }]))
    expect(messages[0]!.text.extra.sender).toEqual({ type: SenderType.BACKEND, id: '' })
  })

  it('a message without a sender gets {type: 0, id: \'\'} instead of failing the frame', () => {
    const { messages } = decodeResponseBatch(encodeResponseBatch([{ command: 'outgoingMessages', messages: [outgoing(3, { sender: undefined })] }]))
    expect(messages[0]!.text.extra.sender).toEqual({ type: 0, id: '' })
  })

  it('PULL-35: channelStats and serverStats responses are ignored; outgoing messages around them are kept in order', () => {
    const bytes = encodeResponseBatch([
      { command: 'outgoingMessages', messages: [outgoing(1)] },
      { command: 'channelStats', channels: [{ id: Uint8Array.of(1), isPrivate: true, isOnline: true }] },
      { command: 'serverStats', json: '{"x":1}' },
      { command: 'outgoingMessages', messages: [outgoing(2), outgoing(3)] },
    ])
    const { messages, issues } = decodeResponseBatch(bytes)
    expect(issues).toEqual([])
    expect(messages.map((m) => m.text.params.n)).toEqual([1, 2, 3])
  })

  it('PULL-35: unknown fields at every level are skipped', () => {
    const sender = createWriter().varint(1, 2).bytes(2, Uint8Array.of(0xff)).varint(9, 1)
    const message = createWriter()
      .string(15, 'future').bytes(1, Uint8Array.of(0x12)).string(2, body(7)).fixed32(4, 5).message(5, sender).varint(6, 99).fixed32(7, 1)
    const list = createWriter().varint(3, 1).message(1, message).string(2, 'x')
    const response = createWriter().varint(8, 1).message(1, list)
    const batch = createWriter().string(2, 'unknown batch field').message(1, response).message(4, createWriter())
    const { messages, issues } = decodeResponseBatch(batch.finish())
    expect(issues).toEqual([])
    expect(messages).toEqual([{ mid: '12', text: expect.objectContaining({ params: { n: 7 }, extra: expect.objectContaining({ sender: { type: 2, id: 'ff' } }) }) }])
  })

  it('a Response whose oneof ends on channelStats drops the outgoing messages before it (last member wins)', () => {
    const list = createWriter().message(1, createWriter().bytes(1, Uint8Array.of(1)).string(2, body(1)))
    const response = createWriter().message(1, list).message(2, createWriter())
    expect(decodeResponseBatch(createWriter().message(1, response).finish()).messages).toEqual([])
  })

  it('a body that is not JSON is reported with its mid and the next message still arrives', () => {
    const bytes = encodeResponseBatch([{ command: 'outgoingMessages', messages: [outgoing(1, { body: 'hello world' }), outgoing(2)] }])
    const { messages, issues } = decodeResponseBatch(bytes)
    expect(messages.map((m) => m.text.params.n)).toEqual([2])
    expect(issues).toMatchObject([{ kind: 'bad-json', index: 0, mid: '0abc01' }])
  })

  it('a message with a wrong wire type inside is skipped; its neighbours are kept', () => {
    const broken = createWriter().varint(2, 5) // body (field 2) as a varint instead of a string
    const list = createWriter().message(1, createWriter().bytes(1, Uint8Array.of(1)).string(2, body(1))).message(1, broken)
      .message(1, createWriter().bytes(1, Uint8Array.of(3)).string(2, body(3)))
    const { messages, issues } = decodeResponseBatch(createWriter().message(1, createWriter().message(1, list)).finish())
    expect(messages.map((m) => m.mid)).toEqual(['01', '03'])
    expect(issues).toMatchObject([{ kind: 'bad-wire', index: 1, message: expect.stringContaining('wire type 0') }])
  })

  it('a truncated batch keeps the messages before the cut and reports the rest', () => {
    const whole = encodeResponseBatch([{ command: 'outgoingMessages', messages: [outgoing(1)] }, { command: 'outgoingMessages', messages: [outgoing(2)] }])
    const { messages, issues } = decodeResponseBatch(whole.subarray(0, whole.length - 3))
    expect(messages.map((m) => m.text.params.n)).toEqual([1])
    expect(issues).toMatchObject([{ kind: 'bad-wire', message: expect.stringContaining('past the end') }])
  })

  it('every truncation of a valid batch decodes without throwing', () => {
    const whole = encodeResponseBatch([{ command: 'outgoingMessages', messages: [outgoing(1), outgoing(2), outgoing(3)] }])
    for (let cut = 0; cut < whole.length; cut++) {
      const { messages, issues } = decodeResponseBatch(whole.subarray(0, cut))
      expect(messages.length).toBeLessThan(3)
      if (cut > 0) expect(issues.length).toBeGreaterThan(0)
    }
  })

  it('random bytes never throw and never hang', () => {
    let seed = 12_345
    const random = (): number => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31
    for (let round = 0; round < 3000; round++) {
      const input = Uint8Array.from({ length: Math.floor(random() * 64) }, () => Math.floor(random() * 256))
      const result = decodeResponseBatch(input)
      expect(Array.isArray(result.messages)).toBe(true)
    }
  })

  it('a huge declared length is refused without allocating it', () => {
    // field 1, length 2^32-1, then nothing.
    const { messages, issues } = decodeResponseBatch(Uint8Array.of(0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f))
    expect(messages).toEqual([])
    expect(issues).toMatchObject([{ kind: 'bad-wire', message: expect.stringContaining('length 4294967295 past the end') }])
  })

  it('a text payload arriving as bytes (binary where protobuf was expected) is reported, not thrown', () => {
    const bytes = new TextEncoder().encode('#!NGINXNMS!#{"mid":"1"}#!NGINXNME!#')
    const { messages, issues } = decodeResponseBatch(bytes)
    expect(messages).toEqual([])
    expect(issues.length).toBeGreaterThan(0)
  })
})

describe('ResponseBatch against Bitrix\'s protobufjs model', () => {
  it('what Bitrix\'s model encodes, we decode to the same mid, body and sender', () => {
    const { ResponseBatch } = model
    const encoded = ResponseBatch!.encode(
      ResponseBatch!.create({
        responses: [
          {
            outgoingMessages: {
              messages: [
                { id: hexToBytes('00ff10'), body: body(1), expiry: 60, created: 1_700_000_001, sender: { type: 1, id: hexToBytes('a1b2') } },
                { id: hexToBytes('0102'), body: body(2), expiry: 0, created: 0, sender: { type: 2 } },
              ],
            },
          },
          { channelStats: { channels: [{ id: hexToBytes('01'), isPrivate: true, isOnline: true }] } },
        ],
      }),
    ).finish()
    const { messages, issues } = decodeResponseBatch(encoded)
    expect(issues).toEqual([])
    expect(messages.map((m) => [m.mid, m.text.params.n, m.text.extra.sender])).toEqual([
      ['00ff10', 1, { type: 1, id: 'a1b2' }],
      ['0102', 2, { type: 2, id: '' }],
    ])
  })

  it('what we encode, Bitrix\'s model decodes field for field', () => {
    const ours = encodeResponseBatch([
      { command: 'outgoingMessages', messages: [outgoing(5, { sender: { type: 1, id: Uint8Array.of(9, 8) } })] },
      { command: 'serverStats', json: '{"ok":true}' },
    ])
    const decoded = model.ResponseBatch!.decode(ours)
    const first = decoded.responses[0]
    expect(first.command).toBe('outgoingMessages')
    const message = first.outgoingMessages.messages[0]
    expect(bytesToHex(message.id)).toBe('0abc05')
    expect(message.body).toBe(body(5))
    expect(message.expiry).toBe(86_400)
    expect(message.created).toBe(1_700_000_000)
    expect(message.sender.type).toBe(1)
    expect(bytesToHex(message.sender.id)).toBe('0908')
    expect(decoded.responses[1].command).toBe('serverStats')
    expect(decoded.responses[1].serverStats.json).toBe('{"ok":true}')
  })
})
