// @vitest-environment node
// SEC-12 property-based fuzzing of the dev portal's HTTP entry points (issue 14): REST paths and bodies, and the /dev
// API. Whatever arrives, from whichever origin: the process lives, every request gets an answer below 500, and the
// live log a new page replays stays bounded. One portal per property; bounded runs keep CI fast.
import fc from 'fast-check'
import { resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startDevPortal, type DevPortal } from '../../src/dev/server'
import { rawHttp } from '../push-server/helpers'
import { send } from './http'

const RUNS = 150
let dev: DevPortal
let port: number

beforeAll(async () => {
  dev = await startDevPortal({ port: 0, root: resolve(__dirname, '../..') })
  port = Number(new URL(dev.portalUrl).port)
})
afterAll(() => dev.close())

const origins = () => fc.constantFrom<Record<string, string>>(
  {}, { Origin: 'http://attacker.test' }, { Origin: new URL(dev.portalUrl).origin }, { Origin: dev.appOrigin }, { Origin: 'null' },
  { 'Sec-Fetch-Site': 'cross-site' }, { 'Sec-Fetch-Site': 'same-origin' },
)
const contentTypes = fc.constantFrom(undefined, 'application/json', 'application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16')
const deepJson = fc.integer({ min: 1, max: 30_000 }).map((n) => '['.repeat(n) + ']'.repeat(n))
/** Bodies: JSON of any shape, PHP-style forms with nested brackets and __proto__, deep nesting, junk. */
const bodies = fc.oneof(
  fc.json({ maxDepth: 8 }),
  deepJson,
  fc.array(fc.tuple(fc.constantFrom('auth', 'fields', 'order', '__proto__', 'constructor', 'cmd', 'halt', 'x'), fc.array(fc.constantFrom('[]', '[__proto__]', '[a]', '[0]', '[', ']'), { maxLength: 70 }), fc.string({ maxLength: 20 })), { maxLength: 30 })
    .map((pairs) => pairs.map(([k, path, v]) => `${k}${path.join('')}=${encodeURIComponent(v)}`).join('&')),
  fc.string({ unit: 'grapheme', maxLength: 500 }),
)

async function logStillBounded(): Promise<void> {
  const text = await new Promise<string>((done, fail) => {
    let got = ''
    import('node:http').then(({ request }) => {
      const req = request(`${dev.portalUrl}/dev/events`, (res) => {
        res.on('data', (chunk: Buffer) => (got += chunk))
        setTimeout(() => {
          req.destroy()
          done(got)
        }, 200)
      })
      req.on('error', fail)
      req.end()
    }, fail)
  })
  expect(text.split('\n\n').filter(Boolean).length).toBeLessThanOrEqual(200)
  expect(text.length).toBeLessThan(200 * 16 * 1024)
}

describe('SEC-12 fuzzed dev portal entry points', { timeout: 90_000 }, () => {
  it('SEC-12 REST: any method path (webhook form or not), query, body and content type is answered below 500', async () => {
    const secret = new URL(dev.webhookUrl!).pathname.split('/')[3]!
    await fc.assert(fc.asyncProperty(
      fc.record({
        prefix: fc.constantFrom('', `1/${secret}/`, '1/wrong/', '99/x/', '../', '%2e%2e/'),
        method: fc.oneof(fc.constantFrom('user.current', 'batch', 'crm.deal.list', 'crm.deal.add', 'pull.application.event.add', 'user.option.set', 'entity.add', 'event.bind', 'placement.bind'), fc.string({ maxLength: 40 }).map(encodeURIComponent)),
        suffix: fc.constantFrom('', '.json', '.xml', '/'),
        query: fc.string({ maxLength: 60 }).map((q) => encodeURIComponent(q).replace(/%3D/g, '=').replace(/%26/g, '&')),
        verb: fc.constantFrom('GET', 'POST', 'PUT', 'OPTIONS', 'DELETE'),
        body: bodies,
        type: contentTypes,
        headers: origins(),
      }),
      async ({ prefix, method, suffix, query, verb, body, type, headers }) => {
        const res = await send(`${dev.portalUrl}/rest/${prefix}${method}${suffix}?${query}`, {
          method: verb, headers: { ...headers, ...(type ? { 'content-type': type } : {}) }, body: verb === 'GET' ? undefined : body,
        })
        expect(res.status).toBeGreaterThanOrEqual(200)
        expect(res.status).toBeLessThan(500)
      },
    ), { numRuns: RUNS })
    await logStillBounded()
  })

  it('SEC-12 raw paths, including ones Node cannot parse, on every route are answered', async () => {
    await fc.assert(fc.asyncProperty(
      fc.constantFrom('/rest/', '/dev/', '/demo/', '/dist/', '/'), fc.string({ unit: 'binary', maxLength: 60 }),
      async (route, tail) => {
        const res = await rawHttp(port, { path: `${route}${tail.replace(/[\r\n ]/g, '')}` }).catch((error: Error) => error)
        expect(res).not.toBeInstanceOf(Error)
        expect((res as { status: number }).status).toBeLessThan(500)
      },
    ), { numRuns: RUNS })
  })

  it('SEC-12 /dev API: any route, verb, body and origin is answered below 500', async () => {
    await fc.assert(fc.asyncProperty(
      fc.record({
        name: fc.oneof(fc.constantFrom('info', 'session', 'refresh', 'mutate', 'publish', 'fault', 'events', '__proto__', 'constructor', 'toString', ''), fc.string({ maxLength: 20 }).map(encodeURIComponent)),
        verb: fc.constantFrom('GET', 'POST', 'PUT', 'HEAD'),
        body: fc.oneof(
          fc.record({
            userId: fc.oneof(fc.integer(), fc.string({ maxLength: 5 }), fc.constant(null)),
            op: fc.constantFrom('markRun', 'markInstalled', 'setUserOption', 'setAppOption', '__proto__', 'x'),
            name: fc.oneof(fc.string({ maxLength: 10 }), fc.constant('__proto__')),
            value: fc.jsonValue({ maxDepth: 5 }),
            // No 'restart' / 'slow': they would stall this server's own push clients, and are tested on their own.
            kind: fc.constantFrom('drop', 'duplicate', 'malformed', 'expire', 'nope', '__proto__'),
            command: fc.string({ maxLength: 20 }), moduleId: fc.jsonValue({ maxDepth: 2 }), params: fc.jsonValue({ maxDepth: 6 }),
            refreshToken: fc.string({ maxLength: 70 }),
          }, { requiredKeys: [] }).map((b) => JSON.stringify(b)),
          bodies,
        ),
        type: contentTypes,
        headers: origins(),
      }),
      async ({ name, verb, body, type, headers }) => {
        const res = await send(`${dev.portalUrl}/dev/${name}`, {
          method: verb, headers: { ...headers, ...(type ? { 'content-type': type } : {}) }, body: verb === 'GET' || verb === 'HEAD' ? undefined : body,
          // /dev/events is a stream that never ends: its head is the answer.
          headOnly: name === 'events',
        }).catch((error: Error) => error)
        expect(res).not.toBeInstanceOf(Error)
        expect((res as { status: number }).status).toBeLessThan(500)
      },
    ), { numRuns: RUNS })
    expect(Object.prototype).not.toHaveProperty('polluted')
    await logStillBounded()
  })
})
