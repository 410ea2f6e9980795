// @vitest-environment node
// Event delivery from the dev portal to handlers (event-sender.ts), the trigger (trigger.ts) and their /dev route.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { resolve } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { createEventSender, type DeliveryLogEntry } from '../../src/dev/event-sender'
import { startDevPortal, type DevPortal } from '../../src/dev/server'
import { eventData, normalizeTrigger } from '../../src/dev/trigger'
import { loadCatalog } from '../../src/dev/catalog-file'
import type { EventDelivery } from '../../src/portal/index'


const root = resolve(__dirname, '../..')
const delivery = (handler: string): EventDelivery => ({ event: 'ONCRMDEALUPDATE', handler, body: 'event=ONCRMDEALUPDATE&data%5BFIELDS%5D%5BID%5D=1', data: {} })

let handler: Server
let handlerUrl: string
const received: { body: string; type: string | undefined }[] = []
let answerStatus = 200
beforeAll(async () => {
  handler = createServer((req, res) => {
    let body = ''
    req.on('data', (c) => (body += c))
    req.on('end', () => {
      received.push({ body, type: req.headers['content-type'] })
      res.writeHead(answerStatus).end('OK')
    })
  })
  await new Promise<void>((done) => handler.listen(0, '127.0.0.1', () => done()))
  handlerUrl = `http://127.0.0.1:${(handler.address() as AddressInfo).port}/handler`
})
afterAll(async () => {
  handler.closeAllConnections()
  await new Promise((done) => handler.close(done))
})
afterEach(() => {
  received.length = 0
  answerStatus = 200
  vi.useRealTimers()
})

describe('createEventSender', () => {
  it('DEV-29 POSTs the form body after the delay, once, and logs URL, status, time and body', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout'] })
    const log: DeliveryLogEntry[] = []
    const sender = createEventSender({ delayMs: 1000, emit: (e) => log.push(e) })
    sender.send(delivery(handlerUrl))
    await vi.advanceTimersByTimeAsync(999)
    expect(received).toHaveLength(0)
    await vi.advanceTimersByTimeAsync(1)
    vi.useRealTimers()
    await sender.settled()
    expect(received).toEqual([{ body: 'event=ONCRMDEALUPDATE&data%5BFIELDS%5D%5BID%5D=1', type: 'application/x-www-form-urlencoded' }])
    expect(log).toEqual([expect.objectContaining({ kind: 'event', event: 'ONCRMDEALUPDATE', url: handlerUrl, status: 200, body: 'event=ONCRMDEALUPDATE&data%5BFIELDS%5D%5BID%5D=1' })])
  })

  it('DEV-29 no retries: a handler that fails or cannot be reached gets one attempt, logged with its status or error', async () => {
    answerStatus = 500
    const log: DeliveryLogEntry[] = []
    const sender = createEventSender({ delayMs: 0, emit: (e) => log.push(e) })
    sender.send(delivery(handlerUrl))
    sender.send(delivery('http://127.0.0.1:1/nobody'))
    await sender.settled()
    expect(received).toHaveLength(1)
    expect(log.map((e) => e.status).sort()).toEqual([0, 500])
    expect(log.find((e) => e.status === 0)!.error).toBeTruthy()
  })

  it('DEV-29 a burst waits its turn: at most `concurrency` POSTs in flight, none lost', async () => {
    let inFlight = 0
    let most = 0
    const release: (() => void)[] = []
    const fakeFetch = (async () => {
      inFlight++
      most = Math.max(most, inFlight)
      await new Promise<void>((r) => release.push(r))
      inFlight--
      return new Response('OK')
    }) as unknown as typeof fetch
    const log: DeliveryLogEntry[] = []
    const sender = createEventSender({ delayMs: 0, concurrency: 3, fetch: fakeFetch, emit: (e) => log.push(e) })
    for (let i = 0; i < 10; i++) sender.send(delivery(handlerUrl))
    const done = sender.settled()
    while (log.length < 10) {
      await new Promise((r) => setTimeout(r, 5))
      release.splice(0).forEach((r) => r())
    }
    await done
    expect(most).toBe(3)
    expect(log.every((e) => e.status === 200)).toBe(true)
  })

  it('DEV-29 close() cancels deliveries still waiting for their delay', async () => {
    const log: DeliveryLogEntry[] = []
    const sender = createEventSender({ delayMs: 50, emit: (e) => log.push(e) })
    sender.send(delivery(handlerUrl))
    sender.close()
    await new Promise((r) => setTimeout(r, 100))
    expect(received).toHaveLength(0)
  })
})

describe('trigger', () => {
  const { catalog } = loadCatalog(root)

  it('DEV-30 event data: CRM events carry FIELDS.ID; others the documented data with the object id put in', () => {
    expect(eventData('ONCRMDEALUPDATE', 7, catalog)).toEqual({ FIELDS: { ID: 7 } })
    expect(eventData('ONTASKUPDATE', 5, catalog)).toEqual({ FIELDS_BEFORE: { ID: 5 }, FIELDS_AFTER: { ID: 5 }, IS_ACCESSIBLE_BEFORE: 'undefined', IS_ACCESSIBLE_AFTER: 'undefined' })
    expect(eventData('ONAPPINSTALL', 1, catalog)).toEqual({ VERSION: '1.0.0', ACTIVE: 'Y', INSTALLED: 'Y', LANGUAGE_ID: 'de' })
    expect(eventData('ONSOMETHINGELSE', 1, undefined)).toEqual({})
  })

  it('DEV-30 bad trigger requests are refused with the field named', () => {
    expect(() => normalizeTrigger({})).toThrow(/event/)
    expect(() => normalizeTrigger({ event: 'x y' })).toThrow(/event/)
    expect(() => normalizeTrigger({ event: 'ONX', count: 0 })).toThrow(/count/)
    expect(() => normalizeTrigger({ event: 'ONX', count: 1e9 })).toThrow(/count/)
    expect(() => normalizeTrigger({ event: 'ONX', rate: -1 })).toThrow(/rate/)
    expect(() => normalizeTrigger({ event: 'ONX', id: 'abc' })).toThrow(/id/)
    expect(normalizeTrigger({ event: 'onCrmDealAdd', count: 3, rate: 50 })).toEqual({ event: 'ONCRMDEALADD', count: 3, rate: 50 })
  })
})

describe('the dev portal delivers and triggers', () => {
  let portal: DevPortal
  beforeAll(async () => {
    portal = await startDevPortal({ port: 0, root, eventDelayMs: 0 })
  })
  afterAll(async () => {
    await portal.close()
  })

  it('DEV-6 a REST change reaches the bound handler over HTTP; the live log gets the delivery', async () => {
    const log: unknown[] = []
    const stop = portal.onLog((entry) => void (entry.kind === 'event' && log.push(entry)))
    const token = portal.portal.issueAuth().accessToken
    const rest = (method: string, body: Record<string, unknown>) =>
      fetch(`${portal.portalUrl}/rest/${method}.json`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...body, auth: token }) }).then((r) => r.json())
    expect((await rest('event.bind', { event: 'ONCRMDEALUPDATE', handler: handlerUrl })).result).toBe(true)
    expect((await rest('crm.deal.update', { id: 2, fields: { TITLE: 'over http' } })).result).toBe(true)
    await vi.waitFor(() => expect(received).toHaveLength(1))
    expect(new URLSearchParams(received[0]!.body).get('data[FIELDS][ID]')).toBe('2')
    await vi.waitFor(() => expect(log).toEqual([expect.objectContaining({ url: handlerUrl, status: 200 })]))
    stop()
  })

  it('DEV-30 POST /dev/trigger runs a series and reports the rate reached and the handlers\' answers; GET is refused', async () => {
    const report = await fetch(`${portal.portalUrl}/dev/trigger`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ event: 'ONCRMDEALUPDATE', count: 5, rate: 500, id: 3 }),
    }).then((r) => r.json())
    expect(report).toMatchObject({ event: 'ONCRMDEALUPDATE', triggered: 5, deliveries: 5, delivered: 5, failed: 0 })
    expect(report.rate).toBeGreaterThan(0)
    expect(received.every((r) => new URLSearchParams(r.body).get('data[FIELDS][ID]') === '3')).toBe(true)
    expect((await fetch(`${portal.portalUrl}/dev/trigger`)).status).toBe(405)
    const bad = await fetch(`${portal.portalUrl}/dev/trigger`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ event: '' }) })
    expect([bad.status, (await bad.json()).error_description]).toEqual([400, expect.stringContaining('event')])
  })
})
