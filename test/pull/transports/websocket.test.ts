import { describe, expect, it } from 'vitest'
import { webSocketTransport } from '../../../src/pull'
import { FakeWebSocket } from '../client/helpers'
import { context } from './helpers'

function open() {
  FakeWebSocket.reset()
  const ctx = context({ url: () => 'wss://push.example/bitrix/subws/?CHANNEL_ID=x' })
  const transport = webSocketTransport(FakeWebSocket as never).create(ctx)
  transport.connect()
  return { ctx, transport, socket: FakeWebSocket.last() }
}

describe('WebSocket connector (B.5)', () => {
  it('opens with binaryType arraybuffer and forwards text and binary frames', () => {
    const { ctx, transport, socket } = open()
    expect(socket.url).toBe('wss://push.example/bitrix/subws/?CHANNEL_ID=x')
    expect(socket.binaryType).toBe('arraybuffer')
    expect(transport.connected).toBe(false)
    socket.serverOpen()
    expect(transport.connected).toBe(true)
    const bytes = new Uint8Array([1]).buffer
    socket.serverMessage('text')
    socket.serverMessage(bytes)
    socket.onmessage?.({ data: { not: 'a frame' } })
    expect(ctx.callbacks.frames).toEqual(['text', bytes])
    expect(ctx.callbacks.log).toEqual([['open'], ['message'], ['message']])
  })

  it('send is false while the socket is not open', () => {
    const { transport, socket } = open()
    expect(transport.send('x')).toBe(false)
    socket.serverOpen()
    expect(transport.send('x')).toBe(true)
    expect(socket.sent).toEqual(['x'])
    socket.serverClose(1006)
    expect(transport.send('y')).toBe(false)
  })

  it('a socket that never opened ends in the error path, an open one in the close path', () => {
    const first = open()
    first.socket.serverError()
    first.socket.serverClose(1006)
    expect(first.ctx.callbacks.log).toEqual([['error', '[object Object]']])
    const second = open()
    second.socket.serverClose(1006)
    expect(second.ctx.callbacks.log[0]?.[0]).toBe('error')
    const third = open()
    third.socket.serverOpen()
    third.socket.serverClose(4010, 'wrong channel')
    expect(third.ctx.callbacks.log).toEqual([['open'], ['close', 4010, 'wrong channel']])
  })

  it('disconnect closes with the code and ignores the old socket afterwards: the client has moved on', () => {
    const { ctx, transport, socket } = open()
    socket.serverOpen()
    transport.disconnect(3004, 'manual')
    expect(socket.closedWith).toEqual({ code: 3004, reason: 'manual' })
    socket.serverMessage('late')
    socket.serverClose(1000)
    socket.serverError()
    expect(ctx.callbacks.log).toEqual([['open']])
    // The handlers stay callable (no-ops): Node's ws throws an `error` event that has no listener.
    expect(typeof socket.onerror).toBe('function')
  })

  it('a missing or throwing constructor is an error, not a crash', () => {
    const ctx = context()
    webSocketTransport(null).create(ctx).connect()
    expect(ctx.callbacks.log[0]?.[0]).toBe('error')
    const throwing = class { constructor() { throw new SyntaxError('bad url') } }
    const ctx2 = context()
    webSocketTransport(throwing as never).create(ctx2).connect()
    expect(ctx2.callbacks.log).toEqual([['error', 'bad url']])
    expect(webSocketTransport(null).supported()).toBe(false)
  })
})
