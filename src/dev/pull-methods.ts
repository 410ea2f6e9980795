// The portal's pull.application.* REST methods: what an iframe app's `new BX.PullClient({restApplication: true})`
// asks for (spec B.4, bx24 §9) and what a backend calls to publish (B.10). Browser-safe: where messages go and how
// channel ids are made and signed is a PullBackend — the local push server in the dev portal (push-backend.ts), an
// in-page hub in the static demo.
//
// [inferred] Channel layout: Bitrix's server code for application channels was not read. Each user gets a private
// channel and every app user shares one channel; pull.application.event.add publishes to the shared channel, or to
// the given users' private channels.

import { RestError } from '../portal/errors'
import { parsePullParams, pullTarget } from './pull-params'

export interface PullBackend {
  /** The server version the config reports: 3 text frames, 4 protobuf, 5 JSON-RPC (B.1). */
  version: 3 | 4 | 5
  hostname: string
  endpoints: { websocket: string; longPolling: string; publish: string }
  /** A stable 32-hex channel id for a seed (the same seed always gives the same id). */
  channelId(seed: string): string
  /** The subscription id the push server accepts: `id.signature`, or the id without a key. */
  sign(id: string): string
  /** HMAC(key, 'public:' + id) of a public channel, '' without a key. */
  publicSignature(publicId: string): string
  /** Delivers a body to channels (unsigned ids); returns the mid. */
  publish(channels: string[], body: Record<string, unknown>): string
  /** v5: the config's `jwt` for these unsigned channel ids, or undefined (no `jwt`: the client uses CHANNEL_ID). */
  channelToken?(channels: string[], userId: number, ttlSec: number): string | undefined
}

export interface CallContext {
  state: { memberId: string }
  params: Record<string, unknown>
  userId: number
  isAdmin: boolean
  now: number
  /** Pull application events need an application: a webhook gets WRONG_AUTH_TYPE. Absent = an app token. */
  authKind?: 'oauth' | 'webhook'
}

export interface PullEventInput {
  moduleId?: unknown
  command: string
  params?: unknown
  /** A user id or a list of them (their private channels); absent or 0 = the app's shared channel. */
  userId?: unknown
}

type Method = { scope: readonly string[]; run(ctx: CallContext): { result: unknown } }

export interface PullMethodsOptions {
  /** Channel lifetime in seconds (Bitrix: CHANNEL_TTL 43 205). */
  channelTtl?: number
  /** Called for every message published (the live logs). */
  onPublish?: (channels: string[], body: Record<string, unknown>, mid: string) => void
}

export function createPullMethods(backend: PullBackend, options: PullMethodsOptions = {}): {
  methods: Record<string, Method>
  /** Publishes an application event as Bitrix's PHP producer shapes it (B.10), returning the mid. */
  publishEvent(ctx: CallContext, input: PullEventInput): string
  /** The app's shared channel id (unsigned), for fault injection. */
  sharedChannel(memberId: string): string
} {
  const ttl = options.channelTtl ?? 43205
  const sharedChannel = (memberId: string) => backend.channelId(`${memberId}:app-shared`)
  const privateId = (ctx: CallContext, userId: number) => backend.channelId(`${ctx.state.memberId}:user:${userId}`)
  const publicId = (ctx: CallContext, userId: number) => backend.channelId(`${ctx.state.memberId}:user-public:${userId}`)

  function config(ctx: CallContext): Record<string, unknown> {
    const start = new Date(ctx.now).toISOString()
    const end = new Date(ctx.now + ttl * 1000).toISOString()
    const { websocket: ws, longPolling: lp, publish } = backend.endpoints
    const pub = publicId(ctx, ctx.userId)
    const own = privateId(ctx, ctx.userId)
    const shared = sharedChannel(ctx.state.memberId)
    // v5 (spec B.4, B.5): a token for the same channels; the client then subscribes with `token=` instead.
    const jwt = backend.version === 5 ? backend.channelToken?.([own, shared], ctx.userId, ttl) : undefined
    return {
      server: {
        version: backend.version, server_enabled: true, mode: 'personal', hostname: backend.hostname,
        long_polling: lp, long_pooling_secure: lp.replace(/^http:/, 'https:'),
        websocket_enabled: true, websocket: ws, websocket_secure: ws.replace(/^ws:/, 'wss:'),
        publish_enabled: backend.version > 3, publish, publish_secure: publish,
        config_timestamp: 0,
      },
      api: { revision_web: 19, revision_mobile: 3 },
      channels: {
        private: { id: backend.sign(own), public_id: pub, start, end, type: 'private' },
        shared: { id: backend.sign(shared), start, end, type: 'shared' },
      },
      publicChannels: {
        [ctx.userId]: { user_id: ctx.userId, public_id: pub, signature: backend.publicSignature(pub), start, end },
      },
      ...(jwt === undefined ? {} : { jwt }),
      exp: Math.floor(ctx.now / 1000) + ttl,
      serverTime: new Date(ctx.now).toISOString(),
    }
  }

  function publishEvent(ctx: CallContext, input: PullEventInput): string {
    const users = (Array.isArray(input.userId) ? input.userId : [input.userId]).map(Number).filter((id) => Number.isInteger(id) && id > 0)
    const channels = users.length > 0 ? users.map((id) => privateId(ctx, id)) : [sharedChannel(ctx.state.memberId)]
    const body = {
      module_id: typeof input.moduleId === 'string' ? input.moduleId : 'application',
      command: input.command,
      params: (input.params && typeof input.params === 'object' ? input.params : []) as Record<string, unknown>,
      extra: {
        server_time: new Date(ctx.now).toISOString(), server_time_unix: ctx.now / 1000, server_name: 'bx24-shim dev portal',
        revision_web: 19, revision_mobile: 3,
      },
    }
    const mid = backend.publish(channels, body)
    options.onPublish?.(channels, body, mid)
    return mid
  }

  // The checks of Bitrix's pull module (Bitrix\Pull\Rest::applicationEventAdd), in its order and with its texts:
  // app auth, USER_ID (an admin names anyone, a user only themself, as a string), MODULE_ID, COMMAND, PARAMS.
  function eventAdd(ctx: CallContext): { result: boolean } {
    if (ctx.authKind === 'webhook') {
      throw new RestError('WRONG_AUTH_TYPE', 'Get access to application config available only for application authorization.', 403)
    }
    const p = Object.fromEntries(Object.entries(ctx.params).map(([k, v]) => [k.toUpperCase(), v]))
    const target = pullTarget(p.USER_ID, ctx.userId, ctx.isAdmin)
    if (target.kind === 'forbidden') throw new RestError('USER_ID_ACCESS_ERROR', 'Only admin can send notifications to other channels', 400)
    if (p.MODULE_ID !== undefined && (typeof p.MODULE_ID !== 'string' || /[^a-z0-9._]/.test(p.MODULE_ID))) {
      throw new RestError('MODULE_ID_ERROR', 'Module ID format error', 400)
    }
    if (typeof p.COMMAND !== 'string' || !/^[A-Za-z0-9_:|.-]+$/.test(p.COMMAND)) throw new RestError('COMMAND_ERROR', 'Command format error', 400)
    const params = parsePullParams(p.PARAMS)
    if (params === undefined) throw new RestError('PARAMS_ERROR', 'Params format error', 400)
    // An admin's USER_ID list without one valid id reaches nobody, as on Bitrix.
    if (target.kind === 'users' && target.ids.length === 0) return { result: true }
    publishEvent(ctx, { moduleId: p.MODULE_ID ?? 'application', command: p.COMMAND, params, userId: target.kind === 'users' ? target.ids : 0 })
    return { result: true }
  }

  return {
    methods: {
      'pull.application.config.get': { scope: [], run: (ctx) => ({ result: config(ctx) }) },
      'pull.config.get': { scope: [], run: (ctx) => ({ result: config(ctx) }) },
      'pull.application.event.add': { scope: [], run: eventAdd },
    },
    publishEvent,
    sharedChannel,
  }
}
