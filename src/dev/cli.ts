// `npm start` / `npx bx24-shim serve [options]`: starts the dev portal and prints its URLs; Ctrl-C stops it cleanly.

import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { isLoopbackAddress } from '../http-guard/index'
import type { PushProtocol } from '../push-server/index'
import { startDevPortal } from './server'

const USAGE = `Usage: bx24-shim serve [options]
  --port N            portal origin port (default 4173; 0 = any free port)
  --app-port N        app origin port (default port + 1)
  --push-port N       push server port (default port + 2)
  --protocol P        push wire protocol: text | protobuf | json-rpc (default text)
  --seed FILE         JSON file with the portal's contents (users, deals, ...)
  --app-url URL       host your own app instead of the sample app
  --signature-key K   sign pull channel ids with HMAC-SHA1 under K (json-rpc: also a jwt for token= subscriptions)
  --root DIR          directory with demo/ and dist/ (default: the package)
  --host ADDR         listen address (default 127.0.0.1: this machine only; 0.0.0.0 opens it to your network)
  --allow-host NAME   a host name or address other machines use to reach this one (repeat for more; needed with
                      --host; the first goes into the URLs). See docs/portal.md, "Security".
  --help`

export async function main(argv: string[], packageRoot: string): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' }, 'app-port': { type: 'string' }, 'push-port': { type: 'string' }, protocol: { type: 'string' },
      seed: { type: 'string' }, 'app-url': { type: 'string' }, 'signature-key': { type: 'string' }, root: { type: 'string' },
      host: { type: 'string' }, 'allow-host': { type: 'string', multiple: true },
      help: { type: 'boolean' },
    },
    allowPositionals: true,
  })
  if (values.help) return void console.log(USAGE)
  const port = (name: string, value: string | undefined) => {
    if (value === undefined) return undefined
    const n = Number(value)
    if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`--${name} must be a port number, got ${value}`)
    return n
  }
  const protocol = (values.protocol ?? 'text') as PushProtocol
  if (!['text', 'protobuf', 'json-rpc'].includes(protocol)) throw new Error(`--protocol must be text, protobuf or json-rpc`)
  const portal = await startDevPortal({
    port: port('port', values.port), appPort: port('app-port', values['app-port']), pushPort: port('push-port', values['push-port']),
    protocol, seed: values.seed ? JSON.parse(readFileSync(values.seed, 'utf8')) : undefined,
    appUrl: values['app-url'], signatureKey: values['signature-key'], root: values.root ?? packageRoot,
    host: values.host, allowHosts: values['allow-host'],
  })
  console.log(`bx24-shim dev portal: ${portal.portalUrl}/`)
  console.log(`  app (cross-site iframe): ${portal.appUrl}`)
  console.log(`  REST: ${portal.portalUrl}/rest/  ·  push server (${protocol}): ${portal.pushUrl}`)
  console.log(`  mobile webview: ${portal.portalUrl}/demo/mobile/  ·  static portal (no server): ${portal.portalUrl}/demo/static/`)
  console.log(`  BX event bus playground: ${portal.portalUrl}/demo/bus.html`)
  // The secrets of this run (new every start unless --seed / --signature-key pin them), for your own scripts.
  console.log(`  inbound webhook: ${portal.webhookUrl ?? 'none (the seed has no webhooks)'}`)
  console.log(`  member id: ${portal.portal.state.memberId}  ·  push signature key: ${portal.signatureKey}`)
  console.log(values.host === undefined || isLoopbackAddress(values.host)
    ? '  this machine only; pages of other websites are refused'
    : `  OPEN TO YOUR NETWORK on ${values.host}: anyone who can reach ${(values['allow-host'] ?? []).join(', ')} can use it`)
  console.log('Ctrl-C to stop')
  let stopping = false
  const stop = async () => {
    if (stopping) return
    stopping = true
    await portal.close()
    console.log('stopped')
    process.exit(0)
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}
