import { describe, expect, it } from 'vitest'
import { createRpcRequest, decodeRpcFrame, encodeRpcRequests } from '../../../src/pull/codecs/json-rpc'
import {
  decodeRpcClientFrame, encodeRpcBatchFrame, encodeRpcError, encodeRpcIncomingMessage, encodeRpcResult, RpcErrors,
} from '../../../src/pull/codecs/json-rpc-server'

const incoming = (mid: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  jsonrpc: '2.0',
  method: 'incoming.message',
  params: { mid, body: { module_id: 'im', command: 'message', params: { a: 1, b: 1 }, extra: { revision_web: 19 } }, sender: { type: 2 }, ...extra },
})

describe('decodeRpcFrame (client side, PULL-36)', () => {
  it('PULL-36: the text frame "ping" asks for a "pong" reply and arms the watchdog', () => {
    expect(decodeRpcFrame('ping')).toEqual({ messages: [], issues: [], replies: ['pong'], ping: true, responses: [] })
  })

  it('PULL-36: incoming.message becomes a message with extra.sender, and a mack:<mid> reply', () => {
    const result = decodeRpcFrame(JSON.stringify(incoming('m1')))
    expect(result.messages).toEqual([
      { mid: 'm1', text: { module_id: 'im', command: 'message', params: { a: 1, b: 1 }, extra: { revision_web: 19, sender: { type: 2 } } } },
    ])
    expect(result.replies).toEqual(['mack:m1'])
    expect(result.ping).toBe(false)
  })

  it('PULL-36: user_params then dictionary are shallow-merged into params (dictionary wins)', () => {
    const frame = JSON.stringify(incoming('m2', { user_params: { b: 2, c: { deep: true } }, dictionary: { c: 3 } }))
    expect(decodeRpcFrame(frame).messages[0]!.text.params).toEqual({ a: 1, b: 2, c: 3 })
  })

  it('user_params that are not an object are ignored', () => {
    expect(decodeRpcFrame(JSON.stringify(incoming('m3', { user_params: [1], dictionary: 'x' }))).messages[0]!.text.params).toEqual({ a: 1, b: 1 })
  })

  it('a batch yields every message and one mack per message, in order', () => {
    const result = decodeRpcFrame(JSON.stringify([incoming('a'), incoming('b'), { jsonrpc: '2.0', id: 4, result: { ok: 1 } }]))
    expect(result.messages.map((m) => m.mid)).toEqual(['a', 'b'])
    expect(result.replies).toEqual(['mack:a', 'mack:b'])
    expect(result.responses).toEqual([{ id: 4, result: { ok: 1 } }])
  })

  it('results and errors are returned for matching by id', () => {
    expect(decodeRpcFrame('{"jsonrpc":"2.0","id":7,"result":{"1":0}}').responses).toEqual([{ id: 7, result: { 1: 0 } }])
    expect(decodeRpcFrame('{"jsonrpc":"2.0","id":8,"error":{"code":-32601,"message":"Method not found"}}').responses)
      .toEqual([{ id: 8, error: { code: -32601, message: 'Method not found' } }])
  })

  it('an unknown server method is reported, not answered (Bitrix builds the -32601 but never sends it)', () => {
    const result = decodeRpcFrame('{"jsonrpc":"2.0","method":"server.surprise","params":{}}')
    expect(result.replies).toEqual([])
    expect(result.issues).toMatchObject([{ kind: 'unknown-method' }])
  })

  it('malformed JSON is reported and nothing is sent back', () => {
    expect(decodeRpcFrame('{"jsonrpc":')).toMatchObject({ messages: [], replies: [], issues: [{ kind: 'bad-json' }] })
  })

  it('a bad batch item is skipped and the next one still delivered', () => {
    const badBody = incoming('bad')
    ;(badBody.params as Record<string, unknown>).body = { command: 'no module' }
    const result = decodeRpcFrame(JSON.stringify([42, badBody, { nope: 1 }, incoming('good')]))
    expect(result.messages.map((m) => m.mid)).toEqual(['good'])
    // The unreadable message is still acknowledged: redelivering it would not make it readable.
    expect(result.replies).toEqual(['mack:bad', 'mack:good'])
    expect(result.issues.map((i) => [i.kind, i.index])).toEqual([['bad-shape', 0], ['bad-shape', 1], ['bad-shape', 2]])
    expect(result.issues[1]!.mid).toBe('bad')
  })

  it('a frame that is JSON but neither request nor response is reported', () => {
    expect(decodeRpcFrame('{"jsonrpc":"2.0","id":1}').issues).toMatchObject([{ kind: 'unknown-response' }])
    expect(decodeRpcFrame('"pong"').issues).toMatchObject([{ kind: 'bad-shape' }])
  })
})

describe('client requests', () => {
  it('encodes publish and getUsersLastSeen as JSON-RPC 2.0 requests with ids', () => {
    const publish = createRpcRequest('publish', { channelList: ['p.s'], body: { module_id: 'app', command: 'hi', params: {} }, expiry: 60 }, 1)
    const lastSeen = createRpcRequest('getUsersLastSeen', { userList: [1, 2] }, 2)
    expect(encodeRpcRequests(publish)).toBe(
      '{"jsonrpc":"2.0","method":"publish","params":{"channelList":["p.s"],"body":{"module_id":"app","command":"hi","params":{}},"expiry":60},"id":1}',
    )
    expect(JSON.parse(encodeRpcRequests([publish, lastSeen]))).toEqual([publish, lastSeen])
  })
})

describe('server side', () => {
  it('incoming.message splices the published body verbatim and the client decodes it', () => {
    const frame = encodeRpcIncomingMessage({ mid: 'ab12', bodyJson: '{"module_id":"im","command":"x","params":{"s":"$&"}}', sender: { type: 1, id: 'ff' }, user_params: { u: 1 } })
    expect(frame).toBe(
      '{"jsonrpc":"2.0","method":"incoming.message","params":{"mid":"ab12","body":{"module_id":"im","command":"x","params":{"s":"$&"}},"sender":{"type":1,"id":"ff"},"user_params":{"u":1}}}',
    )
    const decoded = decodeRpcFrame(encodeRpcBatchFrame([frame, encodeRpcIncomingMessage({ mid: 'ab13', bodyJson: '{"module_id":"im","command":"y"}' })]))
    expect(decoded.messages.map((m) => [m.mid, m.text.params, m.text.extra.sender])).toEqual([
      ['ab12', { s: '$&', u: 1 }, { type: 1, id: 'ff' }],
      // No params and no sender in the frame: Bitrix passes on what it got (B.3, PULL-61).
      ['ab13', undefined, undefined],
    ])
  })

  it('classifies client frames: pong, mack, requests (single and batch), garbage', () => {
    expect(decodeRpcClientFrame('pong')).toEqual({ kind: 'pong' })
    expect(decodeRpcClientFrame('mack:abc')).toEqual({ kind: 'mack', mid: 'abc' })
    expect(decodeRpcClientFrame(encodeRpcRequests(createRpcRequest('ping', {}, 3)))).toEqual({
      kind: 'requests', requests: [{ method: 'ping', params: {}, id: 3 }], invalid: 0, batch: false,
    })
    expect(decodeRpcClientFrame('[{"jsonrpc":"2.0","method":"publish","params":{"body":{}}},{"x":1}]')).toEqual({
      kind: 'requests', requests: [{ method: 'publish', params: { body: {} } }], invalid: 1, batch: true,
    })
    expect(decodeRpcClientFrame('{"jsonrpc":')).toMatchObject({ kind: 'invalid' })
    expect(decodeRpcClientFrame('{"a":1}')).toMatchObject({ kind: 'invalid' })
  })

  it('encodes results and errors', () => {
    expect(encodeRpcResult(5, { 1: 0 })).toBe('{"jsonrpc":"2.0","result":{"1":0},"id":5}')
    expect(JSON.parse(encodeRpcError(null, RpcErrors.MethodNotFound))).toEqual({ jsonrpc: '2.0', error: { code: -32601, message: 'Method not found' }, id: null })
  })
})
