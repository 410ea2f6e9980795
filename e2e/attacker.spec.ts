// Issue 14: while the dev portal runs, a website the developer visits tries every attack on it from the same chromium,
// on a second host name (attacker.test, mapped to 127.0.0.1 with --host-resolver-rules): read or change portal data
// through the webhook, mint tokens through /dev, publish or inject pull messages, listen in on the push server,
// rebind its DNS name to the portal. It gets nothing, and the developer's own app in the portal keeps working.
import { createHash } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { expect, test as base } from '@playwright/test'
import type { LogEntry } from '../src/dev/dev-api'
import type { DevPortal } from '../src/dev/server'
import { startTestPortal } from './dev-portal'
import { screenshotEachTest } from './screenshots'

const test = base.extend({
  // The config's chromium, plus one more host name for the attacker that resolves to this machine.
  launchOptions: [async ({ launchOptions }, use) => {
    await use({ ...launchOptions, args: [...(launchOptions.args ?? []), '--host-resolver-rules=MAP attacker.test 127.0.0.1'] })
  }, { scope: 'worker' }],
})

screenshotEachTest()

let portal: DevPortal
let attacker: Server
let attackerOrigin: string
const attackerPages: Record<string, string> = {}
const log: LogEntry[] = []

test.beforeAll(async () => {
  portal = await startTestPortal()
  portal.onLog((entry) => log.push(entry))
  attacker = createServer((req, res) => {
    const page = attackerPages[(req.url ?? '').split('?')[0]!]
    res.writeHead(page ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' })
    res.end(page ?? 'not found')
  })
  await new Promise<void>((done) => attacker.listen(0, '127.0.0.1', () => done()))
  attackerOrigin = `http://attacker.test:${(attacker.address() as AddressInfo).port}`
})
test.afterAll(async () => {
  attacker?.closeAllConnections()
  await new Promise((done) => attacker?.close(done))
  await portal?.close()
})

/** What the attacker knows at best: the old fixed secrets, ids derived from them, and (worst case) today's real ones. */
async function loot() {
  const md5 = (text: string) => createHash('md5').update(text).digest('hex')
  const oldMember = 'a3f1c4e5d6b7a8c9d0e1f2a3b4c5d6e7'
  const config = await (await fetch(`${portal.webhookUrl}pull.application.config.get.json`, { method: 'POST' })).json()
  return {
    portal: portal.portalUrl,
    push: portal.pushUrl,
    hooks: [`${portal.portalUrl}/rest/1/devwebhooksecret0001/`, portal.webhookUrl!],
    channels: [md5(`${oldMember}:app-shared`), md5(`${oldMember}:user:1`), config.result.channels.shared.id, config.result.channels.private.id],
    shared: String(config.result.channels.shared.id).split('.')[0],
  }
}

/**
 * The attacker's page: every attack it can make from a browser, each reporting what it got. `read` attacks must fail
 * outright (a CORS or network error); `blind` ones (no-cors, forms, images) cannot read answers, so the test checks
 * on the server that they changed nothing.
 */
function evilPage(target: Awaited<ReturnType<typeof loot>>): string {
  return `<!doctype html><body><script>
  const T = ${JSON.stringify(target)};
  const results = {};
  const pollute = JSON.stringify({ module_id: 'application', command: 'injected', params: { __proto__: { polluted: 'yes' }, n: 666 }, extra: {} })
    .replace('"params":{', '"params":{"__proto__":{"polluted":"yes"},');
  // Any answer the page may read is a leak (CORS let it through); so is a request the server holds open.
  async function read(name, url, init) {
    const stop = new AbortController();
    const timer = setTimeout(() => stop.abort(), 6000);
    try { const res = await fetch(url, { ...init, signal: stop.signal }); results[name] = 'LEAK ' + res.status }
    catch (e) { results[name] = e.name === 'AbortError' ? 'LEAK held open' : 'blocked' }
    clearTimeout(timer);
  }
  async function blind(name, run) {
    try { await run(); results[name] = 'sent' } catch (e) { results[name] = 'blocked' }
  }
  function socket(url) {
    return new Promise((resolve) => {
      let ws
      try { ws = new WebSocket(url) } catch (e) { return resolve('blocked') }
      ws.onopen = () => resolve('LEAK opened')
      ws.onmessage = (m) => resolve('LEAK message ' + String(m.data).slice(0, 60))
      ws.onerror = () => resolve('blocked')
      ws.onclose = () => resolve('blocked')
      setTimeout(() => resolve('blocked (timeout)'), 4000)
    })
  }
  function img(src) {
    return new Promise((resolve) => { const i = new Image(); i.onload = i.onerror = () => resolve(); i.src = src; document.body.append(i) })
  }
  function form(action, fields) {
    return new Promise((resolve) => {
      const frame = document.createElement('iframe'); frame.name = 'sink' + Math.random(); document.body.append(frame)
      const f = document.createElement('form'); f.method = 'POST'; f.action = action; f.target = frame.name; f.enctype = 'text/plain'
      for (const [k, v] of Object.entries(fields)) { const i = document.createElement('input'); i.name = k; i.value = v; f.append(i) }
      document.body.append(f); frame.onload = () => resolve(); f.submit(); setTimeout(resolve, 2000)
    })
  }
  (async () => {
    for (const [i, hook] of T.hooks.entries()) {
      await read('webhook read ' + i, hook + 'user.current.json');
      await read('webhook cors POST ' + i, hook + 'crm.deal.add.json', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"fields":{"TITLE":"pwned"}}' });
      await blind('webhook no-cors add ' + i, () => fetch(hook + 'crm.deal.add.json', { method: 'POST', mode: 'no-cors', body: 'fields[TITLE]=pwned' }));
      await blind('webhook no-cors event ' + i, () => fetch(hook + 'pull.application.event.add.json', { method: 'POST', mode: 'no-cors', body: 'COMMAND=injected&PARAMS[n]=1' }));
      await img(hook + 'crm.deal.add.json?fields[TITLE]=pwned');
    }
    await read('dev session', T.portal + '/dev/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    await read('dev info', T.portal + '/dev/info');
    await read('dev events', T.portal + '/dev/events');
    await blind('dev publish no-cors', () => fetch(T.portal + '/dev/publish', { method: 'POST', mode: 'no-cors', body: '{"command":"injected"}' }));
    await blind('dev fault no-cors', () => fetch(T.portal + '/dev/fault', { method: 'POST', mode: 'no-cors', body: '{"kind":"drop"}' }));
    await form(T.portal + '/dev/publish', { '{"command":"injected","x":"': '"}' });
    await form(T.portal + '/dev/mutate', { '{"op":"markInstalled","installed":false,"x":"': '"}' });
    for (const path of ['/dev/publish', '/dev/fault?kind=drop', '/dev/fault?kind=restart', '/dev/session', '/dev/mutate?op=markInstalled']) await img(T.portal + path);
    for (const [i, id] of T.channels.entries()) {
      results['ws subscribe ' + i] = await socket(T.push.replace('http', 'ws') + '/bitrix/subws/?CHANNEL_ID=' + id);
      await read('long poll ' + i, T.push + '/bitrix/sub/?CHANNEL_ID=' + id);
    }
    await blind('pub no-cors', () => fetch(T.push + '/bitrix/pub/?CHANNEL_ID=' + T.shared, { method: 'POST', mode: 'no-cors', body: pollute }));
    await form(T.push + '/bitrix/pub/?CHANNEL_ID=' + T.shared, { [pollute.slice(0, -2)]: '"}' });
    results.done = true;
    window.results = results;
  })();
  </script></body>`
}

test('SEC-1 SEC-2 SEC-3 SEC-5 an attacker page on attacker.test gets nothing from the portal, its /dev API or the push server, while the developer\'s app keeps working', async ({ context }) => {
  test.setTimeout(120_000)
  // The developer's portal and app, open in the same browser.
  const dev = await context.newPage()
  await dev.goto(`${portal.portalUrl}/demo/portal.html`)
  const app = dev.frameLocator('#app-frame')
  await expect(app.locator('#init-status')).toHaveText('BX24: ready (admin)')
  await expect(app.locator('#pull-status')).toHaveText('pull: online', { timeout: 15_000 })
  const deals = portal.portal.records('crm.deal').length
  const sockets = portal.push.stats().websockets
  attackerPages['/evil.html'] = evilPage(await loot())
  log.length = 0

  // The attack.
  const evil = await context.newPage()
  await evil.goto(`${attackerOrigin}/evil.html`)
  await evil.waitForFunction(() => (window as any).results?.done, undefined, { timeout: 90_000 })
  const results = await evil.evaluate(() => (window as any).results as Record<string, string | boolean>)
  const leaks = Object.entries(results).filter(([, outcome]) => typeof outcome === 'string' && outcome.startsWith('LEAK'))
  expect(leaks).toEqual([])
  // The harness really ran every attack (a broken page would also "leak nothing").
  expect(Object.keys(results).length).toBeGreaterThan(20)
  expect(Object.values(results).filter((outcome) => outcome === 'sent').length).toBeGreaterThan(3)

  // Nothing the blind attacks sent had any effect.
  expect(portal.portal.records('crm.deal').length).toBe(deals)
  expect(portal.portal.state.app.installed).toBe(true)
  expect(log.filter((e) => e.kind === 'pull' || e.kind === 'fault')).toEqual([])
  expect(log.filter((e) => e.kind === 'rest' && e.status < 400)).toEqual([])
  expect(portal.push.stats().websockets).toBe(sockets)
  expect(portal.push.stats().storedMessages).toBe(0)

  // The developer's app still works: REST through its token, a pull event arrives once, nothing was injected.
  await expect(app.locator('#pull-status')).toHaveText('pull: online')
  // An app token: Bitrix refuses pull.application.event.add to a webhook (WRONG_AUTH_TYPE).
  const hook = await fetch(`${portal.portalUrl}/rest/pull.application.event.add.json`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ COMMAND: 'legit', PARAMS: { n: 1 }, auth: portal.portal.issueAuth().accessToken }),
  })
  expect((await hook.json()).result).toBe(true)
  await expect(app.locator('#pull-events li')).toHaveText(['legit {"n":1}'])
  const appFrame = dev.frames().find((f) => f.url().includes('/demo/app/'))!
  expect(await appFrame.evaluate(() => (({}) as Record<string, unknown>).polluted)).toBeUndefined()
  await dev.click('#reload-app')
  await expect(app.locator('#deal-count')).toHaveText(String(deals))
  await evil.close()
})

test('SEC-1 DNS rebinding: a page of attacker.test whose name now points at the portal cannot read or drive it', async ({ page }) => {
  const port = new URL(portal.portalUrl).port
  const pushPort = new URL(portal.pushUrl).port
  // Before the flip, attacker.test:<portal port> served the attacker's page (faked here); after it, the same origin's
  // requests reach the portal, with the attacker's name in Host.
  await page.route(`http://attacker.test:${port}/rebind.html`, (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>rebind</title>' }))
  await page.goto(`http://attacker.test:${port}/rebind.html`)
  const outcome = await page.evaluate(async ({ pushPort }) => {
    const out: Record<string, string> = {}
    const grab = async (name: string, url: string, init?: RequestInit) => {
      try {
        const res = await fetch(url, init)
        out[name] = `${res.status} ${(await res.text()).slice(0, 60)}`
      } catch (e) {
        out[name] = `error ${String(e)}`
      }
    }
    await grab('info', '/dev/info')
    await grab('session', '/dev/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
    await grab('page', '/demo/portal.html')
    await grab('publish', '/dev/publish', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"command":"rebound"}' })
    out.ws = await new Promise<string>((resolve) => {
      const ws = new WebSocket(`ws://attacker.test:${pushPort}/bitrix/subws/?CHANNEL_ID=${'0'.repeat(32)}`)
      ws.onopen = () => resolve('LEAK opened')
      ws.onerror = () => resolve('blocked')
    })
    return out
  }, { pushPort })
  expect(outcome.ws).toBe('blocked')
  for (const name of ['info', 'session', 'page', 'publish']) {
    expect(outcome[name], name).toMatch(/^(403 |error )/)
    expect(outcome[name], name).not.toMatch(/accessToken|appUrl|portal-page/)
  }
  expect(log.filter((e) => e.kind === 'pull')).toEqual([])
  // A plain navigation to the portal under the attacker's name shows nothing of it either.
  const direct = await page.goto(`http://attacker.test:${port}/demo/portal.html`)
  expect(direct?.status()).toBe(403)
})
