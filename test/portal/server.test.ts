// @vitest-environment node
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { request as httpRequest } from 'node:http'
import { createMockPortal, type MockPortal } from '../../src/portal/portal'
import { startPortalServer, type PortalServer } from '../../src/portal/server'

/** The one browser origin this server lets call it (an app under development). */
const APP_PAGE = 'http://localhost:5173'

let portal: MockPortal
let server: PortalServer
let token: string

beforeAll(async () => {
  portal = createMockPortal()
  server = await startPortalServer({ portal, maxBodyBytes: 64 * 1024, allowOrigins: [APP_PAGE] })
  token = portal.issueAuth().accessToken
})
afterAll(() => server.close())

/** Raw HTTP, so tests control every header (fetch would add its own and refuses some). */
function raw(method: string, path: string, body = '', headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: server.port, method, path, headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }))
    })
    req.on('error', reject)
    req.end(body)
  })
}

describe('HTTP dev portal', () => {
  it('binds to 127.0.0.1 on an ephemeral port and refuses non-loopback hosts', async () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`)
    expect(server.port).toBeGreaterThan(0)
    await expect(startPortalServer({ portal, host: '0.0.0.0' })).rejects.toThrow(/loopback/)
  })

  it('BX24-27 answers POST /rest/<method>.json with the form body BX24 sends (no content type at all)', async () => {
    const res = await raw('POST', '/rest/crm.deal.list.json', `auth=${token}&start=50&order[ID]=DESC&select[]=ID`)
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8')
    const body = JSON.parse(res.text)
    expect([body.result[0].ID, body.total, body.next]).toEqual(['70', 120, 100])
  })

  it('answers /rest/<method> with a JSON body and b24jssdk telemetry in the query', async () => {
    const res = await fetch(`${server.url}/rest/user.current?bx24_request_id=x&bx24_sdk_ver=2.2.0&bx24_sdk_type=b24-js-sdk`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ auth: token }),
    })
    expect(res.status).toBe(200)
    expect((await res.json()).result.NAME).toBe('Anna')
  })

  it('answers GET with params in the query string, and the webhook path form', async () => {
    const get = await fetch(`${server.url}/rest/crm.deal.get.json?auth=${token}&id=3`)
    expect((await get.json()).result.TITLE).toBe('Deal #3')
    const hook = await fetch(`${server.url}/rest/1/${portal.state.webhooks[0]!.secret}/crm.deal.get.json?id=4`)
    expect((await hook.json()).result.TITLE).toBe('Deal #4')
    const bad = await fetch(`${server.url}/rest/1/wrong/crm.deal.get.json?id=4`)
    expect(bad.status).toBe(401)
  })

  it('BX24-45 carries the REST status map over HTTP (401, 404) with JSON bodies', async () => {
    const nf = await raw('POST', '/rest/no.such.method.json', `auth=${token}`)
    expect([nf.status, JSON.parse(nf.text).error]).toEqual([404, 'ERROR_METHOD_NOT_FOUND'])
    const na = await raw('POST', '/rest/user.current.json', '')
    expect([na.status, JSON.parse(na.text).error]).toEqual([401, 'NO_AUTH_FOUND'])
  })

  it('CORS: the allowed app origin gets Access-Control-Allow-Origin naming it (never *), and the JSON preflight is answered', async () => {
    const pre = await raw('OPTIONS', '/rest/user.current', '', {
      origin: APP_PAGE, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type',
    })
    expect(pre.status).toBe(204)
    expect(pre.headers['access-control-allow-origin']).toBe(APP_PAGE)
    expect(pre.headers.vary).toBe('Origin')
    expect(String(pre.headers['access-control-allow-headers'])).toContain('content-type')
    expect(String(pre.headers['access-control-allow-methods'])).toContain('POST')
    const post = await raw('POST', '/rest/user.current.json', `auth=${token}`, { origin: APP_PAGE })
    expect(post.headers['access-control-allow-origin']).toBe(APP_PAGE)
    const err = await raw('POST', '/rest/nope', '', { origin: APP_PAGE })
    expect(err.headers['access-control-allow-origin']).toBe(APP_PAGE)
    // A non-browser client (no Origin) is answered, with no CORS header at all.
    const curl = await raw('POST', '/rest/user.current.json', `auth=${token}`)
    expect([curl.status, curl.headers['access-control-allow-origin']]).toEqual([200, undefined])
  })

  it('hostile: a body over the limit is 413 with a JSON error', async () => {
    const res = await raw('POST', '/rest/user.current.json', `auth=${token}&x=${'a'.repeat(100 * 1024)}`)
    expect(res.status).toBe(413)
    expect(JSON.parse(res.text).error).toBe('INVALID_REQUEST')
    // The server is still fine afterwards.
    expect((await raw('POST', '/rest/user.current.json', `auth=${token}`)).status).toBe(200)
  })

  it('hostile: broken JSON, bad percent-encoding in the path, multipart, other verbs and other paths', async () => {
    const json = await raw('POST', '/rest/user.current', '{"auth":', { 'content-type': 'application/json' })
    expect([json.status, JSON.parse(json.text).error]).toEqual([400, 'INVALID_REQUEST'])
    const pct = await raw('POST', '/rest/%E0%A4%A.json', `auth=${token}`)
    expect([pct.status, JSON.parse(pct.text).error]).toEqual([404, 'ERROR_METHOD_NOT_FOUND'])
    const multi = await raw('POST', '/rest/user.current', '--x--', { 'content-type': 'multipart/form-data; boundary=x' })
    expect(multi.status).toBe(400)
    const put = await raw('PUT', '/rest/user.current', `auth=${token}`)
    expect(put.status).toBe(405)
    const root = await raw('GET', '/etc/passwd')
    expect(root.status).toBe(404)
    const trav = await raw('GET', `/rest/..%2F..%2Fetc%2Fpasswd?auth=${token}`)
    expect(trav.status).toBe(404)
  })

  it('hostile: __proto__ in a form body over HTTP is data, and the server stays up', async () => {
    const res = await raw('POST', '/rest/user.option.set.json', `auth=${token}&options[__proto__][x]=1&__proto__[y]=2`)
    expect(res.status).toBe(200)
    expect(({} as Record<string, unknown>).x).toBeUndefined()
    expect(({} as Record<string, unknown>).y).toBeUndefined()
    const get = await raw('POST', '/rest/user.option.get.json', `auth=${token}`)
    expect(JSON.parse(get.text).result).toEqual({ ['__proto__']: { x: '1' } })
  })

  it('close() stops listening', async () => {
    const other = await startPortalServer({ portal })
    await other.close()
    await expect(fetch(`${other.url}/rest/server.time`)).rejects.toThrow()
  })
})

describe('createPortalHttpHandler', () => {
  it('mounts the REST side on a server that also serves other routes', async () => {
    const { createServer } = await import('node:http')
    const { createPortalHttpHandler } = await import('../../src/portal/server')
    const rest = createPortalHttpHandler({ portal })
    const srv = createServer((req, res) => {
      if ((req.url ?? '').startsWith('/rest/') || req.method === 'OPTIONS') return void rest(req, res)
      res.writeHead(200, { 'content-type': 'text/plain' }).end('page')
    })
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()))
    const base = `http://127.0.0.1:${(srv.address() as { port: number }).port}`
    try {
      expect(await (await fetch(`${base}/demo/`)).text()).toBe('page')
      expect((await (await fetch(`${base}/rest/server.time.json?auth=${token}`)).json()).result).toMatch(/^\d{4}-/)
    } finally {
      srv.closeAllConnections()
      await new Promise((r) => srv.close(r))
    }
  })
})
