// @vitest-environment node
// Issue 4, item 9 (second half): the b24jssdk scenario of conformance-b24jssdk.test.ts runs twice, once with
// @bitrix24/b24jssdk's B24Frame and once with OUR BX24 (createBX24 + parentFrameTransport), each against a fresh
// instance of our parent side (createFrameHost, listen: false, custom post) and our HTTP server (startPortalServer).
// Both runs go through the same scenario (init, user.current, a batch with a $result reference, a token refresh, a
// paged crm.deal.list and an unknown method). The tests then compare the two runs field by field: what each client
// ended up with, what it sent to the parent (command names) and what reached the server (method names and outcomes).
//
// The SDK uses the globals `window`, `document` and `parent`, so they are swapped in for its run only. Our BX24 takes
// its window, frame name, target and fetch explicitly.

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ApiVersion, B24Frame } from '@bitrix24/b24jssdk'
import { createBX24 } from '../../src/bx24/index'
import { parentFrameTransport } from '../../src/bx24/transports/parent-frame'
import type { ajaxResult } from '../../src/bx24/ajax-result'
import type { BatchResult } from '../../src/bx24/batch'
import type { FetchLike } from '../../src/bx24/transports/http'
import { startWorld, withTimeout, type World } from './twin-harness'

const g = globalThis as Record<string, unknown>
const STEP_MS = 8000

// ---- the scenario, written once against a small driver interface -------------------------------------------------

interface InitView {
  domain: string
  memberId: string | null
  isAdmin: boolean
  lang: string
  placement: string | null
  /** The access token the client holds is the one the frame host issued for this session. */
  tokenFromHost: boolean
}

interface CallOk {
  ok: true
  status: number
  result: unknown
  /** Only meaningful for list methods. */
  total: number
  next: number | undefined
}
interface CallErr {
  ok: false
  /** How the client surfaced the error: the SDK throws, our Promise rejects with an ajaxResult. */
  via: 'threw' | 'rejected' | 'result'
  code: string
  status: number
  description: string
}
type CallOutcome = CallOk | CallErr

interface Driver {
  init(): Promise<InitView>
  call(method: string, params: Record<string, unknown>): Promise<CallOutcome>
  /** The first page of a list call and the page its own `next` mechanism fetches. */
  pages(method: string, params: Record<string, unknown>): Promise<[CallOutcome, CallOutcome]>
  /** Per-key results (`result` of each command) of a batch with halt on. */
  batch(calls: Record<string, [string, Record<string, unknown>]>): Promise<Record<string, unknown>>
  currentToken(): string | null
  destroy(): void
}

interface StepTrace {
  /** Command names posted to the parent during the step. */
  parent: string[]
  /** Top-level requests that reached the server: `method status|error`. */
  server: string[]
  /** Batch sub-commands the server ran: `method status|error`. */
  sub: string[]
  error?: string
}

interface Run {
  init?: InitView
  user?: CallOutcome
  batch?: Record<string, unknown>
  batchDepParams?: unknown
  refresh?: { outcome: CallOutcome; tokenBefore: string; tokenAfter: string | null; hostTokenAfter: string }
  pages?: [CallOutcome, CallOutcome]
  error?: CallOutcome
  steps: Record<string, StepTrace>
  misdirectedReplies: string[]
}

const LIST_PARAMS = { order: { ID: 'ASC' }, filter: { '>ID': 10 }, select: ['ID', 'TITLE', 'OPPORTUNITY'] }
const REFRESH_PARAMS = { filter: { '>=ID': 118 }, select: ['ID', 'TITLE'] }
const BATCH_CALLS: Record<string, [string, Record<string, unknown>]> = {
  me: ['user.current', {}],
  dep: ['department.get', { ID: '$result[me][UF_DEPARTMENT]' }],
}

/** Each run has its own server port: the domain is compared as "this world's portal host" when it is exactly that. */
function portalRelative(world: World, domain: string): string {
  return domain === world.portalHost ? '<portalHost>' : domain
}

/**
 * Params as the server parsed them, made comparable across the two wires: the SDK POSTs a JSON body (numbers stay
 * numbers) plus its telemetry query params `bx24_request_id`, `bx24_sdk_ver`, `bx24_sdk_type` (spec §4.1); ours
 * POSTs a form body like the real library (§4.2), in which every scalar is a string. So the telemetry keys are
 * dropped and scalars compared as strings.
 */
function wireParams(params: unknown): unknown {
  if (Array.isArray(params)) return params.map(wireParams)
  if (typeof params === 'object' && params !== null) {
    return Object.fromEntries(Object.entries(params).filter(([k]) => !k.startsWith('bx24_')).map(([k, v]) => [k, wireParams(v)]))
  }
  return String(params)
}

function describeCall(c: { method: string; status: number; error?: string }): string {
  return `${c.method} ${c.error ?? c.status}`
}

async function runScenario(world: World, makeDriver: (world: World) => Driver): Promise<Run> {
  const run: Run = { steps: {}, misdirectedReplies: world.misdirectedReplies }
  let driver: Driver | undefined

  async function step<T>(name: string, body: () => Promise<T>): Promise<T | undefined> {
    const p = world.toParent.length
    const s = world.portal.calls.length
    let value: T | undefined
    let error: string | undefined
    try {
      value = await withTimeout(body(), STEP_MS, name)
    } catch (e) {
      error = e instanceof Error ? `${e.name}: ${e.message}` : String(e)
    }
    // Let trailing frame traffic (replies, setInstall echoes) land inside this step.
    await new Promise((r) => setTimeout(r, 20))
    const calls = world.portal.calls.slice(s)
    run.steps[name] = {
      parent: world.toParent.slice(p).map((m) => m.command),
      server: calls.filter((c) => !c.inBatch).map(describeCall),
      sub: calls.filter((c) => c.inBatch).map(describeCall),
      ...(error ? { error } : {}),
    }
    return value
  }

  run.init = await step('init', async () => {
    driver = makeDriver(world)
    return driver.init()
  })
  if (!driver) return run
  const d = driver
  run.user = await step('user.current', () => d.call('user.current', {}))
  run.batch = await step('batch', () => d.batch(BATCH_CALLS))
  run.batchDepParams = world.portal.calls.filter((c) => c.inBatch && c.method === 'department.get').at(-1)?.params
  run.refresh = await step('refresh', async () => {
    const tokenBefore = world.host.auth().accessToken
    world.portal.tokens.expire(tokenBefore)
    const outcome = await d.call('crm.deal.list', REFRESH_PARAMS)
    return { outcome, tokenBefore, tokenAfter: d.currentToken(), hostTokenAfter: world.host.auth().accessToken }
  })
  run.pages = await step('pages', () => d.pages('crm.deal.list', LIST_PARAMS))
  run.error = await step('error', () => d.call('no.such.method', {}))
  d.destroy()
  return run
}

// ---- driver 1: b24jssdk's B24Frame ------------------------------------------------------------------------------

interface SdkResultLike {
  isSuccess: boolean
  getStatus(): number
  getData(): { result: unknown } | undefined
  getTotal(): number
  getErrors(): IterableIterator<unknown>
  getNext(http: unknown): Promise<SdkResultLike | false>
}
interface SdkErrorLike {
  code?: string
  status?: number
  message?: string
}

function sdkError(e: unknown, via: CallErr['via']): CallErr {
  const err = e as SdkErrorLike
  return { ok: false, via, code: String(err.code), status: Number(err.status), description: String(err.message ?? '') }
}

function sdkOutcome(res: SdkResultLike): CallOutcome {
  if (!res.isSuccess) return sdkError([...res.getErrors()][0], 'result')
  // getData() keeps only {result, time}; `next` is read from the envelope as AjaxResult.getNext() does.
  const next = (res as unknown as { _data: { next?: unknown } })._data.next
  return { ok: true, status: res.getStatus(), result: res.getData()!.result, total: res.getTotal(), next: typeof next === 'number' ? next : undefined }
}

function sdkDriver(world: World): Driver {
  const b24 = new B24Frame({ DOMAIN: world.portalHost, PROTOCOL: false, LANG: null, APP_SID: world.host.appSid } as never)
  const call = async (method: string, params: Record<string, unknown>): Promise<CallOutcome> => {
    try {
      return sdkOutcome((await b24.actions.v2.call.make({ method, params } as never)) as unknown as SdkResultLike)
    } catch (e) {
      return sdkError(e, 'threw')
    }
  }
  return {
    async init() {
      await b24.init()
      const auth = b24.auth.getAuthData()
      return {
        domain: portalRelative(world, new URL(b24.getTargetOrigin()).host),
        memberId: auth ? auth.member_id : null,
        isAdmin: b24.auth.isAdmin,
        lang: b24.getLang(),
        placement: b24.placement.placement,
        tokenFromHost: !!auth && auth.access_token === world.host.auth().accessToken,
      }
    },
    call,
    async pages(method, params) {
      const first = (await b24.actions.v2.call.make({ method, params } as never)) as unknown as SdkResultLike
      const second = await first.getNext(b24.getHttpClient(ApiVersion.v2))
      if (second === false) throw new Error('SDK: getNext() reported no more pages')
      return [sdkOutcome(first), sdkOutcome(second)]
    },
    async batch(calls) {
      const res = (await b24.actions.v2.batch.make({ calls, options: { isHaltOnError: true } } as never)) as unknown as SdkResultLike
      if (!res.isSuccess) throw new Error(`SDK batch failed: ${String([...res.getErrors()][0])}`)
      // Without returnAjaxResult the SDK hands back each command's `result` under its key.
      return res.getData() as unknown as Record<string, unknown>
    },
    currentToken() {
      const auth = b24.auth.getAuthData()
      return auth ? auth.access_token : null
    },
    destroy() {
      b24.destroy()
    },
  }
}

// ---- driver 2: our BX24 ---------------------------------------------------------------------------------------------

function ourOutcome(res: ajaxResult, via: CallErr['via']): CallOutcome {
  const ex = res.error()
  if (ex) {
    const body = ex.getError() as { error?: unknown; error_description?: unknown }
    return { ok: false, via, code: String(body.error), status: ex.getStatus(), description: String(body.error_description ?? '') }
  }
  const next = res.answer.next
  return { ok: true, status: res.status, result: res.data(), total: res.total(), next: typeof next === 'number' && !isNaN(next) ? next : undefined }
}

async function settle(promise: Promise<ajaxResult> | false | undefined): Promise<CallOutcome> {
  if (!promise) throw new Error('BX24: expected a Promise (no callback given)')
  try {
    return ourOutcome(await promise, 'result')
  } catch (rejected) {
    // Our callMethod without a callback rejects with the ajaxResult when error() is set (docs/bx24.md, spec §4.8).
    return ourOutcome(rejected as ajaxResult, 'rejected')
  }
}

function ourDriver(world: World): Driver {
  const win = world.win as unknown as Window
  const fetchImpl: FetchLike = (url, init) => fetch(url, init)
  const transport = parentFrameTransport({ window: win, name: world.host.frameName, target: world.parent, fetch: fetchImpl })
  const BX24 = createBX24({ window: win, transport })
  return {
    async init() {
      await new Promise<void>((resolve) => BX24.init(() => resolve()))
      const auth = BX24.getAuth()
      return {
        domain: portalRelative(world, BX24.getDomain()),
        memberId: auth ? auth.member_id : null,
        isAdmin: BX24.isAdmin(),
        lang: BX24.getLang(),
        placement: BX24.placement.info().placement,
        tokenFromHost: !!auth && auth.access_token === world.host.auth().accessToken,
      }
    },
    call: (method, params) => settle(BX24.callMethod(method, params)),
    async pages(method, params) {
      const first = await BX24.callMethod(method, params)!
      const second = await settle(first.next())
      return [ourOutcome(first, 'result'), second]
    },
    async batch(calls) {
      const results = (await BX24.callBatch(calls, undefined, true)!) as BatchResult
      const out: Record<string, unknown> = {}
      for (const [key, res] of Object.entries(results)) {
        if (res.error()) throw new Error(`BX24 batch item ${key} failed: ${String(res.error())}`)
        out[key] = res.data()
      }
      return out
    },
    currentToken() {
      const auth = BX24.getAuth()
      return auth ? auth.access_token : null
    },
    destroy() {
      BX24.shim.destroy()
    },
  }
}

// ---- running both ---------------------------------------------------------------------------------------------------

let sdkWorld: World
let ourWorld: World
let sdk: Run
let ours: Run
const saved: Record<string, unknown> = {}

async function withSdkGlobals<T>(world: World, body: () => Promise<T>): Promise<T> {
  for (const k of ['window', 'document', 'parent']) saved[k] = g[k]
  g.window = world.win
  g.document = world.win.document
  g.parent = world.parent
  try {
    return await body()
  } finally {
    for (const k of Object.keys(saved)) g[k] = saved[k]
  }
}

beforeAll(async () => {
  sdkWorld = await startWorld()
  ourWorld = await startWorld()
  sdk = await withSdkGlobals(sdkWorld, () => runScenario(sdkWorld, sdkDriver))
  ours = await runScenario(ourWorld, ourDriver)
}, 60_000)

afterAll(async () => {
  await sdkWorld?.close()
  await ourWorld?.close()
})

function okOf(outcome: CallOutcome | undefined): CallOk {
  expect(outcome, 'no outcome recorded').toBeDefined()
  if (!outcome!.ok) throw new Error(`expected success, got ${outcome!.code} (${outcome!.status}): ${outcome!.description}`)
  return outcome!
}

function rowsOf(outcome: CallOutcome | undefined): Record<string, unknown>[] {
  return okOf(outcome).result as Record<string, unknown>[]
}

describe('BX24-49 twin conformance: b24jssdk B24Frame and our BX24 run the same scenario against the dev portal', () => {
  it('BX24-49 every step completed in both runs (no step threw or timed out)', () => {
    const errors = (run: Run) => Object.fromEntries(Object.entries(run.steps).filter(([, t]) => t.error).map(([k, t]) => [k, t.error]))
    expect(errors(sdk)).toEqual({})
    expect(errors(ours)).toEqual({})
    expect(Object.keys(ours.steps)).toEqual(Object.keys(sdk.steps))
    expect(sdk.misdirectedReplies).toEqual([])
    expect(ours.misdirectedReplies).toEqual([])
  })

  it('BX24-49 init: both clients end up with the same domain, member id, admin flag, lang and placement', () => {
    expect(sdk.init).toBeDefined()
    expect(ours.init).toEqual(sdk.init)
    // And those are the portal's values, not two clients agreeing on something wrong.
    const seedPortal = ourWorld.portal.state
    expect(ours.init).toEqual({
      domain: '<portalHost>',
      memberId: seedPortal.memberId,
      isAdmin: true,
      lang: 'en',
      placement: 'DEFAULT',
      tokenFromHost: true,
    })
  })

  it('BX24-49 init: both send exactly one getInitData to the portal origin and nothing reaches the server', () => {
    expect(ours.steps.init!.parent).toEqual(sdk.steps.init!.parent)
    expect(sdk.steps.init!.parent).toEqual(['getInitData'])
    // FIRST_RUN is false in the default seed, so neither client sends setInstall (see the FIRST_RUN test below).
    expect(ours.steps.init!.server).toEqual([])
    expect(sdk.steps.init!.server).toEqual([])
    for (const w of [sdkWorld, ourWorld]) {
      const first = w.toParent[0]!
      expect(first.targetOrigin).toBe(w.portalOrigin)
      // String form; the SDK omits the empty params segment (3 segments), ours writes it (4): both parse (§2.1/§2.2).
      expect(String(first.raw)).toMatch(new RegExp(`^getInitData:(:)?[0-9a-z-]+:${w.host.appSid}$`))
    }
  })

  it('BX24-49 user.current: the same user, field by field', () => {
    const a = okOf(sdk.user)
    const b = okOf(ours.user)
    expect(b.result).toEqual(a.result)
    expect(b.status).toBe(a.status)
    expect((b.result as { ID: string }).ID).toBe(String(ourWorld.portal.defaultUserId))
    expect(ours.steps['user.current']).toEqual(sdk.steps['user.current'])
    expect(sdk.steps['user.current']).toEqual({ parent: [], server: ['user.current 200'], sub: [] })
  })

  it('BX24-49 batch with a $result reference: the same per-key results and the same sub-commands on the server', () => {
    expect(sdk.batch).toBeDefined()
    expect(ours.batch).toEqual(sdk.batch)
    expect(Object.keys(ours.batch!)).toEqual(['me', 'dep'])
    expect((ours.batch!.me as { ID: string }).ID).toBe('1')
    expect((ours.batch!.dep as { NAME: string }[]).map((d) => d.NAME)).toEqual(['Dev Portal Ltd'])
    // The whole-value reference kept the array on both wires.
    expect(ours.batchDepParams).toEqual(sdk.batchDepParams)
    expect((sdk.batchDepParams as { ID: unknown }).ID).toEqual([1])
    expect(ours.steps.batch).toEqual(sdk.steps.batch)
    expect(sdk.steps.batch).toEqual({ parent: [], server: ['batch 200'], sub: ['user.current 200', 'department.get 200'] })
  })

  it('BX24-49 token refresh: expired_token → exactly one refreshAuth to the parent → retry, with the same data', () => {
    const a = sdk.refresh!
    const b = ours.refresh!
    expect(rowsOf(b.outcome)).toEqual(rowsOf(a.outcome))
    expect(rowsOf(a.outcome).map((r) => r.ID)).toEqual(['118', '119', '120'])
    expect(okOf(b.outcome).total).toBe(okOf(a.outcome).total)
    expect(ours.steps.refresh!.parent).toEqual(sdk.steps.refresh!.parent)
    expect(sdk.steps.refresh!.parent).toEqual(['refreshAuth'])
    expect(ours.steps.refresh!.server).toEqual(sdk.steps.refresh!.server)
    expect(sdk.steps.refresh!.server).toEqual(['crm.deal.list expired_token', 'crm.deal.list 200'])
    for (const r of [a, b]) {
      expect(r.hostTokenAfter).not.toBe(r.tokenBefore)
      // Each client now holds the token its parent handed out.
      expect(r.tokenAfter).toBe(r.hostTokenAfter)
    }
  })

  it('BX24-49 paged crm.deal.list: the same rows, total and next on the first page and on the page `next` fetches', () => {
    const [a1, a2] = sdk.pages!
    const [b1, b2] = ours.pages!
    expect(rowsOf(b1)).toEqual(rowsOf(a1))
    expect(rowsOf(b2)).toEqual(rowsOf(a2))
    expect([okOf(b1).total, okOf(b1).next, okOf(b2).total, okOf(b2).next]).toEqual([okOf(a1).total, okOf(a1).next, okOf(a2).total, okOf(a2).next])
    // Deals 11..120 with ascending IDs: 110 rows, pages of 50.
    expect(rowsOf(a1)).toHaveLength(50)
    expect(rowsOf(a1)[0]).toEqual({ ID: '11', TITLE: expect.any(String), OPPORTUNITY: expect.anything() })
    expect(rowsOf(a2).map((r) => r.ID)[0]).toBe('61')
    expect([okOf(a1).total, okOf(a1).next, okOf(a2).next]).toEqual([110, 50, 100])
    expect(ours.steps.pages).toEqual(sdk.steps.pages)
    expect(sdk.steps.pages).toEqual({ parent: [], server: ['crm.deal.list 200', 'crm.deal.list 200'], sub: [] })
    // Both clients sent the same filter/order/select, and the second request carried start=50.
    const listParams = (w: World) => w.portal.calls.filter((c) => c.method === 'crm.deal.list' && c.status === 200).slice(-2).map((c) => wireParams(c.params))
    expect(listParams(ourWorld)).toEqual(listParams(sdkWorld))
    expect(listParams(ourWorld)[1]).toMatchObject({ start: '50', filter: { '>ID': '10' } })
  })

  it('BX24-49 unknown method: the same error code, status and description (the SDK throws, ours rejects with the result)', () => {
    const a = sdk.error!
    const b = ours.error!
    expect(a.ok).toBe(false)
    expect(b.ok).toBe(false)
    if (a.ok || b.ok) return
    // Surfacing differs by design: B24Frame throws an AjaxError (spec §11 T1); our callMethod without a callback
    // returns a Promise that rejects with the ajaxResult whose error() is set (docs/bx24.md "Promises").
    expect(a.via).toBe('threw')
    expect(b.via).toBe('rejected')
    expect({ code: b.code, status: b.status, description: b.description }).toEqual({ code: a.code, status: a.status, description: a.description })
    expect(a.code).toBe('ERROR_METHOD_NOT_FOUND')
    expect(a.status).toBe(404)
    expect(ours.steps.error).toEqual(sdk.steps.error)
    expect(sdk.steps.error).toEqual({ parent: [], server: ['no.such.method ERROR_METHOD_NOT_FOUND'], sub: [] })
  })

  it('BX24-49 over the whole scenario: the same parent commands and the same server trail', () => {
    const all = (run: Run, key: 'parent' | 'server' | 'sub') => Object.values(run.steps).flatMap((t) => t[key])
    expect(all(ours, 'parent')).toEqual(all(sdk, 'parent'))
    expect(all(ours, 'server')).toEqual(all(sdk, 'server'))
    expect(all(ours, 'sub')).toEqual(all(sdk, 'sub'))
    expect(all(sdk, 'parent')).toEqual(['getInitData', 'refreshAuth'])
    // Every command went to the portal origin.
    for (const w of [sdkWorld, ourWorld]) expect(new Set(w.toParent.map((m) => m.targetOrigin))).toEqual(new Set([w.portalOrigin]))
  })
})

// ---- FIRST_RUN: a documented SDK difference ------------------------------------------------------------------------

describe('BX24-49 twin conformance, FIRST_RUN: the one init difference between the clients is the SDK\'s setInstall', () => {
  let a: World
  let b: World
  afterAll(async () => {
    await a?.close()
    await b?.close()
  })

  it('BX24-49 with FIRST_RUN true and no installer: the SDK sends setInstall and awaits its echo; ours, like the real library, does not', async () => {
    const firstRun = (seed: { installedFor?: number[] }) => {
      seed.installedFor = []
    }
    a = await startWorld(firstRun)
    b = await startWorld(firstRun)
    const sdkInit = await withSdkGlobals(a, async () => {
      const d = sdkDriver(a)
      try {
        return await withTimeout(d.init(), STEP_MS, 'sdk init')
      } finally {
        d.destroy()
      }
    })
    const d = ourDriver(b)
    const ourInit = await withTimeout(d.init(), STEP_MS, 'our init')
    await new Promise((r) => setTimeout(r, 50))
    d.destroy()
    expect(ourInit).toEqual(sdkInit)
    // Spec §1.5: with FIRST_RUN true but no installer queued, the real BX24 never sends setInstall; b24jssdk always
    // does and awaits the echo (J dist/esm/frame/b24.mjs). Ours follows the real library, so FIRST_RUN stays true.
    expect(a.toParent.map((m) => m.command)).toEqual(['getInitData', 'setInstall'])
    expect(b.toParent.map((m) => m.command)).toEqual(['getInitData'])
    expect(a.portal.isFirstRun(a.portal.defaultUserId)).toBe(false)
    expect(b.portal.isFirstRun(b.portal.defaultUserId)).toBe(true)
  })
})
