// @vitest-environment node
// A newcomer's path through the dev portal: clear errors for a taken port and a bad seed, URLs that describe
// themselves, the app URL opened outside the portal, and the launch (placement, PLACEMENT_OPTIONS) the page gets.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { jsonErrorOffset } from '../../src/dev/json-position'
import { lineColumn, parseJsonFile, readSeedFile, seedProblem } from '../../src/dev/seed-file'
import { startDevPortal, type DevPortal } from '../../src/dev/server'
import { defaultSeed } from '../../src/portal/seed'

const root = resolve(__dirname, '../..')

describe('--seed FILE', () => {
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'seed-'))
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  const file = (name: string, text: string) => {
    const path = join(dir, name)
    writeFileSync(path, text)
    return path
  }

  it('DEV-31 a JSON syntax error names the file, line and column', () => {
    const path = file('broken.json', '{\n  "users": [\n    { "ID": 1, "NAME": "A" },\n  ]\n}\n')
    expect(() => readSeedFile(path)).toThrow(`${path}:4:3: `)
    const truncated = file('cut.json', '{\n  "users": [')
    expect(() => readSeedFile(truncated)).toThrow(`${truncated}:2:13: Unexpected end of JSON input`)
  })

  it('DEV-31 a value of the wrong kind or an unknown key names its path; a missing file says so', () => {
    expect(() => readSeedFile(file('kind.json', '{"users": [{"ID": 1, "NAME": "A"}, {"ID": "2", "NAME": "B"}]}'))).toThrow(/kind\.json: users\[1\]\.ID must be a number$/)
    expect(() => readSeedFile(file('typo.json', '{"user": []}'))).toThrow(/typo\.json: unknown key "user"/)
    expect(() => readSeedFile(file('top.json', '[1]'))).toThrow(/top\.json: the seed must be a JSON object/)
    expect(() => readSeedFile(join(dir, 'missing.json'))).toThrow(/missing\.json: no such file \(--seed\)/)
    const seed = defaultSeed() // its secrets are new on every call (SEC-4): compare one seed with itself
    expect(readSeedFile(file('ok.json', JSON.stringify(seed)))).toEqual(JSON.parse(JSON.stringify(seed)))
    expect(seedProblem(JSON.parse(JSON.stringify(defaultSeed())))).toBeNull()
  })

  it('DEV-31 any broken JSON is reported at a position inside the text, never as a crash (fast-check)', () => {
    fc.assert(fc.property(fc.json(), fc.nat(), fc.constantFrom('}', ']', ',', ':', '"', 'x'), (text, at, junk) => {
      const cut = at % (text.length + 1)
      const broken = text.slice(0, cut) + junk + text.slice(cut)
      let value: unknown
      try {
        value = parseJsonFile('f.json', broken)
      } catch (error) {
        const m = /^f\.json:(\d+):(\d+): ./.exec((error as Error).message)
        expect(m).not.toBeNull()
        const lines = broken.split('\n')
        expect(Number(m![1])).toBeLessThanOrEqual(lines.length)
        expect(Number(m![2])).toBeLessThanOrEqual(lines[Number(m![1]) - 1]!.length + 1)
        return
      }
      expect(value).toEqual(JSON.parse(broken))
    }), { numRuns: 300 })
    expect(lineColumn('ab\ncd', 4)).toEqual({ line: 2, column: 2 })
  })

  it('DEV-31 the error scan agrees with JSON.parse on what is valid, and points inside the text (fast-check)', () => {
    const valid = (t: string) => {
      try {
        JSON.parse(t)
        return true
      } catch {
        return false
      }
    }
    const mutated = fc.tuple(fc.json(), fc.nat(), fc.string({ maxLength: 3 })).map(([t, at, junk]) => t.slice(0, at % (t.length + 1)) + junk + t.slice(at % (t.length + 1)))
    fc.assert(fc.property(fc.oneof(fc.json(), mutated, fc.string()), (text) => {
      const offset = jsonErrorOffset(text)
      expect(offset === -1).toBe(valid(text))
      expect(offset).toBeLessThanOrEqual(text.length)
    }), { numRuns: 1000 })
    expect(jsonErrorOffset('{"a": 1,}')).toBe(8)
    expect(jsonErrorOffset('[' .repeat(100_000))).toBe(100_000)
  })
})

describe('a taken port names the flag that moves it', () => {
  it('DEV-32 --port, --app-port and --push-port', async () => {
    const blocker = createServer()
    await new Promise<void>((done) => blocker.listen(0, '127.0.0.1', () => done()))
    const taken = (blocker.address() as AddressInfo).port
    try {
      await expect(startDevPortal({ port: taken, appPort: 0, pushPort: 0, root })).rejects.toThrow(`port ${taken} is in use (another dev portal?): choose another with --port N, or --port 0 for any free port`)
      await expect(startDevPortal({ port: 0, appPort: taken, pushPort: 0, root })).rejects.toThrow(/--app-port N/)
      await expect(startDevPortal({ port: 0, appPort: 0, pushPort: taken, root })).rejects.toThrow(/--push-port N/)
    } finally {
      await new Promise((done) => blocker.close(done))
    }
  })
})

describe('URLs a person opens by hand', () => {
  let portal: DevPortal
  beforeAll(async () => {
    portal = await startDevPortal({
      port: 0, root, placement: 'task_view_sidebar', placementOptions: { taskId: '5' },
      seed: { ...defaultSeed(), launch: { placement: 'CRM_DEAL_DETAIL_TAB', options: { ID: '1' } } },
    })
  })
  afterAll(async () => {
    await portal.close()
  })

  it('DEV-33 the printed REST URL describes the API and the webhook; the push URL describes its endpoints', async () => {
    const rest = await fetch(`${portal.portalUrl}/rest/`)
    expect([rest.status, rest.headers.get('content-type')]).toEqual([200, 'text/plain; charset=utf-8'])
    const text = await rest.text()
    expect(text).toContain('Bitrix24 REST API')
    expect(text).toContain(`${portal.webhookUrl}user.current.json`)
    const push = await fetch(portal.pushUrl)
    expect(push.status).toBe(200)
    const pushText = await push.text()
    expect(pushText).toContain('push server (text)')
    expect(pushText).toContain(`${portal.pushUrl.replace(/^http/, 'ws')}/bitrix/sub/?CHANNEL_ID=`)
    // Methods still work under /rest/.
    expect((await (await fetch(`${portal.webhookUrl}server.time.json`)).json()).result).toMatch(/^\d{4}-/)
  })

  it('DEV-34 the app URL opened as a tab of its own explains how to open it inside the portal; a frame or a POST gets the app', async () => {
    const outside = await fetch(portal.appUrl, { headers: { 'sec-fetch-dest': 'document' } })
    const text = await outside.text()
    expect(text).toContain('This is the app, not the portal')
    expect(text).toContain(`${portal.portalUrl}/`)
    const framed = await fetch(portal.appUrl, { headers: { 'sec-fetch-dest': 'iframe' } })
    expect(await framed.text()).toContain('bx24-shim.umd.min.js')
    const launched = await fetch(`${portal.appUrl}?DOMAIN=x&APP_SID=y`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'AUTH_ID=abc&PLACEMENT=DEFAULT' })
    expect(launched.status).toBe(200)
    expect(await launched.text()).toContain('bx24-shim.umd.min.js')
  })

  it('DEV-35 the launch the page uses: a --placement flag wins over the seed, options come with it; the portal page may frame the app origin', async () => {
    const info = await (await fetch(`${portal.portalUrl}/dev/info`)).json()
    expect(info.launch).toEqual({ placement: 'TASK_VIEW_SIDEBAR', options: { taskId: '5' } })
    const page = await fetch(`${portal.portalUrl}/demo/portal.html`)
    // SEC-6: the portal page may frame any http(s) page (an app's handler may redirect its frame), the app's included.
    expect(page.headers.get('content-security-policy')).toContain(`frame-src 'self' ${portal.appOrigin} http: https:`)
    const seeded = await startDevPortal({ port: 0, root, appUrl: 'https://apps.example.com/my/app/', seed: { ...defaultSeed(), launch: { placement: 'CRM_DEAL_DETAIL_TAB', options: { ID: '1' } } } })
    try {
      expect((await (await fetch(`${seeded.portalUrl}/dev/info`)).json()).launch).toEqual({ placement: 'CRM_DEAL_DETAIL_TAB', options: { ID: '1' } })
      expect((await fetch(`${seeded.portalUrl}/demo/portal.html`)).headers.get('content-security-policy')).toContain('https://apps.example.com')
    } finally {
      await seeded.close()
    }
  })

  it('DEV-36 DEV-8 without a seed scope list the app gets every documented scope; the live log marks example answers', async () => {
    expect(portal.notices).toEqual([])
    const logged: unknown[] = []
    const stop = portal.onLog((entry) => void (entry.kind === 'rest' && logged.push(entry)))
    const res = await fetch(`${portal.webhookUrl}calendar.section.get.json?type=user&ownerId=1`)
    expect(res.status).toBe(200)
    expect(res.headers.get('x-bx24-shim-example')).toBe('calendar.section.get')
    // The live log marks it, so a person sees the answer is the documentation's, not the portal's.
    expect(logged).toEqual([expect.objectContaining({ method: '1/…/calendar.section.get', example: ['calendar.section.get'] })])
    stop()
  })
})
