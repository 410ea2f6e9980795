// @vitest-environment node
// `npm start` is `node build.mjs && node bin/bx24-shim.mjs serve`: the server starts, answers on every URL it prints,
// and stops cleanly on Ctrl-C (SIGINT). Runs the built CLI, so `npm test` builds first.
import { spawn } from 'node:child_process'
import { resolve } from 'node:path'
import { expect, it } from 'vitest'

const root = resolve(__dirname, '../..')

it('bx24-shim serve prints its URLs, answers on them, and exits 0 on SIGINT', async () => {
  const child = spawn(process.execPath, ['bin/bx24-shim.mjs', 'serve', '--port', '0', '--protocol', 'protobuf'], { cwd: root })
  let out = ''
  child.stdout.on('data', (chunk) => (out += chunk))
  child.stderr.on('data', (chunk) => (out += chunk))
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)))
  try {
    await expect.poll(() => out, { timeout: 15_000 }).toContain('Ctrl-C to stop')
    const portalUrl = /dev portal: (http:\/\/127\.0\.0\.1:\d+)\//.exec(out)?.[1]
    const appUrl = /app \(cross-site iframe\): (\S+)/.exec(out)?.[1]
    const pushUrl = /push server \(protobuf\): (\S+)/.exec(out)?.[1]
    const webhookUrl = /inbound webhook: (\S+)/.exec(out)?.[1]
    expect(portalUrl && appUrl && pushUrl && webhookUrl).toBeTruthy()

    const portalPage = await fetch(`${portalUrl}/`)
    expect(portalPage.status).toBe(200)
    expect(portalPage.url).toBe(`${portalUrl}/demo/portal.html`)
    expect(portalPage.headers.get('content-security-policy')).toContain("script-src 'self'")
    expect(await portalPage.text()).toContain('dist/dev/portal-page.js')
    const app = await fetch(appUrl!)
    expect(app.status).toBe(200)
    expect(await app.text()).toContain('bx24-shim.umd.min.js')
    const bundle = await fetch(new URL('/dist/bx24-shim.umd.min.js', appUrl).href)
    expect(bundle.status).toBe(200)
    const rest = await fetch(`${webhookUrl}user.current.json`, { method: 'POST' })
    expect((await rest.json()).result.ID).toBe('1')
    const info = await fetch(`${portalUrl}/dev/info`)
    expect((await info.json()).protocol).toBe('protobuf')
    // The push server answers its sub endpoint: no channel id is a 400, as push-server 1.x does.
    expect((await fetch(`${pushUrl}/bitrix/sub/`)).status).toBe(400)
    // Nothing outside demo/ and dist/ is served.
    expect((await fetch(`${portalUrl}/package.json`)).status).toBe(404)
    expect((await fetch(`${portalUrl}/demo/../package.json`)).status).toBe(404)
  } finally {
    child.kill('SIGINT')
  }
  expect(await exited).toBe(0)
  expect(out).toContain('stopped')
}, 30_000)
