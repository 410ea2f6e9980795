// @vitest-environment node
// The dev portal (portal origin, app origin, push server) while `npm start` runs next to a browser: no website can
// read, change or crash it (issue 14). The browser side of the same attacks is e2e/attacker.spec.ts.
import { mkdtempSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startDevPortal, type DevPortal } from '../../src/dev/server'
import { defaultSeed } from '../../src/portal/seed'
import { postJson, send } from './http'

const root = resolve(__dirname, '../..')
const ATTACKER = 'http://attacker.test:8000'
let dev: DevPortal
const pushSub = () => `${dev.pushUrl}/bitrix/sub/?CHANNEL_ID=${dev.push.signChannel('0'.repeat(32))}`

beforeAll(async () => {
  dev = await startDevPortal({ port: 0, root })
})
afterAll(() => dev.close())

/** Reads the live log a new page would get (the replayed history), for `ms`. */
function readEvents(ms: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${dev.portalUrl}/dev/events`, (res) => {
      let text = ''
      res.on('data', (chunk: Buffer) => (text += chunk))
      setTimeout(() => {
        req.destroy()
        resolve(text)
      }, ms)
    })
    req.on('error', reject)
    req.end()
  })
}

describe('SEC-1 every server answers only to its own host names (DNS rebinding)', () => {
  it('SEC-1 a request naming attacker.test gets 403 and no data, on the portal, app and push origins', async () => {
    const portalPort = new URL(dev.portalUrl).port
    for (const url of [`${dev.portalUrl}/dev/info`, `${dev.portalUrl}/demo/portal.html`, `${dev.portalUrl}/`, `${dev.appUrl}`, pushSub()]) {
      const reply = await send(url, { headers: { host: `attacker.test:${new URL(url).port}` } })
      expect([url, reply.status]).toEqual([url, 403])
      expect(reply.text).not.toMatch(/appUrl|<html|users/i)
    }
    const session = await postJson(`${dev.portalUrl}/dev/session`, {}, { host: `attacker.test:${portalPort}` })
    expect([session.status, session.text]).not.toContain('accessToken')
    expect(session.status).toBe(403)
    const hook = await send(`${dev.webhookUrl}user.current.json`, { method: 'POST', headers: { host: `attacker.test:${portalPort}` } })
    expect(hook.status).toBe(403)
  })

  it('SEC-1 its own names are served: 127.0.0.1, localhost and [::1] with the right port', async () => {
    const port = new URL(dev.portalUrl).port
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]) {
      expect((await send(`${dev.portalUrl}/dev/info`, { headers: { host } })).status).toBe(200)
    }
    expect((await send(`${dev.portalUrl}/dev/info`, { headers: { host: `127.0.0.1:${Number(port) + 10}` } })).status).toBe(403)
  })
})

describe('SEC-2 only the portal and app pages may call it from a browser', () => {
  it('SEC-2 a page of another origin cannot use the webhook, even knowing its secret: 403 before the call runs, no CORS', async () => {
    const deals = () => dev.portal.records('crm.deal').length
    const before = deals()
    for (const headers of [{ origin: ATTACKER }, { origin: 'null' }, { 'sec-fetch-site': 'cross-site' }] as Record<string, string>[]) {
      // A "simple" cross-site POST (no preflight) that could not read its answer must still change nothing.
      const add = await send(`${dev.webhookUrl}crm.deal.add.json`, { method: 'POST', headers: { 'content-type': 'text/plain', ...headers }, body: 'fields[TITLE]=pwned' })
      expect(add.status).toBe(403)
      expect(add.headers['access-control-allow-origin']).toBeUndefined()
      const read = await send(`${dev.webhookUrl}user.current.json`, { headers })
      expect([read.status, read.text.includes('"result"')]).toEqual([403, false])
    }
    const pre = await send(`${dev.portalUrl}/rest/user.current`, { method: 'OPTIONS', headers: { origin: ATTACKER, 'access-control-request-method': 'POST' } })
    expect([pre.status, pre.headers['access-control-allow-origin']]).toEqual([403, undefined])
    expect(deals()).toBe(before)
  })

  it('SEC-2 the app origin and the portal origin are answered with CORS naming them; a non-browser client with no CORS at all', async () => {
    const { accessToken } = dev.portal.issueAuth()
    for (const origin of [dev.appOrigin, new URL(dev.portalUrl).origin]) {
      const reply = await send(`${dev.portalUrl}/rest/user.current.json`, { method: 'POST', headers: { origin }, body: `auth=${accessToken}` })
      expect([reply.status, reply.headers['access-control-allow-origin'], reply.headers.vary]).toEqual([200, origin, 'Origin'])
    }
    const curl = await send(`${dev.webhookUrl}user.current.json`)
    expect([curl.status, curl.headers['access-control-allow-origin']]).toEqual([200, undefined])
  })

  it('SEC-2 the push server takes the app page and refuses other pages', async () => {
    expect((await send(pushSub(), { headers: { origin: ATTACKER } })).status).toBe(403)
    // A valid id held by the app page: it is not refused (the long poll is held, so only the head is awaited).
    await new Promise<void>((done, fail) => {
      const req = httpRequest(pushSub(), { headers: { origin: dev.appOrigin } }, (res) => {
        expect(res.headers['access-control-allow-origin']).toBe(dev.appOrigin)
        req.destroy()
        done()
      })
      req.on('error', fail)
      req.end()
      setTimeout(() => dev.push.publish('0'.repeat(32), { module_id: 'x', command: 'y', params: {}, extra: {} }), 50)
    })
  })
})

describe('SEC-3 the /dev API is the portal page\'s alone', () => {
  const portalOrigin = () => new URL(dev.portalUrl).origin

  it('SEC-3 every mutating endpoint is POST-only: GET (an <img src>) changes nothing', async () => {
    const published: unknown[] = []
    const off = dev.onLog((entry) => entry.kind === 'pull' || entry.kind === 'fault' ? published.push(entry) : undefined)
    try {
      for (const name of ['publish', 'fault?kind=drop', 'mutate?op=markInstalled', 'session', 'refresh']) {
        const reply = await send(`${dev.portalUrl}/dev/${name}`)
        expect([name, reply.status]).toEqual([name, 405])
        expect(reply.text).not.toContain('accessToken')
      }
      expect(published).toEqual([])
    } finally {
      off()
    }
  })

  it('SEC-3 a page of another origin can neither read nor write it; a cross-site form (no JSON type) is refused too', async () => {
    for (const headers of [{ origin: ATTACKER }, { origin: dev.appOrigin }, { origin: 'null' }]) {
      expect((await postJson(`${dev.portalUrl}/dev/session`, {}, headers)).status).toBe(403)
      expect((await postJson(`${dev.portalUrl}/dev/publish`, { command: 'x' }, headers)).status).toBe(403)
      expect((await send(`${dev.portalUrl}/dev/info`, { headers })).status).toBe(403)
      expect((await send(`${dev.portalUrl}/dev/events`, { headers })).status).toBe(403)
    }
    expect((await send(`${dev.portalUrl}/dev/info`, { headers: { 'sec-fetch-site': 'cross-site' } })).status).toBe(403)
    const form = await send(`${dev.portalUrl}/dev/publish`, { method: 'POST', headers: { origin: portalOrigin(), 'content-type': 'text/plain' }, body: '{}' })
    expect(form.status).toBe(415)
  })

  it('SEC-3 the portal page itself (its origin, same-origin fetch metadata) and non-browser clients are served', async () => {
    const page = await postJson(`${dev.portalUrl}/dev/session`, { userId: 2 }, { origin: portalOrigin(), 'sec-fetch-site': 'same-origin' })
    expect(page.status).toBe(200)
    expect(JSON.parse(page.text).grant.accessToken).toMatch(/^[0-9a-f]{64}$/)
    expect((await send(`${dev.portalUrl}/dev/info`, { headers: { 'sec-fetch-site': 'same-origin' } })).status).toBe(200)
    expect((await postJson(`${dev.portalUrl}/dev/publish`, { command: 'fromCurl' })).status).toBe(200)
  })
})

describe('SEC-4 secrets are new every run unless pinned', () => {
  it('SEC-4 two runs share no webhook secret, member id, application token, channel id or signature key; the old fixed ones are gone', async () => {
    const other = await startDevPortal({ port: 0, root })
    try {
      const config = async (d: DevPortal) => {
        const reply = await send(`${d.webhookUrl}pull.application.config.get.json`, { method: 'POST' })
        return JSON.parse(reply.text).result
      }
      const [a, b] = [await config(dev), await config(other)]
      expect(dev.webhookUrl).not.toBe(other.webhookUrl)
      expect(dev.webhookUrl).toMatch(/\/rest\/1\/[0-9a-f]{24}\/$/)
      expect(dev.portal.state.memberId).not.toBe(other.portal.state.memberId)
      expect(dev.portal.state.app.applicationToken).not.toBe(other.portal.state.app.applicationToken)
      expect(dev.signatureKey).not.toBe(other.signatureKey)
      expect(a.channels.shared.id).not.toBe(b.channels.shared.id)
      expect(a.channels.private.id).not.toBe(b.channels.private.id)
      // Channel ids carry a signature the push server checks: knowing an id is not enough to subscribe.
      expect(a.channels.shared.id).toMatch(/^[0-9a-f]{32}\.[0-9a-f]{40}$/)
      const old = await send(`${dev.portalUrl}/rest/1/devwebhooksecret0001/user.current.json`, { method: 'POST' })
      expect(old.status).toBe(401)
    } finally {
      await other.close()
    }
  })

  it('SEC-4 a seed and a signature key pin them: the same member id and key give the same channels after a restart', async () => {
    const seed = defaultSeed()
    seed.portal!.memberId = 'f'.repeat(32)
    seed.webhooks = [{ userId: 2, secret: 'pinnedsecret' }]
    const runs = [await startDevPortal({ port: 0, root, seed, signatureKey: 'pinned-key' }), await startDevPortal({ port: 0, root, seed, signatureKey: 'pinned-key' })]
    try {
      const ids = []
      for (const run of runs) {
        expect(run.webhookUrl).toBe(`${run.portalUrl}/rest/2/pinnedsecret/`)
        const reply = await send(`${run.webhookUrl}pull.application.config.get.json`, { method: 'POST' })
        ids.push(JSON.parse(reply.text).result.channels.shared.id)
      }
      expect(ids[0]).toBe(ids[1])
    } finally {
      for (const run of runs) await run.close()
    }
  })
})

describe('SEC-6 pages cannot be framed by others; files stay under their root', () => {
  it('SEC-6 the portal page says frame-ancestors \'self\'; the app page may be framed (a portal must frame it)', async () => {
    const page = await send(`${dev.portalUrl}/demo/portal.html`)
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'self'")
    const app = await send(dev.appUrl)
    expect(app.status).toBe(200)
    expect(app.headers['content-security-policy']).not.toContain('frame-ancestors')
  })

  it('SEC-6 a symlink under demo/ that points out of the root is not followed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bx24-shim-root-'))
    const outside = mkdtempSync(join(tmpdir(), 'bx24-shim-secret-'))
    writeFileSync(join(outside, 'secret.txt'), 'TOP SECRET')
    mkdirSync(join(dir, 'demo'))
    writeFileSync(join(dir, 'demo', 'ok.txt'), 'fine')
    symlinkSync(join(outside, 'secret.txt'), join(dir, 'demo', 'leak.txt'))
    symlinkSync(outside, join(dir, 'demo', 'elsewhere'))
    const run = await startDevPortal({ port: 0, root: dir })
    try {
      expect((await send(`${run.portalUrl}/demo/ok.txt`)).text).toBe('fine')
      for (const path of ['/demo/leak.txt', '/demo/elsewhere/secret.txt']) {
        const reply = await send(`${run.portalUrl}${path}`)
        expect([path, reply.status, reply.text.includes('SECRET')]).toEqual([path, 404, false])
      }
    } finally {
      await run.close()
    }
  })
})

describe('SEC-8 SEC-9 hostile bodies and bounded logs', () => {
  it('SEC-8 a 20,000-deep JSON body is refused, and the live log (a new page\'s /dev/events) still answers afterwards', async () => {
    const deep = '['.repeat(20_000) + ']'.repeat(20_000)
    const reply = await send(`${dev.portalUrl}/rest/user.current.json`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: deep })
    expect(reply.status).toBe(400)
    const deepObject = '{"a":'.repeat(20_000) + '1' + '}'.repeat(20_000)
    const form = await send(`${dev.webhookUrl}user.current.json`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: `{"x":${deepObject}}` })
    expect(form.status).toBe(400)
    const publish = await send(`${dev.portalUrl}/dev/publish`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: `{"command":"c","params":${deep}}` })
    expect([publish.status, publish.text]).toEqual([400, expect.stringContaining('depth')])
    const log = await readEvents(300)
    expect(log).toContain('"kind":"rest"')
    expect((await send(`${dev.portalUrl}/dev/info`)).status).toBe(200)
  })

  it('SEC-9 a /dev body over 64 KB is answered 413, not kept, and the API goes on', async () => {
    const big = await postJson(`${dev.portalUrl}/dev/publish`, { command: 'big', params: { blob: 'b'.repeat(100_000) } })
    expect([big.status, JSON.parse(big.text).error]).toEqual([413, 'BODY_TOO_LARGE'])
    expect((await send(`${dev.portalUrl}/dev/info`)).status).toBe(200)
  })

  it('SEC-9 the log keeps 200 entries of bounded previews, however big the bodies', async () => {
    // Over 64 KB: logged by size only. Under it, 200 keys of 300 characters: cut to 40 keys.
    const big = `x=${'a'.repeat(100_000)}`
    const wide = Array.from({ length: 200 }, (_, i) => `k${i}=${'v'.repeat(300)}`).join('&')
    for (let i = 0; i < 210; i++) await send(`${dev.webhookUrl}user.current.json`, { method: 'POST', body: i % 2 ? big : wide })
    const log = await readEvents(500)
    const frames = log.split('\n\n').filter(Boolean)
    expect(frames.length).toBeLessThanOrEqual(200)
    expect(log.length).toBeLessThan(200 * 16 * 1024)
    expect(log).toContain('"…":"100002 characters"')
    expect(log).toContain('"…":"160 more keys"')
  }, 60_000)

})

describe('SEC-13 opening the portal to a network is deliberate', () => {
  it('SEC-13 listening beyond loopback needs allowHosts; names opted into are then served', async () => {
    await expect(startDevPortal({ port: 0, root, host: '0.0.0.0' })).rejects.toThrow(/allowHosts/)
    const lan = await startDevPortal({ port: 0, root, allowHosts: ['devbox.lan'] })
    try {
      const port = new URL(lan.portalUrl).port
      expect((await send(`${lan.portalUrl}/dev/info`, { headers: { host: `devbox.lan:${port}` } })).status).toBe(200)
      expect((await send(`${lan.portalUrl}/dev/info`, { headers: { host: `otherbox.lan:${port}` } })).status).toBe(403)
      const page = await postJson(`${lan.portalUrl}/dev/session`, {}, { host: `devbox.lan:${port}`, origin: `http://devbox.lan:${port}` })
      expect(page.status).toBe(200)
    } finally {
      await lan.close()
    }
  })
})
