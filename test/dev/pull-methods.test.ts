// @vitest-environment node
// The dev portal's pull.application.* methods against the real local push server (spec bx24 §9, checklist BX24-48).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { createPullMethods } from '../../src/dev/pull-methods'
import { pushServerBackend } from '../../src/dev/push-backend'
import { createMockPortal, type MockPortal } from '../../src/portal/index'
import { createPullClient } from '../../src/pull'
import { decodeTextFrames } from '../../src/pull/codecs/index'
import { startPushServer, type PushServer } from '../../src/push-server/index'
import { waitFor } from '../wait-for'

const KEY = 'test-signature-key'
let push: PushServer
let portal: MockPortal

beforeAll(async () => {
  push = await startPushServer({ protocol: 'text', signatureKey: KEY, log: () => {} })
  portal = createMockPortal({ extraMethods: createPullMethods(pushServerBackend(push, KEY)).methods })
})
afterAll(async () => {
  await push.close()
})

async function call(method: string, params: Record<string, unknown>, userId = portal.defaultUserId) {
  const { accessToken } = portal.issueAuth(userId)
  const response = await portal.handle({ method, body: JSON.stringify({ ...params, auth: accessToken }), contentType: 'application/json' })
  return { status: response.status, body: JSON.parse(response.body) }
}

/** Subscribes to `channel` and resolves with the first message body delivered there. */
function firstMessage(channel: string): { opened: Promise<void>; message: Promise<Record<string, any>>; close(): void } {
  const socket = new WebSocket(`${push.endpoints.websocket}?CHANNEL_ID=${encodeURIComponent(channel)}`)
  const opened = new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve())
    socket.once('error', reject)
  })
  const message = new Promise<Record<string, any>>((resolve) => {
    socket.on('message', (data) => {
      const { messages } = decodeTextFrames(String(data))
      if (messages.length) resolve(messages[0].text as Record<string, any>)
    })
  })
  return { opened, message, close: () => socket.close() }
}

describe('pull.application.* on the dev portal', () => {
  it('BX24-48 pull.application.config.get returns the §9 shape plus serverTime, with signed channels', async () => {
    const before = Date.now()
    const { status, body } = await call('pull.application.config.get', { CACHE: 'N' })
    expect(status).toBe(200)
    const config = body.result
    expect(Object.keys(config.server).sort()).toEqual([
      'config_timestamp', 'hostname', 'long_polling', 'long_pooling_secure', 'mode', 'publish', 'publish_enabled',
      'publish_secure', 'server_enabled', 'version', 'websocket', 'websocket_enabled', 'websocket_secure',
    ])
    expect(config.server).toMatchObject({ version: 3, server_enabled: true, websocket_enabled: true, publish_enabled: false })
    expect(config.server.websocket).toBe(push.endpoints.websocket)
    expect(config.server.long_polling).toBe(push.endpoints.longPolling)
    expect(config.api).toEqual({ revision_web: 19, revision_mobile: 3 })
    expect(config.channels.shared).toMatchObject({ type: 'shared' })
    expect(config.channels.shared.id).toMatch(/^[0-9a-f]{32}\.[0-9a-f]{40}$/)
    expect(config.channels.private).toMatchObject({ type: 'private' })
    expect(config.channels.private.id).toMatch(/^[0-9a-f]{32}\.[0-9a-f]{40}$/)
    expect(config.channels.private.public_id).toMatch(/^[0-9a-f]{32}$/)
    for (const channel of [config.channels.shared, config.channels.private]) {
      expect(Date.parse(channel.end)).toBeGreaterThan(Date.parse(channel.start))
    }
    const userId = portal.defaultUserId
    expect(config.publicChannels[userId]).toMatchObject({ user_id: userId, public_id: config.channels.private.public_id })
    expect(config.publicChannels[userId].signature).toMatch(/^[0-9a-f]{40}$/)
    expect(config.exp).toBeGreaterThan(before / 1000)
    expect(Date.parse(config.serverTime)).toBeGreaterThanOrEqual(before - 1000)
  })

  it('BX24-48 pull.application.event.add delivers {module_id, command, params, extra} on the shared channel', async () => {
    const { body } = await call('pull.application.config.get', {})
    const sub = firstMessage(body.result.channels.shared.id)
    await sub.opened
    const added = await call('pull.application.event.add', { COMMAND: 'dealChanged', PARAMS: { id: 7 } })
    expect(added.body.result).toBe(true)
    const message = await sub.message
    sub.close()
    expect(message).toMatchObject({ module_id: 'application', command: 'dealChanged', params: { id: 7 } })
    expect(message.extra).toMatchObject({ revision_web: 19, revision_mobile: 3 })
    expect(typeof message.extra.server_time_unix).toBe('number')
  })

  it('BX24-48 USER_ID sends to that user\'s private channel, with MODULE_ID', async () => {
    const other = Number(portal.state.users.find((u) => !portal.isAdmin(Number(u.ID)))!.ID)
    const { body } = await call('pull.application.config.get', {}, other)
    const sub = firstMessage(body.result.channels.private.id)
    await sub.opened
    await call('pull.application.event.add', { COMMAND: 'ping', MODULE_ID: 'my.app', USER_ID: other })
    expect(await sub.message).toMatchObject({ module_id: 'my.app', command: 'ping' })
    sub.close()
  })

  it('DEV-20 argument rules answer the documented codes and texts, in Bitrix\'s order', async () => {
    const err = async (params: Record<string, unknown>, userId?: number) => (await call('pull.application.event.add', params, userId)).body
    expect(await err({ COMMAND: 'bad command!' })).toEqual({ error: 'COMMAND_ERROR', error_description: 'Command format error' })
    expect(await err({})).toEqual({ error: 'COMMAND_ERROR', error_description: 'Command format error' })
    expect(await err({ COMMAND: 'x', MODULE_ID: 'Upper' })).toEqual({ error: 'MODULE_ID_ERROR', error_description: 'Module ID format error' })
    expect(await err({ COMMAND: 'x', PARAMS: '{"param1":' })).toEqual({ error: 'PARAMS_ERROR', error_description: 'Params format error' })
    expect(await err({ COMMAND: 'x', PARAMS: '"just text"' })).toEqual({ error: 'PARAMS_ERROR', error_description: 'Params format error' })
    // USER_ID is checked before MODULE_ID and COMMAND.
    const other = Number(portal.state.users.find((u) => !portal.isAdmin(Number(u.ID)))!.ID)
    expect(await err({ COMMAND: 'bad command!', USER_ID: portal.defaultUserId }, other)).toEqual({
      error: 'USER_ID_ACCESS_ERROR', error_description: 'Only admin can send notifications to other channels',
    })
    // A non-admin names only themself, and only as a string (Bitrix compares with ===).
    expect((await err({ COMMAND: 'x', USER_ID: other }, other)).error).toBe('USER_ID_ACCESS_ERROR')
    expect((await call('pull.application.event.add', { COMMAND: 'x', USER_ID: String(other) }, other)).body.result).toBe(true)
    const status = (await call('pull.application.event.add', { COMMAND: 'x', MODULE_ID: 'Upper' })).status
    expect(status).toBe(400)
  })

  it('DEV-21 PARAMS as a JSON string arrives parsed; USER_ID lists reach each private channel, none the shared one', async () => {
    const admin = portal.defaultUserId
    const other = Number(portal.state.users.find((u) => !portal.isAdmin(Number(u.ID)))!.ID)
    const mine = (await call('pull.application.config.get', {}, admin)).body.result
    const theirs = (await call('pull.application.config.get', {}, other)).body.result
    const subs = [firstMessage(mine.channels.private.id), firstMessage(theirs.channels.private.id)]
    await Promise.all(subs.map((s) => s.opened))
    // The documented example: PARAMS '{"param1":"value1"}' and USER_ID as a JSON list in a string.
    expect((await call('pull.application.event.add', { COMMAND: 'test', PARAMS: '{"param1":"value1"}', USER_ID: `[${admin},${other},${other},0]` })).body.result).toBe(true)
    const [a, b] = await Promise.all(subs.map((s) => s.message))
    for (const s of subs) s.close()
    expect(a).toMatchObject({ module_id: 'application', command: 'test', params: { param1: 'value1' } })
    expect(b).toMatchObject({ module_id: 'application', command: 'test', params: { param1: 'value1' } })
    const shared = firstMessage(mine.channels.shared.id)
    await shared.opened
    expect((await call('pull.application.event.add', { COMMAND: 'everyone', MODULE_ID: 'my.app_1' })).body.result).toBe(true)
    // No PARAMS: the server sends PHP's empty array `[]`; the client's codec hands handlers an object.
    expect(await shared.message).toMatchObject({ module_id: 'my.app_1', command: 'everyone', params: {} })
    shared.close()
  })

  it('DEV-20 a webhook is WRONG_AUTH_TYPE (403) with the documented text', async () => {
    const hook = createMockPortal({ extraMethods: createPullMethods(pushServerBackend(push, KEY)).methods })
    const res = await hook.handle({ method: `1/${hook.state.webhooks[0]!.secret}/pull.application.event.add`, body: 'COMMAND=x', contentType: 'application/x-www-form-urlencoded' })
    expect([res.status, JSON.parse(res.body)]).toEqual([403, {
      error: 'WRONG_AUTH_TYPE', error_description: 'Get access to application config available only for application authorization.',
    }])
  })
})

describe('pull.application.config.get for a v5 (JSON-RPC) push server', () => {
  it('BX24-48 PULL-37 the config carries a jwt; our client subscribes with token= and gets the app events', async () => {
    const v5 = await startPushServer({ protocol: 'json-rpc', signatureKey: KEY, rpcPingMs: 60_000, log: () => {} })
    const pull = createPullMethods(pushServerBackend(v5, KEY))
    const v5portal = createMockPortal({ extraMethods: pull.methods })
    const { accessToken } = v5portal.issueAuth(v5portal.defaultUserId)
    const rest = async (method: string, params: Record<string, unknown> = {}) =>
      JSON.parse((await v5portal.handle({ method, body: JSON.stringify({ ...params, auth: accessToken }), contentType: 'application/json' })).body)
    const urls: string[] = []
    class RecordingWebSocket extends WebSocket {
      constructor(url: string) {
        super(url)
        urls.push(url)
      }
    }
    const client = createPullClient({ bx: null, window: null, storage: null, userId: v5portal.defaultUserId, WebSocket: RecordingWebSocket as never, logger: { log() {}, info() {}, warn() {}, error() {} } })
    try {
      const config = (await rest('pull.application.config.get')).result
      expect(config.server.version).toBe(5)
      expect(typeof config.jwt).toBe('string')
      const claims = JSON.parse(Buffer.from(config.jwt.split('.')[1], 'base64url').toString())
      expect(claims).toMatchObject({ sub: v5portal.defaultUserId, exp: config.exp })
      expect(claims.chan.split(',')).toEqual([config.channels.private.id, config.channels.shared.id].map((id: string) => id.split('.')[0]))
      const seen: unknown[] = []
      client.subscribe({ moduleId: 'application', callback: (d: { command: string; params: unknown }) => void seen.push([d.command, d.params]) })
      await client.start(config)
      expect(urls[0]).toContain(`token=${encodeURIComponent(config.jwt)}`)
      expect(urls[0]).not.toContain('CHANNEL_ID')
      expect((await rest('pull.application.event.add', { COMMAND: 'toAll', PARAMS: { n: 1 } })).result).toBe(true)
      expect((await rest('pull.application.event.add', { COMMAND: 'toMe', PARAMS: { n: 2 }, USER_ID: v5portal.defaultUserId })).result).toBe(true)
      await waitFor('both app events', () => seen.length === 2)
      expect(seen).toEqual([['toAll', { n: 1 }], ['toMe', { n: 2 }]])
    } finally {
      client.destroy()
      await v5.close()
    }
  })

  it('BX24-48 no jwt without a signature key, nor for text and protobuf servers', async () => {
    for (const [protocol, key] of [['json-rpc', undefined], ['text', KEY], ['protobuf', KEY]] as const) {
      const server = await startPushServer({ protocol, ...(key ? { signatureKey: key } : {}), log: () => {} })
      try {
        const methods = createPullMethods(pushServerBackend(server, key)).methods
        const result = methods['pull.application.config.get']!.run({ state: { memberId: 'm' }, params: {}, userId: 1, isAdmin: true, now: Date.now() }).result
        expect(result, protocol).not.toHaveProperty('jwt')
      } finally {
        await server.close()
      }
    }
  })
})
