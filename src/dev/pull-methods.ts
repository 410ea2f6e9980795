// The portal's pull.application.* REST methods: what an iframe app's `new BX.PullClient({restApplication: true})`
// asks for (spec B.4, bx24 §9) and what a backend calls to publish (B.10). Browser-safe: where messages go and how
// channel ids are made and signed is a PullBackend — the local push server in the dev portal (push-backend.ts), an
// in-page hub in the static demo.
//
// [inferred] Channel layout: Bitrix's server code for application channels was not read. Each user gets a private
// channel and every app user shares one channel; pull.application.event.add publishes to the shared channel, or to
// the given users' private channels.

import { accessDenied, argumentError } from '../portal/errors'

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
}

export interface PullEventInput {
  moduleId?: unknown
  command: string
  params?: unknown
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
    const userId = Number(input.userId)
    const channels = Number.isInteger(userId) && userId > 0 ? [privateId(ctx, userId)] : [sharedChannel(ctx.state.memberId)]
    const body = {
      module_id: (typeof input.moduleId === 'string' && input.moduleId ? input.moduleId : 'application').toLowerCase(),
      command: input.command,
      params: (input.params && typeof input.params === 'object' ? input.params : {}) as Record<string, unknown>,
      extra: {
        server_time: new Date(ctx.now).toISOString(), server_time_unix: ctx.now / 1000, server_name: 'bx24-shim dev portal',
        revision_web: 19, revision_mobile: 3,
      },
    }
    const mid = backend.publish(channels, body)
    options.onPublish?.(channels, body, mid)
    return mid
  }

  // Argument rules of the real method (spec §9): COMMAND [A-Za-z0-9_:|.-], MODULE_ID [a-z0-9._], USER_ID an int or
  // a list of them, and a non-admin may target only themself.
  function eventAdd(ctx: CallContext): { result: boolean } {
    const p = ctx.params
    if (typeof p.COMMAND !== 'string' || !/^[A-Za-z0-9_:|.-]+$/.test(p.COMMAND)) throw argumentError('Argument COMMAND is required and may hold A-Z a-z 0-9 _ : | . -')
    if (p.MODULE_ID !== undefined && (typeof p.MODULE_ID !== 'string' || !/^[a-z0-9._]+$/.test(p.MODULE_ID))) {
      throw argumentError('Argument MODULE_ID may hold a-z 0-9 . _')
    }
    const users = p.USER_ID === undefined || p.USER_ID === '' ? [] : (Array.isArray(p.USER_ID) ? p.USER_ID : [p.USER_ID]).map(Number)
    if (users.some((id) => !Number.isInteger(id) || id <= 0)) throw argumentError('Argument USER_ID must be a user id or a list of them')
    if (!ctx.isAdmin && users.some((id) => id !== ctx.userId)) throw accessDenied('A non-admin can send events only to themself')
    if (users.length === 0) publishEvent(ctx, { moduleId: p.MODULE_ID, command: p.COMMAND, params: p.PARAMS })
    for (const userId of users) publishEvent(ctx, { moduleId: p.MODULE_ID, command: p.COMMAND, params: p.PARAMS, userId })
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
