// @vitest-environment node
// `npm start` is `node build.mjs && node bin/bx24-shim.mjs serve`: the server starts, answers on every URL it prints,
// and stops cleanly on Ctrl-C (SIGINT). Runs the built CLI, so `npm test` builds first.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
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

function runCli(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['bin/bx24-shim.mjs', ...args], { cwd: root })
    let out = ''
    let err = ''
    child.stdout.on('data', (chunk) => (out += chunk))
    child.stderr.on('data', (chunk) => (err += chunk))
    child.on('exit', (code) => done({ code, out, err }))
  })
}

it('DEV-37 top-level --help and --version; an unknown command shows the usage and fails', async () => {
  const help = await runCli(['--help'])
  expect(help.code).toBe(0)
  expect(help.out).toContain('serve')
  expect(help.out).toContain('trigger EVENT')
  const version = await runCli(['--version'])
  expect(version.out.trim()).toBe(JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')).version)
  const bogus = await runCli(['bogus'])
  expect(bogus.code).toBe(1)
  expect(bogus.err).toContain('unknown command "bogus"')
  expect((await runCli(['serve', '--help'])).out).toContain('--placement-options')
})

it('DEV-31 serve with a broken --seed exits 1 naming the file, line and column', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cli-seed-'))
  try {
    const seed = join(dir, 'seed.json')
    writeFileSync(seed, '{\n  "users": [}\n')
    const res = await runCli(['serve', '--port', '0', '--seed', seed])
    expect(res.code).toBe(1)
    expect(res.err).toContain(`${seed}:2:13: `)
    const options = await runCli(['serve', '--port', '0', '--placement-options', '{taskId: 5}'])
    expect([options.code, options.err]).toEqual([1, expect.stringContaining('--placement-options:1:2: ')])
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

it('DEV-30 trigger EVENT --count --rate raises a series on a running portal and prints the rate reached', async () => {
  const server = spawn(process.execPath, ['bin/bx24-shim.mjs', 'serve', '--port', '0'], { cwd: root })
  let out = ''
  server.stdout.on('data', (chunk) => (out += chunk))
  try {
    await expect.poll(() => out, { timeout: 15_000 }).toContain('Ctrl-C to stop')
    const portalUrl = /dev portal: (http:\/\/127\.0\.0\.1:\d+)\//.exec(out)![1]!
    const res = await runCli(['trigger', 'ONCRMDEALUPDATE', '--count', '3', '--rate', '200', '--portal', portalUrl])
    expect(res.code).toBe(0)
    expect(res.out).toMatch(/^ONCRMDEALUPDATE: 3 raised in \d+ ms = [\d.]+\/s \(asked 200\/s\)/)
    expect(res.out).toContain('no handler is bound to it')
    const nobody = await runCli(['trigger', 'ONCRMDEALUPDATE', '--portal', 'http://127.0.0.1:1'])
    expect([nobody.code, nobody.err]).toEqual([1, expect.stringContaining('no dev portal answers at http://127.0.0.1:1')])
    expect((await runCli(['trigger'])).err).toContain('trigger needs one event name')
  } finally {
    server.kill('SIGINT')
  }
}, 30_000)
