// `npx bx24-shim <command>`: `serve` starts the dev portal and prints its URLs (Ctrl-C stops it cleanly); `trigger`
// raises an event on a running one; `--help` and `--version` at the top level.

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { isLoopbackAddress } from '../http-guard/index'
import type { PushProtocol } from '../push-server/index'
import { parseJsonFile, readSeedFile } from './seed-file'
import { startDevPortal } from './server'
import type { TriggerReport } from './trigger'

const USAGE = `Usage: bx24-shim <command> [options]

Commands:
  serve              start the dev portal (a local Bitrix24 with REST, push server and a portal page)
  trigger EVENT      raise EVENT (e.g. ONCRMDEALUPDATE) on a running dev portal; its handlers get the POST

Options:
  --help, -h         this text (bx24-shim <command> --help for the command's options)
  --version, -v      the package version`

const SERVE_USAGE = `Usage: bx24-shim serve [options]
  --port N                portal origin port (default 4173; 0 = any free port)
  --app-port N            app origin port (default port + 1)
  --push-port N           push server port (default port + 2)
  --protocol P            push wire protocol: text | protobuf | json-rpc (default text)
  --seed FILE             JSON file with the portal's contents (users, deals, tasks, launch, ...)
  --app-url URL           host your own app (any origin) instead of the sample app
  --placement CODE        open the app in this placement (default DEFAULT), e.g. TASK_VIEW_SIDEBAR
  --placement-options J   its PLACEMENT_OPTIONS as JSON, e.g. '{"taskId":"5"}'
  --install-url URL       the app's install handler: ONAPPINSTALL is POSTed there when the install finishes
  --event-delay MS        wait before each event POST to a handler (default 500)
  --signature-key K       sign pull channel ids with HMAC-SHA1 under K (json-rpc: also a jwt for token= subscriptions)
  --root DIR              directory with demo/, dist/ and catalog/ (default: the package)
  --host ADDR             listen address (default 127.0.0.1: this machine only; 0.0.0.0 opens it to your network)
  --allow-host NAME       a host name or address other machines use to reach this one (repeat for more; needed with
                          --host; the first goes into the URLs). See docs/portal.md, "Security".
  --help`

const TRIGGER_USAGE = `Usage: bx24-shim trigger EVENT [options]
  --count N       raise it N times (default 1)
  --rate R        at R events per second (default: as fast as the portal takes them)
  --id ID         the record the event is about (default: the first one)
  --portal URL    the running dev portal (default http://127.0.0.1:4173)
Prints the rate reached and how the handlers answered.`

export function packageVersion(packageRoot: string): string {
  return String((JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version?: unknown }).version ?? 'unknown')
}

function port(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`--${name} must be a port number (0-65535), got ${value}`)
  return n
}

function url(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined
  try {
    const parsed = new URL(value)
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('not http')
    return value
  } catch {
    throw new Error(`--${name} must be an http(s) URL, got ${value}`)
  }
}

function positive(name: string, value: string | undefined, integer: boolean): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (!(n > 0 || (name === 'event-delay' && n === 0)) || (integer && !Number.isInteger(n))) throw new Error(`--${name} must be a ${integer ? 'whole ' : ''}number above 0, got ${value}`)
  return n
}

async function serve(argv: string[], packageRoot: string): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' }, 'app-port': { type: 'string' }, 'push-port': { type: 'string' }, protocol: { type: 'string' },
      seed: { type: 'string' }, 'app-url': { type: 'string' }, 'signature-key': { type: 'string' }, root: { type: 'string' },
      placement: { type: 'string' }, 'placement-options': { type: 'string' }, 'install-url': { type: 'string' },
      'event-delay': { type: 'string' }, help: { type: 'boolean', short: 'h' },
      host: { type: 'string' }, 'allow-host': { type: 'string', multiple: true },
    },
    allowPositionals: false,
  })
  if (values.help) return void console.log(SERVE_USAGE)
  const protocol = (values.protocol ?? 'text') as PushProtocol
  if (!['text', 'protobuf', 'json-rpc'].includes(protocol)) throw new Error('--protocol must be text, protobuf or json-rpc')
  if (values.placement !== undefined && !/^[A-Z0-9_]{1,64}$/i.test(values.placement)) throw new Error(`--placement must be a placement code such as TASK_VIEW_SIDEBAR, got ${values.placement}`)
  let placementOptions: Record<string, unknown> | undefined
  if (values['placement-options'] !== undefined) {
    const parsed = parseJsonFile('--placement-options', values['placement-options'])
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('--placement-options must be a JSON object, e.g. \'{"taskId":"5"}\'')
    placementOptions = parsed as Record<string, unknown>
  }
  const portal = await startDevPortal({
    port: port('port', values.port), appPort: port('app-port', values['app-port']), pushPort: port('push-port', values['push-port']),
    protocol, seed: values.seed ? readSeedFile(values.seed) : undefined, appUrl: url('app-url', values['app-url']),
    signatureKey: values['signature-key'], root: values.root ?? packageRoot, placement: values.placement, placementOptions,
    installHandler: url('install-url', values['install-url']), eventDelayMs: positive('event-delay', values['event-delay'], false),
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
  console.log(`  raise an event: npx bx24-shim trigger ONCRMDEALUPDATE --portal ${portal.portalUrl}`)
  for (const notice of portal.notices) console.log(`note: ${notice}`)
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

async function trigger(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { count: { type: 'string' }, rate: { type: 'string' }, id: { type: 'string' }, portal: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
  })
  if (values.help) return void console.log(TRIGGER_USAGE)
  const event = positionals[0]
  if (!event || positionals.length > 1) throw new Error(`trigger needs one event name, e.g. bx24-shim trigger ONCRMDEALUPDATE\n\n${TRIGGER_USAGE}`)
  const base = (url('portal', values.portal) ?? 'http://127.0.0.1:4173').replace(/\/+$/, '')
  const body = { event, count: positive('count', values.count, true), rate: positive('rate', values.rate, false), id: positive('id', values.id, true) }
  let response: Response
  try {
    response = await fetch(`${base}/dev/trigger`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  } catch {
    throw new Error(`no dev portal answers at ${base} (start one with: npx bx24-shim serve, or name it with --portal URL)`)
  }
  const answer = (await response.json().catch(() => ({}))) as Partial<TriggerReport> & { error_description?: string }
  if (!response.ok) throw new Error(`the dev portal refused: ${answer.error_description ?? response.status}`)
  const r = answer as TriggerReport
  console.log(`${r.event}: ${r.triggered} raised in ${r.elapsedMs} ms = ${r.rate}/s${body.rate ? ` (asked ${body.rate}/s)` : ''}`)
  console.log(
    r.deliveries === 0
      ? '  no handler is bound to it (event.bind / BX24.callBind, or events in the seed)'
      : `  ${r.deliveries} POSTs to handlers: ${r.delivered} answered 2xx, ${r.failed} failed; ${r.deliveryRate}/s`,
  )
}

/** The whole command line (argv without node and the script). */
export async function run(argv: string[], packageRoot: string): Promise<void> {
  const [command, ...rest] = argv
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') return void console.log(USAGE)
  if (command === '--version' || command === '-v') return void console.log(packageVersion(packageRoot))
  if (command === 'serve') return serve(rest, packageRoot)
  if (command === 'trigger') return trigger(rest)
  throw new Error(`unknown command "${command}"\n\n${USAGE}`)
}

/** `serve` with its options (what `npm start` runs). */
export async function main(argv: string[], packageRoot: string): Promise<void> {
  return serve(argv, packageRoot)
}
