// restTransport: no portal frame. REST goes over fetch to an inbound webhook URL or to the portal with an OAuth
// token; getInitData is synthesised from the config (spec §10(2)); UI commands go to a host adapter.

import { encodeParams, escape } from '../encode-params'
import { redact } from '../redact'
import { isRecord } from '../safe-object'
import type { BX24Transport, HostAdapter, InitData, Logger, RefreshData, RestCall, RestExchange } from '../types'
import { defaultFetch, postForm, type FetchLike } from './http'
import { syntheticParent, type CommandHandler } from './synthetic-parent'

export interface OAuthTokens {
  accessToken: string
  refreshToken?: string
  /** Lifetime in seconds (default 3600). */
  expiresIn?: number
}

export interface RestTransportOptions {
  /** An inbound webhook, e.g. https://x.bitrix24.com/rest/1/abc123/ (the secret is in the path; no auth is sent). */
  webhook?: string
  /** An OAuth token for https://<domain>/rest/ (or for `clientEndpoint`). */
  auth?: OAuthTokens & {
    /** The portal's host[:port]; REST goes to https://<domain>/rest/. */
    domain?: string
    /**
     * The REST base instead of the domain, as Bitrix's OAuth answer names it (`client_endpoint`, e.g.
     * 'https://x.bitrix24.com/rest/'); http is accepted, for a local dev portal. The token goes to this origin only.
     */
    clientEndpoint?: string
    memberId?: string
    /** Called on expiry or `expired_token`; resolve new tokens, or null when there are none. */
    onRefresh?(current: OAuthTokens): Promise<OAuthTokens | null> | OAuthTokens | null
  }
  lang?: string
  /** IS_ADMIN for init data. Default: true for webhooks, the `profile` method's ADMIN flag for OAuth. */
  isAdmin?: boolean
  /**
   * Keep userOption/appOption on the portal through user.option.* / app.option.* (spec §10(2)): read at init, written
   * on set. Default true; false keeps them in memory for the page's lifetime.
   */
  persistOptions?: boolean
  fetch?: FetchLike
  host?: HostAdapter
  log?: Logger
}

interface Endpoint {
  domain: string
  protocol: 0 | 1
  url(method: string): string
  body(call: RestCall): string
  tokenless: boolean
}

function webhookEndpoint(webhook: string): Endpoint {
  let url: URL
  try {
    url = new URL(webhook)
  } catch {
    throw new TypeError('BX24 rest transport: the webhook is not a URL')
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || !/^\/rest\/\d+\/[^/]+\/?$/.test(url.pathname) || url.search || url.username) {
    throw new TypeError('BX24 rest transport: the webhook must look like https://<portal>/rest/<user id>/<secret>/')
  }
  const base = url.origin + url.pathname.replace(/\/?$/, '/')
  return {
    domain: url.host,
    protocol: url.protocol === 'https:' ? 1 : 0,
    url: (method) => base + escape(method) + '.json',
    // The secret in the path is the auth; the body is the real one minus `auth=<token>` and its '&'.
    body: (call) => call.tail.replace(/^&/, ''),
    tokenless: true,
  }
}

function oauthEndpoint(auth: { domain?: unknown; clientEndpoint?: unknown }): Endpoint {
  let base: URL
  if (auth.clientEndpoint !== undefined) {
    try {
      base = new URL(String(auth.clientEndpoint))
    } catch {
      throw new TypeError('BX24 rest transport: auth.clientEndpoint is not a URL')
    }
    if ((base.protocol !== 'https:' && base.protocol !== 'http:') || base.username || base.password || base.search || base.hash || !/^\/rest\/?$/.test(base.pathname)) {
      throw new TypeError('BX24 rest transport: auth.clientEndpoint must look like https://<portal>/rest/')
    }
    if (auth.domain !== undefined && auth.domain !== base.host) throw new TypeError('BX24 rest transport: auth.domain and auth.clientEndpoint name different hosts')
  } else {
    if (typeof auth.domain !== 'string' || !/^[A-Za-z0-9._-]+(:\d{1,5})?$/.test(auth.domain)) {
      throw new TypeError('BX24 rest transport: auth.domain must be a bare host[:port]')
    }
    base = new URL(`https://${auth.domain}/rest/`)
  }
  const origin = base.origin
  return {
    domain: base.host,
    protocol: base.protocol === 'https:' ? 1 : 0,
    url: (method) => `${origin}/rest/${escape(method)}.json`,
    body: (call) => 'auth=' + escape(call.auth) + call.tail,
    tokenless: false,
  }
}

/**
 * @example
 * createBX24({ transport: restTransport({ webhook: 'https://x.bitrix24.com/rest/1/secret/' }) })
 * createBX24({ transport: restTransport({ auth: { domain: 'x.bitrix24.com', accessToken, onRefresh } }) })
 */
export function restTransport(options: RestTransportOptions): BX24Transport {
  const endpoint = options.webhook ? webhookEndpoint(options.webhook) : options.auth ? oauthEndpoint(options.auth) : null
  if (!endpoint) throw new TypeError('BX24 rest transport: pass a webhook URL or auth: {domain, accessToken}')
  if (options.auth && !options.webhook && !options.auth.accessToken) throw new TypeError('BX24 rest transport: auth.accessToken is empty')
  const fetchImpl = options.fetch ?? defaultFetch()
  const auth = options.auth
  let tokens: OAuthTokens = { accessToken: auth?.accessToken ?? '', refreshToken: auth?.refreshToken, expiresIn: auth?.expiresIn }

  async function rest(call: RestCall): Promise<RestExchange> {
    try {
      return await postForm(fetchImpl, endpoint!.url(call.method), endpoint!.body(call))
    } catch (error) {
      // Fetch implementations quote the URL in their errors ("request to https://x/rest/1/<secret>/m.json failed"),
      // and a webhook URL carries its secret: what leaves this transport is a redacted copy.
      throw new Error(redact(error, tokens.accessToken, tokens.refreshToken))
    }
  }

  /** `result` of a transport-internal call, or undefined on any failure (these calls are best effort). */
  async function resultOf(method: string, params?: unknown): Promise<unknown> {
    try {
      const tail = params ? '&' + encodeParams(params) : ''
      const exchange = await rest({ method, auth: tokens.accessToken, tail, path: '/rest' })
      const answer = JSON.parse(exchange.text ?? '') as unknown
      return isRecord(answer) && !('error' in answer) ? answer.result : undefined
    } catch {
      return undefined
    }
  }

  async function isAdmin(): Promise<boolean> {
    if (typeof options.isAdmin === 'boolean') return options.isAdmin
    if (endpoint!.tokenless) return true
    const profile = await resultOf('profile')
    return isRecord(profile) && profile.ADMIN === true
  }

  const persist = options.persistOptions !== false
  const readOptions = async (method: string): Promise<unknown> => {
    const value = persist ? await resultOf(method) : undefined
    return isRecord(value) ? value : {}
  }

  async function initData(): Promise<InitData> {
    return {
      LANG: options.lang ?? 'en',
      DOMAIN: endpoint!.domain,
      PROTOCOL: endpoint!.protocol,
      PATH: '/rest',
      AUTH_ID: endpoint!.tokenless ? '' : tokens.accessToken,
      AUTH_EXPIRES: String(tokens.expiresIn ?? 3600),
      REFRESH_ID: tokens.refreshToken ?? '',
      MEMBER_ID: auth?.memberId ?? '',
      FIRST_RUN: false,
      IS_ADMIN: await isAdmin(),
      INSTALL: false,
      USER_OPTIONS: await readOptions('user.option.get'),
      APP_OPTIONS: await readOptions('app.option.get'),
      PLACEMENT: 'DEFAULT',
      PLACEMENT_OPTIONS: {},
    }
  }

  async function refresh(): Promise<RefreshData | null> {
    if (!auth?.onRefresh) throw new Error('no auth.onRefresh is configured')
    let next: OAuthTokens | null
    try {
      next = await auth.onRefresh({ ...tokens })
    } catch (error) {
      // The host's error may quote the tokens it was refreshing (a token endpoint's answer, a URL): mask them.
      throw new Error('auth.onRefresh failed: ' + redact(error, tokens.accessToken, tokens.refreshToken))
    }
    if (!next || typeof next.accessToken !== 'string' || !next.accessToken) throw new Error('auth.onRefresh returned no tokens')
    tokens = { ...next }
    return { AUTH_ID: next.accessToken, REFRESH_ID: next.refreshToken ?? '', AUTH_EXPIRES: next.expiresIn ?? 3600 }
  }

  // As the real parent: setUserOption is echoed (BX24 sends it without a callback anyway); setAppOption answers
  // with the outcome. A computed key keeps a '__proto__' option name an ordinary key.
  const store = (method: string): CommandHandler => (params, reply) => {
    if (!persist || !isRecord(params) || typeof params.name !== 'string') return reply(params)
    void resultOf(method, { options: { [params.name]: params.value } }).then((result) =>
      reply(result === undefined ? { error: 'access_denied' } : params))
  }
  const commands: Record<string, CommandHandler> = { setUserOption: store('user.option.set'), setAppOption: store('app.option.set') }

  return syntheticParent({
    kind: 'rest', domain: endpoint.domain, protocol: endpoint.protocol, tokenless: endpoint.tokenless,
    initData, refresh, rest, host: options.host, commands, log: options.log,
  })
}
