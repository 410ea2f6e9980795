// createMockPortal: the in-memory REST engine behind both the BX24 mock transport (through the RestHandler seam)
// and the HTTP dev portal. One request in wire form in, one envelope out; never throws.

import type { RestCatalog } from '../catalog/types'
import type { RestHandler, RestRequest, RestResponse } from '../rest/contract'
import { runBatch, type SubCallOutcome } from './batch'
import { systemClock, type Clock } from './clock'
import { documentedEvents, documentedMethod } from './documented'
import { buildDeliveries, buildInstallDeliveries, queueOffline, type EventDelivery } from './event-delivery'
import { errorResponse, successResponse, timeBlock, toRestError, type MethodResult } from './envelope'
import { methodNotFound, RestError } from './errors'
import type { FormLimits } from './form-decode'
import { createLeakyBucket, type LeakyBucketOptions } from './limiter'
import { createRecordedLog } from './recorded-log'
import { appMethods } from './methods/app'
import { resolveCrmMethod } from './methods/crm'
import { crmStatusMethods } from './methods/crm-statuses'
import { departmentMethods } from './methods/departments'
import { entityMethods } from './methods/entities'
import { eventMethods, KNOWN_EVENTS } from './methods/events'
import { imMethods } from './methods/im'
import { listMethods } from './methods/lists'
import { optionMethods, userOptionsOf } from './methods/options'
import { placementMethods } from './methods/placements'
import { robotMethods } from './methods/robots'
import { taskItemMethods } from './methods/task-items'
import { taskMethods } from './methods/tasks'
import type { CallContext, MethodDef } from './methods/types'
import { userFieldTypeMethods } from './methods/userfieldtypes'
import { userMethods } from './methods/users'
import { parseRequest, type ParsedRequest } from './request'
import { defaultSeed, type PortalSeed } from './seed'
import { createState, type PortalState } from './state'
import { createTokenStore, type Grant, type TokenStore } from './tokens'
import type { Plain, PlainObject } from './values'

export interface MockPortalOptions {
  /** Portal contents; default: defaultSeed() (6 users, 120 deals, contacts, leads, companies). */
  seed?: PortalSeed
  /** Time source for token expiry, the leaky bucket and `time` blocks. */
  clock?: Clock
  /** Access-token lifetime in seconds (Bitrix: 3600). */
  tokenLifetime?: number
  /** Enable the server's leaky bucket (503 QUERY_LIMIT_EXCEEDED). Off by default so tests are not throttled. */
  rateLimit?: LeakyBucketOptions | false
  /** Largest accepted body, in characters (default 8 MiB; larger answers 413). */
  maxBodyBytes?: number
  /** PHP's max_input_nesting_level / max_input_vars for form bodies. */
  formLimits?: FormLimits
  /**
   * More REST methods, e.g. the dev server's pull.application.* wired to its push server. They take precedence over
   * the built-in ones of the same name; `batch` cannot be replaced.
   */
  extraMethods?: Readonly<Record<string, MethodDef>>
  /** Called for every online event delivery (a CRM add/update/delete with a bound handler). Errors are swallowed. */
  onEvent?: (delivery: EventDelivery) => void
  /**
   * How much of its history the portal keeps in `calls` and `deliveries`: at most `maxEntries` each, and calls made
   * by at most `maxBodyChars` characters of request bodies. The oldest go first. Default 10 000 and 32 Mi.
   */
  recordLimits?: { maxEntries?: number; maxBodyChars?: number }
  /**
   * The REST catalogue (src/catalog/): documented methods without a stateful implementation answer their documented
   * example, and event.bind accepts every documented event. The Node dev portal loads it; in-memory tests may pass it.
   */
  catalog?: RestCatalog
}

/** Response header naming the methods of a request that were answered with their documented example. */
export const EXAMPLE_HEADER = 'x-bx24-shim-example'

export interface RecordedCall {
  method: string
  params: PlainObject
  status: number
  error?: string
  userId?: number
  /** Set on commands executed inside a batch. */
  inBatch?: boolean
  /** The answer was the catalogue's documented example, not portal state. */
  example?: true
  at: number
}

export interface MockPortal {
  /** The RestHandler seam (src/rest/contract.ts). */
  readonly handle: RestHandler
  readonly state: PortalState
  readonly clock: Clock
  readonly tokens: TokenStore
  /** Every request and batch command, in order (a test's view of what the app did). */
  readonly calls: RecordedCall[]
  /** Every event delivery built so far (also passed to options.onEvent). */
  readonly deliveries: EventDelivery[]
  /** The first admin, else the first user: who the app runs as when nothing else is said. */
  readonly defaultUserId: number
  /** Tokens for a user session, as the portal page gets them when it renders an app. */
  issueAuth(userId?: number): Grant
  /** What the parent's refreshAuth does: a new pair for a live refresh token, null otherwise. */
  refreshAuth(refreshToken: string): Grant | null
  isAdmin(userId: number): boolean
  user(userId: number): PlainObject | undefined
  /** Rows of a collection: 'crm.deal', 'department', 'entity.<CODE>'. */
  records(collection: string): PlainObject[]
  /** FIRST_RUN is true until the user's app option has install=true (setInstall). */
  isFirstRun(userId: number): boolean
  markRun(userId: number): void
  userOptions(userId: number): PlainObject
  setUserOption(userId: number, name: string, value: Plain): void
  setAppOption(name: string, value: Plain): void
  /** The install has finished (or was undone); finishing it sends ONAPPINSTALL to the install handler and bound handlers. */
  markInstalled(installed: boolean): void
  /** Raises an event as if `userId` (default: defaultUserId) had caused it; returns the deliveries built. */
  raise(event: string, data: Record<string, unknown>, userId?: number): EventDelivery[]
}

const STATIC_METHODS: Record<string, MethodDef> = Object.assign(
  Object.create(null) as Record<string, MethodDef>,
  userMethods, departmentMethods, optionMethods, eventMethods, placementMethods, entityMethods, appMethods, crmStatusMethods,
  taskMethods, taskItemMethods, listMethods, imMethods, userFieldTypeMethods, robotMethods,
)

interface Caller {
  userId: number
  isAdmin: boolean
  authKind: 'oauth' | 'webhook'
  scope: Set<string> | null
}

export function createMockPortal(options: MockPortalOptions = {}): MockPortal {
  const clock = options.clock ?? systemClock
  const state = createState(options.seed ?? defaultSeed())
  const tokens = createTokenStore(clock, options.tokenLifetime ?? 3600)
  const bucket = options.rateLimit ? createLeakyBucket(clock, options.rateLimit) : null
  const maxBody = options.maxBodyBytes ?? 8 * 1024 * 1024
  const calls: RecordedCall[] = []
  const deliveries: EventDelivery[] = []
  const maxEntries = options.recordLimits?.maxEntries ?? 10_000
  const recordCall = createRecordedLog(calls, { maxEntries, maxWeight: options.recordLimits?.maxBodyChars ?? 32 * 1024 * 1024 })
  const recordDelivery = createRecordedLog(deliveries, { maxEntries, maxWeight: Number.POSITIVE_INFINITY })
  const knownEvents: ReadonlySet<string> = new Set([...KNOWN_EVENTS, ...documentedEvents(options.catalog)])
  const hand = (built: EventDelivery[]) => {
    for (const d of built) {
      recordDelivery(d)
      try {
        options.onEvent?.(d)
      } catch {
        // A failing listener must not turn a successful REST call into an error.
      }
    }
    return built
  }
  const issue = (id: number) => tokens.issue(id)
  const emit = (event: string, data: Record<string, unknown>, userId: number): EventDelivery[] => {
    const now = clock.now()
    const signals = queueOffline(state, event, data, userId, now)
    return hand([
      ...buildDeliveries(state, event, data, userId, now, issue),
      ...signals.flatMap((signal) => buildDeliveries(state, 'ONOFFLINEEVENT', signal, userId, now, issue)),
    ])
  }
  const firstUser = Number(state.users[0]?.ID ?? 1)
  const defaultUserId = [...state.admins][0] ?? firstUser

  const authenticate = (req: ParsedRequest): Caller => {
    if (req.webhook) {
      const hook = state.webhooks.find((w) => w.userId === req.webhook!.userId && w.secret === req.webhook!.secret)
      if (!hook) throw new RestError('NO_AUTH_FOUND', 'Wrong authorization data')
      return { userId: hook.userId, isAdmin: state.admins.has(hook.userId), authKind: 'webhook', scope: hook.scope }
    }
    if (!req.auth) throw new RestError('NO_AUTH_FOUND', 'Wrong authorization data')
    const check = tokens.check(req.auth)
    if (check.status === 'expired') throw new RestError('expired_token', 'The access token provided has expired.')
    // Spec §4.3: a token the portal never issued is "Wrong authorization data", like a bad webhook secret.
    if (check.status === 'unknown') throw new RestError('NO_AUTH_FOUND', 'Wrong authorization data')
    return { userId: check.userId, isAdmin: state.admins.has(check.userId), authKind: 'oauth', scope: state.app.scope }
  }

  const methods: Record<string, MethodDef> = Object.assign(Object.create(null) as Record<string, MethodDef>, STATIC_METHODS)
  for (const [name, def] of Object.entries(options.extraMethods ?? {})) methods[name.toLowerCase()] = def
  const resolve = (method: string): MethodDef | undefined =>
    Object.prototype.hasOwnProperty.call(methods, method)
      ? methods[method]
      : resolveCrmMethod(method, state.collections) ?? documentedMethod(options.catalog, method)

  // Methods answered with their documented example in the request being handled (for the response header). One
  // variable is enough: handle() runs a request from start to end without awaiting, so requests never interleave.
  let examples: string[] = []

  const invoke = (method: string, params: PlainObject, caller: Caller): MethodResult => {
    const def = resolve(method)
    if (!def) throw methodNotFound()
    if (def.scope.length > 0 && caller.scope && !def.scope.some((s) => caller.scope!.has(s))) {
      throw new RestError('insufficient_scope', 'The request requires higher privileges than provided by the access token')
    }
    const ctx: CallContext = {
      state, params, userId: caller.userId, isAdmin: caller.isAdmin, authKind: caller.authKind, now: clock.now(),
      emit: (event, data) => void emit(event, data, caller.userId), method, scope: caller.scope, knownEvents,
    }
    const out = def.run(ctx)
    if (def.example) examples.push(method)
    // extraMethods are third-party code: a method that forgets to return its envelope part is a server error.
    if (typeof out !== 'object' || out === null) throw new RestError('INTERNAL_SERVER_ERROR', 'Internal server error')
    return out
  }

  const handle: RestHandler = async (request: RestRequest): Promise<RestResponse> => {
    const started = clock.now()
    let method = typeof request?.method === 'string' ? request.method : ''
    let params: PlainObject | undefined
    let userId: number | undefined
    examples = []
    try {
      if (typeof request !== 'object' || request === null) throw new RestError('INVALID_REQUEST', 'Malformed request')
      if (typeof request.body === 'string' && request.body.length > maxBody) {
        throw new RestError('INVALID_REQUEST', 'Request entity too large', 413)
      }
      const parsed = parseRequest(request, options.formLimits)
      method = parsed.method
      params = parsed.params
      const caller = authenticate(parsed)
      userId = caller.userId
      if (bucket && !bucket.take('portal')) throw new RestError('QUERY_LIMIT_EXCEEDED', 'Too many requests')
      const out =
        method === 'batch'
          ? runBatch(parsed.params, (sub, subParams) => runSubCall(sub, subParams, caller), options.formLimits)
          : invoke(method, parsed.params, caller)
      recordCall({ method, params: parsed.params, status: 200, userId, ...(examples.includes(method) ? { example: true as const } : {}), at: started }, request.body.length)
      const response = successResponse(out, timeBlock(started, clock.now()))
      if (examples.length) response.headers![EXAMPLE_HEADER] = [...new Set(examples)].join(',')
      return response
    } catch (thrown) {
      const error = toRestError(thrown)
      // Only decoded params hold memory; a refused body was never decoded.
      const weight = params && typeof request?.body === 'string' ? request.body.length : 0
      recordCall({ method, params: params ?? (Object.create(null) as PlainObject), status: error.status, error: error.code, ...(userId ? { userId } : {}), at: started }, weight)
      return errorResponse(error)
    }
  }

  const runSubCall = (method: string, params: PlainObject, caller: Caller): SubCallOutcome => {
    const started = clock.now()
    try {
      const before = examples.length
      const ok = invoke(method, params, caller)
      const example = examples.length > before ? { example: true as const } : {}
      recordCall({ method, params, status: 200, userId: caller.userId, inBatch: true, ...example, at: started })
      return { ok, time: timeBlock(started, clock.now()) }
    } catch (thrown) {
      const error = toRestError(thrown)
      recordCall({ method, params, status: error.status, error: error.code, userId: caller.userId, inBatch: true, at: started })
      return { error, time: timeBlock(started, clock.now()) }
    }
  }

  const userOptions = (userId: number) => userOptionsOf({ state }, userId)

  return {
    handle,
    state,
    clock,
    tokens,
    calls,
    deliveries,
    defaultUserId,
    issueAuth: (userId = defaultUserId) => tokens.issue(userId),
    refreshAuth: (refreshToken) => tokens.refresh(refreshToken),
    isAdmin: (userId) => state.admins.has(userId),
    user: (userId) => state.users.find((u) => u.ID === String(userId)),
    records: (collection) => state.collections.get(collection)?.rows ?? [],
    isFirstRun: (userId) => !state.installedFor.has(userId),
    markRun: (userId) => void state.installedFor.add(userId),
    userOptions,
    setUserOption: (userId, name, value) => void (userOptions(userId)[name] = value),
    setAppOption: (name, value) => void (state.appOptions[name] = value),
    markInstalled(installed) {
      const finishing = installed && !state.app.installed
      state.app.installed = installed
      if (finishing) hand(buildInstallDeliveries(state, defaultUserId, clock.now(), issue))
    },
    raise: (event, data, userId = defaultUserId) => emit(event.toUpperCase(), data, userId),
  }
}
