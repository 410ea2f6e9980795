// The pull benchmark (issue 5, item 2).
//
// 1. Throughput, raw frame -> last handler, for text frames (v3), protobuf (v4) and JSON-RPC (v5), in messages per
//    second, against b24jssdk's own receive path measured in the same run. Frames come from bench/fixtures/pull-frames.json
//    (made by bench/fixtures/make-pull-frames.mjs without our codecs): `single`, one ~1.2 KB im/message event per frame
//    (live traffic); `batch`, 10 of them in one frame (a resume replays stored messages in one frame); `small`, one
//    ~0.3 KB im/readMessageChat event per frame (where per-message overhead weighs more than JSON parsing).
//    Two scenarios, each a like-for-like pair (same handlers, same observable results), measured in one rotation:
//    - `subscribe()`: one module-wide BX.PULL.subscribe() callback, no BX handler. This is b24jssdk as shipped: its
//      onCustomEvent (where Bitrix raises the BX events) is an empty method, so subscribe() is all it delivers to.
//    - `BX + subscribe()`: one BX `onPullEvent-im` handler and the same subscribe() callback, what a BX.PullClient in
//      a portal page does. The peer is b24jssdk with that empty hook filled by a createBX() bus carrying the same
//      handler (BX.onCustomEvent(name, args, true): Bitrix's per-handler copy, made by our BX.clone).
//    - ours: a PullClient from dist/bx24-shim.mjs on a pluggableTransport, events on a createBX() bus; the frame goes in
//      through the source's sink.message(frame), exactly where a WebSocket's `message` event lands.
//    - b24jssdk 2.x (`B24PullClientManager`): PullClient#onIncomingMessage(frame), the function its WebSocketConnector
//      calls with `event.data`. From there its own code runs: extractMessages (regex text parse / protobufjs
//      ResponseBatch.decode + JSON.parse of each body) -> handleIncomingEvents (session, duplicate check) ->
//      broadcastMessage (Type.clone of params and extra) -> emit -> the subscribe() callback; for v5
//      JsonRpc#parseJsonRpcMessage -> executeIncomingRpcBatch -> handleRpcIncomingMessage -> broadcastMessage, and
//      `mack:<mid>` to connector.send (stubbed, as our source's send is).
//    - "bare loop" (text and JSON-RPC, subscribe() scenario): not a client but a floor, the least any receive path
//      does (find frames, JSON.parse, drop a repeated mid, one callback). Where even it is under 2x the peer, 2x is
//      out of reach for a client that also does Bitrix's routing, BX events, session and revision work.
// 2. Reconnect latency against the real push server (dist/node/dev-portal.mjs) with the real client over `ws`:
//    from faults.dropAll() / faults.restart() to the first message delivered after the reconnect (published while the
//    client was away, so it arrives in the resume replay). Against the theoretical minimum: the first backoff step
//    0.5 s x (1..1.2) (the exact drawn delay is recorded through the injectable `random`), or the 15 s wait
//    `pull/server_restart` asks for.
import { readFileSync } from 'node:fs'
import { B24PullClientManager } from '@bitrix24/b24jssdk'
import { WebSocket } from 'ws'
import { createBX, createPullClient, pluggableTransport } from '../dist/bx24-shim.mjs'
import { startPushServer } from '../dist/node/dev-portal.mjs'
import { measure, saveSuite, table } from './harness.mjs'

const FIXTURES = JSON.parse(readFileSync(new URL('./fixtures/pull-frames.json', import.meta.url), 'utf8'))
const PROTOCOLS = [
  { name: 'text', version: 3, key: 'text' },
  { name: 'protobuf', version: 4, key: 'protobuf' },
  { name: 'json-rpc', version: 5, key: 'jsonRpc' },
]
const silent = { log() {}, info() {}, warn() {}, error() {} }
let sink = 0

function config(version, ws = 'ws://127.0.0.1:1/bitrix/subws/') {
  const end = new Date(Date.now() + 24 * 3600_000).toISOString()
  return {
    server: {
      version, server_enabled: true, mode: 'personal', websocket_enabled: true, websocket: ws, websocket_secure: ws,
      long_polling: 'http://127.0.0.1:1/bitrix/sub/', long_pooling_secure: 'http://127.0.0.1:1/bitrix/sub/',
      publish_enabled: false, config_timestamp: 0, timeShift: 0,
    },
    api: { revision_web: 19 },
    channels: { private: { id: 'a'.repeat(32), start: new Date().toISOString(), end, type: 'private' } },
  }
}

function frames(key, shape) {
  const list = FIXTURES[key][shape]
  if (key !== 'protobuf') return list
  // What a WebSocket with binaryType 'arraybuffer' hands over.
  return list.map((b64) => {
    const bytes = Buffer.from(b64, 'base64')
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length)
  })
}

/** Counts what reached the handlers, and reads a field so the payload is really used. */
function counters() {
  const c = { event: 0, subscriber: 0 }
  c.onEvent = (command, params) => {
    c.event++
    sink += params.chatId
  }
  c.onSubscriber = (data) => {
    c.subscriber++
    sink += data.params.chatId
  }
  return c
}

async function oursClient(version, withBX) {
  const bx = createBX({ window: undefined })
  const count = counters()
  if (withBX) bx.addCustomEvent('onPullEvent-im', count.onEvent)
  let feed = null
  const client = createPullClient({
    bx, window: null, storage: null, logger: silent, userId: 1,
    transport: pluggableTransport({
      name: 'bench',
      open(s) {
        feed = s.message
        s.open()
      },
      send: () => true,
    }),
  })
  client.subscribe({ moduleId: 'im', callback: count.onSubscriber })
  await client.start(config(version))
  if (!feed || !client.isConnected()) throw new Error('our client did not open the bench source')
  return { feed, count, withBX, destroy: () => client.destroy() }
}

function b24Client(version, withBX) {
  const client = new B24PullClientManager({ b24: null, userId: 1, siteId: 's1', skipStorageInit: true })
  const count = counters()
  client._config = config(version)
  client.init()
  // No socket: its `mack:<mid>` (v5) goes to a stub, as ours goes to the source's send().
  for (const connector of Object.values(client._connectors)) if (connector) connector.send = () => true
  if (withBX) {
    const bx = createBX({ window: undefined })
    bx.addCustomEvent('onPullEvent-im', count.onEvent)
    client.onCustomEvent = (name, args, secureParams) => bx.onCustomEvent(name, args, secureParams)
  }
  client.subscribe({ moduleId: 'im', callback: count.onSubscriber })
  return { feed: (frame) => client.onIncomingMessage(frame), count, withBX, destroy: () => client.destroy() }
}

/** Feeds one round of the pool and checks every message reached every handler it should, exactly once. */
function verify(label, subject, pool, perFrame) {
  const expectEvents = subject.withBX
  const before = { event: subject.count.event, subscriber: subject.count.subscriber }
  for (let n = 0; n < pool.length; n++) subject.next()
  const expected = pool.length * perFrame
  const got = subject.count.subscriber - before.subscriber
  const events = subject.count.event - before.event
  if (got !== expected || events !== (expectEvents ? expected : 0)) {
    throw new Error(`${label}: ${got} subscriber calls and ${events} BX events for ${expected} messages`)
  }
}

const ROUNDS = 3

/**
 * harness.measure() runs its cases one after the other, so a burst of load from elsewhere lands on one case only and
 * skews its ratio. Several short rounds, each in a rotated order, and the median per case are steadier.
 */
async function measureRounds(cases, options) {
  const names = Object.keys(cases)
  const seen = Object.fromEntries(names.map((name) => [name, []]))
  for (let round = 0; round < ROUNDS; round++) {
    const order = names.map((_, i) => names[(i + round) % names.length])
    const ops = await measure(Object.fromEntries(order.map((name) => [name, cases[name]])), options)
    for (const name of names) seen[name].push(ops[name])
  }
  return Object.fromEntries(names.map((name) => [name, median(seen[name])]))
}

/**
 * A reference, not a client: the least any receive path must do for text and JSON-RPC frames (find the frames,
 * JSON.parse, drop a repeated mid, hand params to one callback), with none of Bitrix's routing, BX events, copies,
 * session or revision work. It shows how much of the peer's time JSON.parse alone leaves for everything else.
 */
function bareLoop(key) {
  const count = counters()
  const seen = new Set()
  const deliver = (mid, body) => {
    if (seen.has(mid)) return
    seen.add(mid)
    if (seen.size > 10) for (const old of seen) { seen.delete(old); break }
    count.onSubscriber({ command: body.command, params: body.params, extra: body.extra })
  }
  const feed = key === 'text'
    ? (frame) => {
        for (let from = 0; ; ) {
          const start = frame.indexOf('#!NGINXNMS!#', from)
          if (start < 0) return
          const end = frame.indexOf('#!NGINXNME!#', start + 12)
          if (end < 0) return
          const envelope = JSON.parse(frame.slice(start + 12, end))
          deliver(envelope.mid, envelope.text)
          from = end + 12
        }
      }
    : (frame) => {
        const decoded = JSON.parse(frame)
        for (const item of Array.isArray(decoded) ? decoded : [decoded]) deliver(item.params.mid, item.params.body)
      }
  return { feed, count, withBX: false, destroy() {} }
}

const SCENARIOS = [
  { name: 'subscribe()', withBX: false, ours: 'ours', peer: 'b24jssdk' },
  { name: 'BX + subscribe()', withBX: true, ours: 'ours + BX', peer: 'b24jssdk + BX' },
]

async function throughput() {
  const rows = []
  for (const protocol of PROTOCOLS) {
    for (const [shape, perFrame] of Object.entries(FIXTURES.messagesPerFrame)) {
      const pool = frames(protocol.key, shape)
      const subjects = {}
      for (const scenario of SCENARIOS) {
        subjects[scenario.ours] = await oursClient(protocol.version, scenario.withBX)
        subjects[scenario.peer] = b24Client(protocol.version, scenario.withBX)
      }
      if (protocol.key !== 'protobuf') subjects['bare loop'] = bareLoop(protocol.key)
      // Each subject cycles through the pool from where it left off, so a mid comes back only after 11+ others.
      for (const subject of Object.values(subjects)) {
        let i = 0
        subject.next = () => subject.feed(pool[i++ % pool.length])
      }
      for (const [label, subject] of Object.entries(subjects)) verify(`${protocol.name}/${shape}/${label}`, subject, pool, perFrame)
      const cases = {}
      for (const [label, subject] of Object.entries(subjects)) cases[label] = subject.next
      const ops = await measureRounds(cases, { inner: perFrame === 1 ? 200 : 20, time: 250 })
      // Sanity after the run: the pools cycle with distinct mids, so nothing was dropped as a duplicate.
      for (const [label, subject] of Object.entries(subjects)) verify(`${protocol.name}/${shape}/${label} after`, subject, pool, perFrame)
      for (const subject of Object.values(subjects)) subject.destroy()
      for (const scenario of SCENARIOS) {
        const labels = [scenario.ours, scenario.peer, ...(scenario.withBX || !subjects['bare loop'] ? [] : ['bare loop'])]
        for (const label of labels) {
          rows.push({
            protocol: protocol.name, frames: shape, 'msgs/frame': perFrame, handlers: scenario.name, case: label,
            'msgs/s': Math.round(ops[label] * perFrame), 'x peer': +(ops[label] / ops[scenario.peer]).toFixed(2),
          })
        }
      }
    }
  }
  return rows
}

// ---------------------------------------------------------------- reconnect latency

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

async function waitFor(check, ms) {
  const until = Date.now() + ms
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 1))
  }
}

/** One run: a connected client, the fault, a message published at once (client away), time until it is delivered. */
async function reconnectRun(fault) {
  const server = await startPushServer({ protocol: 'text', log: () => {} })
  const channel = 'b'.repeat(32)
  const draws = []
  const delivered = []
  const cfg = config(3, server.endpoints.websocket)
  cfg.channels.private.id = channel
  const client = createPullClient({
    bx: null, window: null, storage: null, logger: silent, userId: 1, WebSocket,
    random: () => {
      const r = Math.random()
      draws.push(r)
      return r
    },
  })
  client.subscribe({ moduleId: 'im', callback: (data) => delivered.push([data.command, performance.now()]) })
  try {
    await client.start(cfg)
    server.publish(channel, { module_id: 'im', command: 'warmup', params: {}, extra: {} })
    await waitFor(() => delivered.length === 1, 5000)
    const t0 = performance.now()
    server.faults[fault]()
    server.publish(channel, { module_id: 'im', command: 'afterFault', params: {}, extra: {} })
    await waitFor(() => delivered.length === 2, 25_000)
    const [command, at] = delivered[1]
    if (command !== 'afterFault') throw new Error(`unexpected ${command}`)
    // dropAll: the delay the client drew for its first backoff step; restart: the fixed 15 s (no jitter, no draw).
    const scheduled = fault === 'dropAll' ? 500 * (1 + 0.2 * draws[draws.length - 1]) : 15_000
    return { ms: at - t0, scheduled, draws: draws.length }
  } finally {
    client.destroy()
    await server.close()
  }
}

async function reconnectLatency() {
  const rows = []
  // Sequential: the runs are short and this keeps their few ms of overhead undisturbed.
  const drops = []
  for (let i = 0; i < 7; i++) drops.push(await reconnectRun('dropAll'))
  // In parallel: each run sleeps 15 s, and the sleeps do not disturb each other.
  const restarts = await Promise.all(Array.from({ length: 5 }, () => reconnectRun('restart')))
  for (const [fault, runs, minimum, path] of [
    ['dropAll', drops, 500, 'close 1006 -> scheduleReconnect(), first step 0.5 s x (1..1.2)'],
    ['restart', restarts, 15_000, 'pull/server_restart -> reconnect(3002, 15 s)'],
  ]) {
    const ms = median(runs.map((r) => r.ms))
    const scheduled = median(runs.map((r) => r.scheduled))
    const overhead = median(runs.map((r) => r.ms - r.scheduled))
    rows.push({
      fault, runs: runs.length, 'median ms': +ms.toFixed(1), 'min ms': +Math.min(...runs.map((r) => r.ms)).toFixed(1),
      'max ms': +Math.max(...runs.map((r) => r.ms)).toFixed(1), 'theoretical min ms': minimum, 'x theoretical min': +(ms / minimum).toFixed(3),
      'median scheduled ms': +scheduled.toFixed(1), 'median overhead ms': +overhead.toFixed(1), path,
    })
  }
  return rows
}

export async function runPullBench() {
  const rows = await throughput()
  table(rows, ['protocol', 'frames', 'msgs/frame', 'handlers', 'case', 'msgs/s', 'x peer'])
  console.log('\nours vs b24jssdk, raw frame -> last handler, same handlers on both sides (target >= 2x):')
  for (const row of rows.filter((r) => r.case.startsWith('ours'))) {
    const bare = rows.find((r) => r.case === 'bare loop' && r.protocol === row.protocol && r.frames === row.frames && r.handlers === row.handlers)
    console.log(`  ${row.protocol.padEnd(8)} ${row.frames.padEnd(6)} ${row.handlers.padEnd(16)}: ${row['x peer']}x` +
      (bare ? ` (a bare parse-dedupe-callback loop: ${bare['x peer']}x)` : ''))
  }
  // PULL_BENCH=throughput skips the latency runs (about 40 s of waiting) when only the receive path is of interest.
  const latency = process.env.PULL_BENCH === 'throughput' ? [] : await reconnectLatency()
  console.log('\nreconnect latency, real push server + real client (text, ws):')
  table(latency, ['fault', 'runs', 'median ms', 'min ms', 'max ms', 'theoretical min ms', 'x theoretical min', 'median scheduled ms', 'median overhead ms'])
  saveSuite('pull', {
    note: 'throughput: messages/s from raw frame to the last handler. handlers "subscribe()": one module-wide subscribe() callback ' +
      '(peer: b24jssdk as shipped, which raises no BX events); "BX + subscribe()": one onPullEvent-im BX handler and that callback ' +
      '(peer: b24jssdk with the same BX handler wired into its onCustomEvent hook). x peer = case / its peer, same run. ' +
      '"bare loop" (text, JSON-RPC): frames found, JSON.parse, repeated mid dropped, params to one callback, nothing else; a floor for any client. ' +
      'latency: fault -> first message delivered after the reconnect, against the theoretical minimum (0.5 s backoff step / 15 s server_restart wait).',
    peer: 'b24jssdk PullClient#onIncomingMessage(frame) (what its WebSocketConnector calls with event.data)',
    throughput: rows,
    latency,
    sink: sink > 0,
  })
  return { rows, latency }
}

if (import.meta.url === `file://${process.argv[1]}`) await runPullBench()
