// The local push server: Bitrix push-server 1.x's sub and pub endpoints on one node:http server, with the v4
// protobuf and v5 JSON-RPC encodings selectable, in-memory storage, and fault injection.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { WebSocketServer } from 'ws'
import { answerClientError, hostAllowed, judgeOrigin, normalizeOrigins, ownHostNames, type OriginVerdict } from '../http-guard/index'
import type { PullMessageBody, PullSender } from '../pull/codecs/types'
import { parseChannelIds, signChannelId, type ChannelIdResult } from './channel-id'
import { readChannelToken, signChannelToken, type ChannelTokenResult } from './channel-token'
import { handleClientFrame } from './client-frames'
import { createFaults, type FanOutGate, type PushServerFaults } from './faults'
import { sendForbidden, sendNotFound, sendOptions, sendSubError, UPGRADE_FORBIDDEN, UPGRADE_REFUSED } from './http-replies'
import { createHub } from './hub'
import { DEFAULT_LIMITS, type PushServerLimits } from './limits'
import { handleLongPolling } from './long-polling'
import { createMessageStore, MAX_TTL_SEC, messageTtl, type StoredMessage } from './message-store'
import { createMidSource } from './mid'
import { handlePub } from './pub-endpoint'
import type { WireMode } from './render'
import { createWsSubscriber, type DeliverySettings } from './ws-subscriber'
import { sendDescription } from './describe'

export type PushProtocol = 'text' | 'protobuf' | 'json-rpc'

export interface PushServerLogEntry {
  event: string
  detail: Record<string, unknown>
}

export interface PushServerOptions {
  /** Default 127.0.0.1: a dev server has no business listening elsewhere. */
  host?: string
  /**
   * Host names besides 127.0.0.1, localhost and [::1] that requests may name in `Host` (LAN use). Any other Host
   * is refused with 403: that is what stops DNS rebinding.
   */
  allowHosts?: string[]
  /** The host name put in `url` and `endpoints`. Default `host` (127.0.0.1 when listening on every interface). */
  publicHost?: string
  /**
   * Origins of the browser pages that may subscribe (WebSocket, long polling), e.g. the portal's and the app's.
   * Default none. Requests without an Origin (non-browser clients) are always served; pages of any other origin get
   * 403, and no response ever says `Access-Control-Allow-Origin: *`. Browsers may never use /bitrix/pub/.
   */
  allowOrigins?: string[]
  /** Set: POST /bitrix/pub/ needs `signature=hex(HMAC-SHA1(publishKey, body))`, as shared-mode servers do. */
  publishKey?: string
  /** Memory and frame limits (src/push-server/limits.ts). */
  limits?: Partial<PushServerLimits>
  /** Default 0: a free port, read it back from `url`. */
  port?: number
  /**
   * `text`: push-server 1.x (server version 1-3); `binaryMode` is ignored, as 1.x does.
   * `protobuf`: version 4; `binaryMode=true` subscribers get ResponseBatch frames, others text frames.
   * `json-rpc`: version 5; `jsonRpc=true` subscribers get JSON-RPC frames and a `ping` every `rpcPingMs`.
   */
  protocol?: PushProtocol
  /** Set: every subscription id must be signed with HMAC-SHA1 under this key (PULL-54). */
  signatureKey?: string
  /** Milliseconds since the epoch; injectable so TTL tests need not wait. Default Date.now. */
  clock?: () => number
  /** Long-polling hold before the 304. Default 40 000 ms (1.x). */
  longPollingHoldMs?: number
  /** WebSocket ping interval. Default 120 000 ms (1.x); a client that misses two is cut at the third. */
  keepAliveMs?: number
  /** JSON-RPC `ping` interval. Default 10 000 ms. [inferred] Bitrix's client gives up after 20 s without one. */
  rpcPingMs?: number
  /** Storage TTL cap and default in seconds. Default 86 400 (1.x). */
  maxTtlSec?: number
  /** Resolves user ids for JSON-RPC `publish {userList}` and `getUsersLastSeen`. */
  userChannel?: (userId: number) => string | undefined
  /** Where skipped input and refused requests are reported. Default console.warn. Never receives signatures. */
  log?: (entry: PushServerLogEntry) => void
}

export interface PublishOptions {
  /** Seconds; can only lower the TTL, as `Message-Expiry` (default and cap 86 400). */
  expiry?: number
  /** Binary and JSON-RPC modes: `extra.sender`. Default `{type: 2}` (backend). */
  sender?: PullSender
  /** JSON-RPC mode: merged into params by the client (PULL-36). */
  userParams?: Record<string, unknown>
  dictionary?: Record<string, unknown>
}

export interface PushServer {
  /** `http://host:port` */
  url: string
  endpoints: {
    /** `ws://host:port/bitrix/subws/`; `/bitrix/sub/` answers WebSocket upgrades too, as on 1.x. */
    websocket: string
    /** `http://host:port/bitrix/sub/` (long polling; `/bitrix/subws/` works as well). */
    longPolling: string
    /** `http://host:port/bitrix/pub/` */
    publish: string
  }
  protocol: PushProtocol
  /**
   * Publishes to channel ids (signed ids are accepted and the signature ignored, as on /bitrix/pub/). An object is
   * sent as JSON; a string goes out verbatim, so tests can publish bodies that do not parse. Returns the mid.
   *
   * @example
   * server.publish([channelId], {module_id: 'im', command: 'message', params: {text: 'hi'}, extra: {}})
   */
  publish(channels: string | string[], message: Partial<PullMessageBody> | string, options?: PublishOptions): string
  /** `id.signature` under the server's key; the id unchanged when there is no key. */
  signChannel(id: string): string
  /**
   * The v5 `jwt` of a config: a token for `token=` subscriptions to these (unsigned) channel ids, valid `ttlSec`.
   * Undefined without a signature key (the config then has no `jwt` and the client subscribes by CHANNEL_ID).
   */
  channelToken(channels: string[], options: { userId: number; ttlSec: number }): string | undefined
  /** Live subscriptions right now, and what the store holds. */
  stats(): { websockets: number; longPolls: number; storedMessages: number; storedChars: number }
  faults: PushServerFaults
  close(): Promise<void>
}

const SUB_PATHS = new Set(['/bitrix/sub/', '/bitrix/subws/', '/bitrix/sub', '/bitrix/subws'])
const PUB_PATHS = new Set(['/bitrix/pub/', '/bitrix/pub'])

export async function startPushServer(options: PushServerOptions = {}): Promise<PushServer> {
  const host = options.host ?? '127.0.0.1'
  const protocol = options.protocol ?? 'text'
  const clock = options.clock ?? Date.now
  const maxTtlSec = options.maxTtlSec ?? MAX_TTL_SEC
  const log = (event: string, detail: Record<string, unknown> = {}): void =>
    (options.log ?? ((entry) => console.warn(`[push-server] ${entry.event}`, entry.detail)))({ event, detail })

  const limits: PushServerLimits = { ...DEFAULT_LIMITS, ...options.limits }
  const hostNames = ownHostNames(options.allowHosts)
  const allowedOrigins = normalizeOrigins(options.allowOrigins ?? [])
  const mids = createMidSource(protocol === 'text' ? 'decimal' : 'hex', clock())
  const store = createMessageStore(clock, { maxChars: limits.maxStoredChars, maxMessages: limits.maxStoredMessages })
  const hub = createHub()
  const settings: DeliverySettings = { delayMs: 0 }
  const gate: FanOutGate = { held: null }
  let lastPublished: StoredMessage | undefined

  const newMessage = (channels: string[], body: string, expiry: string | number | undefined, extra: Partial<StoredMessage> = {}): StoredMessage => {
    const { mid, id } = mids.next()
    return { mid, id, channels, body, createdMs: clock(), ttlSec: messageTtl(expiry, maxTtlSec), ...extra }
  }
  const publishStored = (channels: string[], body: string, expiry: string | number | undefined, extra: Partial<StoredMessage> = {}): string => {
    const message = newMessage(channels, body, expiry, extra)
    store.add(message)
    lastPublished = message
    if (gate.held) gate.held.push(message)
    else hub.fanOut(message)
    return message.mid
  }
  const isOnline = (channel: string): boolean => hub.on(channel).length > 0

  const subRules = { signatureKey: options.signatureKey, checkSignature: true, allowPrivatePublicPair: protocol !== 'text' }
  const wireMode = (params: URLSearchParams): WireMode => {
    if (protocol === 'protobuf' && params.get('binaryMode') === 'true') return 'protobuf'
    if (protocol === 'json-rpc' && params.get('jsonRpc') === 'true') return 'json-rpc'
    return 'text'
  }
  // v5 clients subscribe with `token=<jwt>` when their config has one, else with CHANNEL_ID (spec B.5). A token can
  // only be checked with a key, and the portal issues tokens only when there is one: without it, a token is refused.
  const parseSub = (url: URL): ChannelIdResult => {
    const token = url.searchParams.get('token')
    const result: ChannelTokenResult = token === null
      ? parseChannelIds(url.searchParams.get('CHANNEL_ID'), subRules)
      : options.signatureKey === undefined
        ? { ok: false, reason: 'invalid' }
        : readChannelToken(token, options.signatureKey, Math.floor(clock() / 1000))
    if (!result.ok) {
      log('subscription refused', { reason: result.reason, by: token === null ? 'CHANNEL_ID' : 'token', path: url.pathname })
      return { ok: false, reason: result.reason === 'missing' ? 'missing' : 'invalid' }
    }
    return result
  }

  // Who may ask: requests naming another host (DNS rebinding) and pages of other origins are refused before anything
  // else; a browser may subscribe from an allowed origin and never publish.
  const admit = (req: IncomingMessage, pub: boolean): OriginVerdict | 'wrong host' => {
    if (!hostAllowed(req, hostNames)) return 'wrong host'
    const verdict = judgeOrigin(req, allowedOrigins)
    return pub && verdict.kind === 'allowed' ? { kind: 'refused' } : verdict
  }

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    const pub = PUB_PATHS.has(url.pathname)
    const admitted = admit(req, pub)
    if (admitted === 'wrong host' || admitted.kind === 'refused') {
      log('request refused', { reason: admitted === 'wrong host' ? 'host' : 'origin', path: url.pathname })
      req.resume()
      return sendForbidden(res, admitted === 'wrong host' ? 'Invalid Host header' : 'Origin not allowed')
    }
    const origin = admitted.kind === 'allowed' ? admitted.origin : undefined
    if (pub && (req.method === 'POST' || req.method === 'GET')) {
      handlePub(req, res, url, {
        publish: (channels, body, expiry) => void publishStored(channels, body, expiry),
        subscriberCount: (channel) => hub.on(channel).length,
        log,
        ...(options.publishKey === undefined ? {} : { publishKey: options.publishKey }),
      })
      return
    }
    if (url.pathname === '/' && req.method === 'GET') return sendDescription(req, res, protocol)
    if (!SUB_PATHS.has(url.pathname)) return sendNotFound(res)
    if (req.method === 'OPTIONS') return origin === undefined ? sendNotFound(res) : sendOptions(res, origin)
    if (req.method !== 'GET') return sendNotFound(res)
    const parsed = parseSub(url)
    if (!parsed.ok) return sendSubError(res, 400, parsed.reason === 'missing' ? 'No channel id provided.' : 'Channel id is not correct.', origin)
    handleLongPolling(res, { channels: parsed.channels, publicIds: parsed.publicIds, mode: wireMode(url.searchParams), mid: url.searchParams.get('mid'), origin }, {
      hub, store, settings, holdMs: options.longPollingHoldMs ?? 40_000, isValidMid: mids.isValid,
    })
  }

  const http = createServer((req, res) => {
    try {
      onRequest(req, res)
    } catch (error) {
      // Whatever slipped through costs this request an answer of 500, never the process.
      log('request failed', { error: String(error) })
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' })
      res.end()
    }
  })
  http.on('clientError', answerClientError)
  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxPayloadBytes })
  const sockets = new Set<Socket>()
  http.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  const onUpgrade = (req: IncomingMessage, socket: Socket, head: Buffer): void => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    const admitted = admit(req, PUB_PATHS.has(url.pathname))
    if (admitted === 'wrong host' || admitted.kind === 'refused') {
      log('upgrade refused', { reason: admitted === 'wrong host' ? 'host' : 'origin', path: url.pathname })
      socket.end(UPGRADE_FORBIDDEN)
      return
    }
    const parsed: ChannelIdResult = SUB_PATHS.has(url.pathname) ? parseSub(url) : { ok: false, reason: 'invalid' }
    if (!parsed.ok) {
      socket.end(UPGRADE_REFUSED)
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const mode = wireMode(url.searchParams)
      const subscriber = createWsSubscriber({
        socket: ws, mode, channels: parsed.channels, publicIds: parsed.publicIds, settings,
        keepAliveMs: options.keepAliveMs ?? 120_000, rpcPingMs: options.rpcPingMs ?? 10_000,
        maxBufferedBytes: limits.maxBufferedBytes, log,
        onFrame: (sub, data) => handleClientFrame(sub, data, {
          signatureKey: options.signatureKey,
          publish: (channels, body, expiry, sender) => publishStored(channels, body, expiry, { sender }),
          isOnline,
          ...(options.userChannel ? { userChannel: options.userChannel } : {}),
          log,
          maxRpcBatch: limits.maxRpcBatch,
        }),
        onClose: (sub) => hub.remove(sub),
      })
      // Resume: every stored message after `mid`, in one frame (captured), before any live one.
      const mid = url.searchParams.get('mid')
      if (mid !== null && mids.isValid(mid)) for (const missed of store.after(parsed.channels, mid)) subscriber.deliver(missed)
      hub.add(subscriber)
    })
  }
  http.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    socket.on('error', () => socket.destroy())
    try {
      onUpgrade(req, socket, head)
    } catch (error) {
      log('upgrade failed', { error: String(error) })
      socket.destroy()
    }
  })

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject)
    http.listen(options.port ?? 0, host, () => resolve())
  })
  const { port } = http.address() as AddressInfo
  const shownHost = options.publicHost ?? (host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host)
  const base = `${shownHost}:${port}`

  const systemMessage = (channels: string[], command: string, params: Record<string, unknown>): StoredMessage => {
    const now = clock()
    const body = JSON.stringify({
      module_id: 'pull', command, params,
      extra: { server_time: new Date(now).toISOString(), server_time_unix: now / 1000, server_name: host, revision_web: 19, revision_mobile: 3 },
    })
    return newMessage(channels, body, undefined)
  }

  return {
    url: `http://${base}`,
    endpoints: { websocket: `ws://${base}/bitrix/subws/`, longPolling: `http://${base}/bitrix/sub/`, publish: `http://${base}/bitrix/pub/` },
    protocol,
    publish(channels, message, publishOptions = {}) {
      const list = Array.isArray(channels) ? channels : [channels]
      const parsed = parseChannelIds(list.join('/'), { checkSignature: false, allowPrivatePublicPair: false })
      if (!parsed.ok) throw new TypeError(`publish: channel ids must be 32 letters or digits (got ${list.length} id(s))`)
      const body = typeof message === 'string' ? message : JSON.stringify(message)
      const extra: Partial<StoredMessage> = {}
      if (publishOptions.sender) extra.sender = publishOptions.sender
      if (publishOptions.userParams) extra.userParams = publishOptions.userParams
      if (publishOptions.dictionary) extra.dictionary = publishOptions.dictionary
      return publishStored(parsed.channels, body, publishOptions.expiry, extra)
    },
    signChannel: (id) => (options.signatureKey === undefined ? id : signChannelId(id, options.signatureKey)),
    channelToken(channels, { userId, ttlSec }) {
      if (options.signatureKey === undefined) return undefined
      const iat = Math.floor(clock() / 1000)
      return signChannelToken({ iss: base, iat, exp: iat + ttlSec, sub: userId, chan: channels.join(',') }, options.signatureKey)
    },
    stats() {
      const all = hub.all()
      return {
        websockets: all.filter((s) => s.kind === 'websocket').length, longPolls: all.filter((s) => s.kind === 'long-polling').length,
        storedMessages: store.size(), storedChars: store.storedChars(),
      }
    },
    faults: createFaults({ hub, store, settings, gate, systemMessage, lastPublished: () => lastPublished }),
    async close() {
      for (const subscriber of hub.all()) subscriber.drop()
      for (const client of wss.clients) client.terminate()
      wss.close()
      await new Promise<void>((resolve) => {
        http.close(() => resolve())
        for (const socket of sockets) socket.destroy()
      })
    },
  }
}
