// @vitest-environment node
import { beforeAll, describe, expect, it } from 'vitest'
import { bytesToHex, hexToBytes } from '../../../src/pull/codecs/hex'
import { encodePublishBatch, toReceiver } from '../../../src/pull/codecs/protobuf-request'
import { decodeRequestBatch, encodeRequestBatch, type PbRequest } from '../../../src/pull/codecs/protobuf-schema'
import { createWriter, WireError } from '../../../src/pull/codecs/protobuf-wire'
import { loadBitrixModel, type OracleType } from './bitrix-model'

let model: Record<string, OracleType>
beforeAll(async () => {
  model = await loadBitrixModel()
})

const PUBLIC_ID = '0123456789abcdef0123456789abcdef'
const SIGNATURE = 'ffeeddccbbaa99887766554433221100ffeeddcc'
const body = { module_id: 'app', command: 'hello', params: { text: 'привет' } }

describe('client publish as RequestBatch (PULL-48)', () => {
  it('PULL-48: receivers carry the public id and signature as raw bytes, the body as a JSON string', () => {
    const bytes = encodePublishBatch([{ channels: [`${PUBLIC_ID}.${SIGNATURE}`, { publicId: PUBLIC_ID.replace('0', 'f'), signature: SIGNATURE }], body, expiry: 30 }])
    const [request] = decodeRequestBatch(bytes)
    expect(request).toEqual({
      command: 'incomingMessages',
      messages: [
        {
          receivers: [
            { id: hexToBytes(PUBLIC_ID), isPrivate: false, signature: hexToBytes(SIGNATURE) },
            { id: hexToBytes(PUBLIC_ID.replace('0', 'f')), isPrivate: false, signature: hexToBytes(SIGNATURE) },
          ],
          body: JSON.stringify(body),
          expiry: 30,
          type: '',
        },
      ],
    })
  })

  it('PULL-48: Bitrix\'s own model reads our publish exactly as it would read its own', () => {
    const ours = encodePublishBatch([{ channels: [`${PUBLIC_ID}.${SIGNATURE}`], body }])
    const { RequestBatch, Receiver, IncomingMessage } = model
    const theirs = RequestBatch!.encode(
      RequestBatch!.create({
        requests: [{ incomingMessages: { messages: [IncomingMessage!.create({
          receivers: [Receiver!.create({ id: hexToBytes(PUBLIC_ID), signature: hexToBytes(SIGNATURE) })],
          body: JSON.stringify(body),
          expiry: 0,
        })] } }],
      }),
    ).finish()
    expect(bytesToHex(ours)).toBe(bytesToHex(theirs))
    const decoded = RequestBatch!.decode(ours)
    const message = decoded.requests[0].incomingMessages.messages[0]
    expect(bytesToHex(message.receivers[0].id)).toBe(PUBLIC_ID)
    expect(bytesToHex(message.receivers[0].signature)).toBe(SIGNATURE)
    expect(JSON.parse(message.body)).toEqual(body)
  })

  it.each([
    ['a string without a dot', PUBLIC_ID],
    ['an object without signature', { publicId: PUBLIC_ID }],
    ['a number', 42],
    ['null', null],
  ])('PULL-49: %s as a public channel throws TypeError', (_name, channel) => {
    expect(() => toReceiver(channel as never)).toThrow(/Public channel MUST be either a string/)
  })

  it('a public channel that is not hex throws instead of sending zero bytes', () => {
    expect(() => toReceiver('not-hex.zz')).toThrow(TypeError)
  })
})

describe('RequestBatch both directions', () => {
  it('round-trips incoming messages with a sender and type, channelStats and serverStats', () => {
    const requests: PbRequest[] = [
      {
        command: 'incomingMessages',
        messages: [{
          receivers: [{ id: hexToBytes(PUBLIC_ID), isPrivate: true }],
          sender: { type: 2, id: Uint8Array.of(7) },
          body: '{"module_id":"im","command":"x","params":{}}',
          expiry: 86_400,
          type: 'im_x',
        }],
      },
      { command: 'channelStats', channels: [{ id: hexToBytes(PUBLIC_ID), isPrivate: true }] },
      { command: 'serverStats' },
    ]
    expect(decodeRequestBatch(encodeRequestBatch(requests))).toEqual(requests)
  })

  it('what Bitrix\'s model encodes as a backend publish with channelStats, we decode', () => {
    const { RequestBatch } = model
    const bytes = RequestBatch!.encode(RequestBatch!.create({
      requests: [
        { incomingMessages: { messages: [{ receivers: [{ id: hexToBytes(PUBLIC_ID), isPrivate: true }], body: '{}', expiry: 5, type: 'im_message' }] } },
        { channelStats: { channels: [{ id: hexToBytes(PUBLIC_ID), isPrivate: false }] } },
      ],
    })).finish()
    const decoded = decodeRequestBatch(bytes)
    expect(decoded).toEqual([
      { command: 'incomingMessages', messages: [{ receivers: [{ id: hexToBytes(PUBLIC_ID), isPrivate: true }], body: '{}', expiry: 5, type: 'im_message' }] },
      { command: 'channelStats', channels: [{ id: hexToBytes(PUBLIC_ID), isPrivate: false }] },
    ])
  })

  it('unknown request fields and an empty request are tolerated', () => {
    const batch = createWriter().message(1, createWriter().varint(7, 1)).string(3, 'x').finish()
    expect(decodeRequestBatch(batch)).toEqual([{ command: 'unknown' }])
  })

  it('hostile request bytes throw WireError', () => {
    expect(() => decodeRequestBatch(Uint8Array.of(0x0a, 0x05, 0x0a))).toThrow(WireError)
    expect(() => decodeRequestBatch(Uint8Array.of(0x08, 0x80))).toThrow(WireError)
    // receivers (field 1 of IncomingMessage) sent as a varint.
    const wrongType = createWriter().message(1, createWriter().message(1, createWriter().message(1, createWriter().varint(1, 3)))).finish()
    expect(() => decodeRequestBatch(wrongType)).toThrow(/wire type 0, expected 2/)
  })
})
