import { describe, expect, it } from 'vitest'
import { createManualClock } from '../../src/portal/clock'
import { createLeakyBucket } from '../../src/portal/limiter'
import { form, json, setup } from './helpers'

describe('leaky bucket', () => {
  it('BX24-46 burst 50 then 503 QUERY_LIMIT_EXCEEDED; draining 2/s lets calls through again', async () => {
    const clock = createManualClock()
    const { portal, token } = setup({ clock, rateLimit: {} })
    for (let i = 0; i < 50; i++) expect((await form(portal, 'server.time', '', token)).status).toBe(200)
    const over = await form(portal, 'server.time', '', token)
    expect(over.status).toBe(503)
    expect(over.json).toEqual({ error: 'QUERY_LIMIT_EXCEEDED', error_description: 'Too many requests' })
    clock.advance(499)
    expect((await form(portal, 'server.time', '', token)).status).toBe(503)
    clock.advance(1)
    expect((await form(portal, 'server.time', '', token)).status).toBe(200)
    expect((await form(portal, 'server.time', '', token)).status).toBe(503)
    clock.advance(10_000)
    for (let i = 0; i < 20; i++) expect((await form(portal, 'server.time', '', token)).status).toBe(200)
  })

  it('BX24-46 a batch of 50 commands counts as one request', async () => {
    const clock = createManualClock()
    const { portal, token } = setup({ clock, rateLimit: { burst: 2, drainPerSecond: 1 } })
    const cmd = Array.from({ length: 50 }, () => 'server.time')
    expect((await json(portal, 'batch', { cmd }, token)).json.result.result).toHaveLength(50)
    expect((await json(portal, 'batch', { cmd }, token)).status).toBe(200)
    expect((await json(portal, 'batch', { cmd }, token)).status).toBe(503)
  })

  it('BX24-46 Enterprise numbers (250 burst, 5/s) are options; off by default', async () => {
    const clock = createManualClock()
    const bucket = createLeakyBucket(clock, { burst: 250, drainPerSecond: 5 })
    let taken = 0
    while (bucket.take('p')) taken++
    expect(taken).toBe(250)
    clock.advance(1000)
    expect(bucket.level('p')).toBe(245)
    const { portal, token } = setup({ clock })
    for (let i = 0; i < 120; i++) expect((await form(portal, 'server.time', '', token)).status).toBe(200)
  })

  it('rejected requests are not counted, and unauthenticated ones are refused before the bucket', async () => {
    const clock = createManualClock()
    const { portal, token } = setup({ clock, rateLimit: { burst: 1, drainPerSecond: 1 } })
    for (let i = 0; i < 5; i++) expect((await form(portal, 'server.time', '', 'bad')).status).toBe(401)
    expect((await form(portal, 'server.time', '', token)).status).toBe(200)
    for (let i = 0; i < 5; i++) expect((await form(portal, 'server.time', '', token)).status).toBe(503)
    clock.advance(1000)
    expect((await form(portal, 'server.time', '', token)).status).toBe(200)
  })
})
