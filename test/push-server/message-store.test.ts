import { describe, expect, it } from 'vitest'
import { createMessageStore, messageTtl, type StoredMessage } from '../../src/push-server/message-store'
import { createMidSource } from '../../src/push-server/mid'

function message(mid: string, channels: string[], createdMs: number, ttlSec = 86_400): StoredMessage {
  return { mid, id: Number(mid.slice(-4)), channels, body: '{}', createdMs, ttlSec }
}

describe('mid generation', () => {
  it('1.x: 26 digits, 10 of the start time in unix seconds, then a 16-digit counter', () => {
    const source = createMidSource('decimal', 1_795_424_610_613)
    expect(source.next()).toEqual({ mid: '17954246100000000000000001', id: 1 })
    expect(source.next()).toEqual({ mid: '17954246100000000000000002', id: 2 })
    expect(source.isValid('17954246100000000000000002')).toBe(true)
    expect(source.isValid('123')).toBe(false)
  })

  it('binary/JSON-RPC modes: 32 lower-case hex digits, increasing in string order', () => {
    const source = createMidSource('hex', 1_700_000_000_000)
    const mids = Array.from({ length: 20 }, () => source.next().mid)
    expect(mids.every((m) => /^[0-9a-f]{32}$/.test(m))).toBe(true)
    expect([...mids].sort()).toEqual(mids)
  })
})

describe('message TTL', () => {
  it.each([
    [undefined, 86_400], ['3', 3], ['999999', 86_400], ['abc', 86_400], ['0', 86_400], ['-5', 86_400], [30, 30],
  ])('Message-Expiry %s stores for %i s (only lowers, as captured)', (expiry, ttl) => {
    expect(messageTtl(expiry)).toBe(ttl)
  })
})

describe('message store', () => {
  it('an expired message silently drops out of catch-up (captured: expiry 3 s)', () => {
    let now = 1_000_000
    const store = createMessageStore(() => now)
    store.add(message('17954246100000000000000024', ['a'], now, 3))
    store.add(message('17954246100000000000000025', ['a'], now))
    expect(store.after(['a'], '0'.repeat(26)).map((m) => m.mid)).toEqual(['17954246100000000000000024', '17954246100000000000000025'])
    now += 4000
    expect(store.after(['a'], '0'.repeat(26)).map((m) => m.mid)).toEqual(['17954246100000000000000025'])
    now += 86_400_000
    expect(store.after(['a'], '0'.repeat(26))).toEqual([])
    expect(store.size()).toBe(0)
  })

  it('catch-up spans several channels, each message once, oldest first, strictly after the mid', () => {
    const store = createMessageStore(() => 0)
    store.add(message('01', ['a', 'b'], 0))
    store.add(message('02', ['b'], 0))
    store.add(message('03', ['a'], 0))
    store.add(message('04', ['c'], 0))
    expect(store.after(['b', 'a'], '01').map((m) => m.mid)).toEqual(['02', '03'])
    expect(store.newestMid(['a', 'b'])).toBe('03')
    expect(store.newestMid(['z'])).toBe('')
  })

  it('a mid from the future yields nothing (captured)', () => {
    const store = createMessageStore(() => 0)
    store.add(message('17954246100000000000000001', ['a'], 0))
    expect(store.after(['a'], '99999999990000000000000000')).toEqual([])
  })

  it('forgetting a channel drops its messages', () => {
    const store = createMessageStore(() => 0)
    store.add(message('01', ['a'], 0))
    store.forgetChannel('a')
    expect(store.after(['a'], '00')).toEqual([])
  })
})
