// The BX24 REST benchmark, against the HTTP dev portal on 127.0.0.1, in plain Node (no DOM needed since issue 11):
// 1. callBatch of 500 commands: how many HTTP requests it takes (target: at most 10);
// 2. a burst of callMethod calls against the portal's leaky bucket: the client limiter must never let the server answer
//    QUERY_LIMIT_EXCEEDED, while keeping at least 90% of the rate the bucket allows (burst + drain x elapsed);
// 3. listing 10,000 deals: BX24.shim.listAll against naive next() paging in the same run (target: at most 5 requests).
// Time is scaled x5 against Bitrix's standard plan (burst 50, drain 2/s, client re-check 1 s) so the run takes seconds:
// drain 10/s and re-check 200 ms (x5) keep the same ratios.
import { createBX24, restTransport } from '../dist/bx24-shim.mjs'
import { createMockPortal, defaultSeed, startPortalServer } from '../dist/node/portal.mjs'
import { saveSuite, table } from './harness.mjs'

const BURST = 50
const DRAIN = 10 // per second
const WEBHOOK_USER = 1

// Matched to the bucket with two requests of headroom. The client may send while its counter is just under `amount`
// (fractions drain continuously) and the server counts each request when it arrives, a little later, so it has
// drained less: at exactly the bucket's burst the limiter was refused 2 of 150 times, at burst - 1 once.
const MATCHED_LIMITER = { amount: BURST - 2, speed: DRAIN / 1000, sleep: 200 }
// The real library's limiter (90 calls, 2/s, re-check 1 s), at the same x5 time scale.
const REAL_LIMITER_X5 = { amount: 90, speed: 0.002 * 5, sleep: 1000 / 5 }

async function withPortal({ rateLimit = false, seed, limiter = MATCHED_LIMITER }, run) {
  const portal = createMockPortal({ rateLimit, seed })
  const server = await startPortalServer({ portal })
  let requests = 0
  const countingFetch = (url, init) => {
    requests++
    return fetch(url, init)
  }
  const BX24 = createBX24({
    transport: restTransport({ webhook: `${server.url}/rest/${WEBHOOK_USER}/${portal.state.webhooks[0].secret}/`, fetch: countingFetch }),
    limiter,
  })
  try {
    // The rest transport reads user and app options at init, outside the client limiter: let init finish and those
    // requests drain from the bucket, then count only what the measured calls send.
    await new Promise((resolve) => BX24.init(resolve))
    await new Promise((resolve) => setTimeout(resolve, 3000 / DRAIN))
    const before = requests
    return await run(BX24, () => requests - before)
  } finally {
    BX24.shim.destroy()
    await server.close()
  }
}

/** Naive paging as apps write it: callMethod, then next() until more() is false. */
function pageWithNext(BX24, method, params) {
  return new Promise((resolve) => {
    let rows = 0
    BX24.callMethod(method, params, function onPage(result) {
      rows += result.data().length
      if (result.more()) result.next()
      else resolve(rows)
    })
  })
}

const DEALS = 10_000

function dealSeed() {
  const seed = defaultSeed()
  seed.crm.deal = Array.from({ length: DEALS }, (_, i) => ({ ID: i + 1, TITLE: `Deal ${i + 1}`, STAGE_ID: i % 3 ? 'NEW' : 'WON', OPPORTUNITY: i * 10 }))
  return seed
}

/** One way of listing every deal: its HTTP requests, wall time and rows. */
async function listing(name, limiter, list) {
  return withPortal({ seed: dealSeed(), limiter }, async (BX24, requests) => {
    const started = performance.now()
    const rows = await list(BX24)
    const ms = performance.now() - started
    if (rows !== DEALS) throw new Error(`${name}: listed ${rows} deals, not ${DEALS}`)
    return { listing: name, rows, httpRequests: requests(), ms: Math.round(ms) }
  })
}

async function runListAllBench() {
  const params = { select: ['ID', 'TITLE'] }
  const listAll = (BX24) => BX24.shim.listAll('crm.deal.list', params).then((rows) => rows.length)
  const naive = (BX24) => pageWithNext(BX24, 'crm.deal.list', params)
  // No client limiter: what the requests themselves cost. One unmeasured round warms both paths up, then each is
  // measured twice in A B B A order and averaged, so neither gains from running later.
  await listing('warm-up', false, listAll)
  await listing('warm-up', false, naive)
  const runs = [await listing('listAll', false, listAll), await listing('next() paging', false, naive)]
  runs.push(await listing('next() paging', false, naive), await listing('listAll', false, listAll))
  const mean = (name) => {
    const mine = runs.filter((r) => r.listing === name)
    return { ...mine[0], ms: Math.round(mine.reduce((sum, r) => sum + r.ms, 0) / mine.length) }
  }
  const fast = mean('listAll')
  const slow = mean('next() paging')
  // The real library's limiter (x5 time scale): 90 requests at once, then 2 per second.
  const fastLimited = await listing('listAll, real limiter x5', REAL_LIMITER_X5, listAll)
  const slowLimited = await listing('next() paging, real limiter x5', REAL_LIMITER_X5, naive)
  // Only the limiter's waiting is scaled; the requests themselves take what they take. So at real scale a listing
  // takes about its unlimited time plus five times the wait the limiter added.
  for (const [limited, free] of [[fastLimited, fast], [slowLimited, slow]]) {
    limited['ms at real scale'] = free.ms + Math.max(0, limited.ms - free.ms) * 5
  }
  const rows = [fast, slow, fastLimited, slowLimited]
  table(rows.map((r) => ({ 'ms at real scale': '', ...r })), ['listing', 'rows', 'httpRequests', 'ms', 'ms at real scale'])
  return {
    deals: DEALS,
    listAll: fast,
    nextPaging: slow,
    listAllRealLimiter: fastLimited,
    nextPagingRealLimiter: slowLimited,
    'requests ratio (paging / listAll)': +(slow.httpRequests / fast.httpRequests).toFixed(1),
    'time ratio, no limiter (paging / listAll)': +(slow.ms / fast.ms).toFixed(2),
    'time ratio, real limiter at real scale (paging / listAll)': +(slowLimited['ms at real scale'] / fastLimited['ms at real scale']).toFixed(1),
  }
}

export async function runBX24Bench() {
  const batch = await withPortal({}, async (BX24, requests) => {
    const commands = {}
    for (let i = 0; i < 500; i++) commands[`c${i}`] = ['crm.deal.get', { id: (i % 120) + 1 }]
    const started = performance.now()
    const results = await BX24.callBatch(commands)
    const ms = performance.now() - started
    const ok = Object.values(results).filter((r) => !r.error()).length
    return { commands: 500, ok, httpRequests: requests(), ms: Math.round(ms) }
  })

  const rate = await withPortal({ rateLimit: { burst: BURST, drainPerSecond: DRAIN } }, async (BX24, requests) => {
    const calls = BURST + DRAIN * 5 // a burst, then 5 s worth of drain
    const started = performance.now()
    const answers = await Promise.all(
      Array.from({ length: calls }, () => BX24.callMethod('user.current', {}).then((r) => r, (r) => r)),
    )
    const seconds = (performance.now() - started) / 1000
    const limited = answers.filter((r) => r.error() && String(r.error().ex?.error) === 'QUERY_LIMIT_EXCEEDED').length
    const failed = answers.filter((r) => r.error()).length
    const allowed = BURST + DRAIN * seconds
    return {
      calls, httpRequests: requests(), seconds: +seconds.toFixed(2), queryLimitExceeded: limited, otherErrors: failed - limited,
      'requests/s': +(calls / seconds).toFixed(1), 'x allowed': +(calls / allowed).toFixed(3),
    }
  })

  table([batch], Object.keys(batch))
  console.log()
  table([rate], Object.keys(rate))
  console.log(`\ncallBatch(500) took ${batch.httpRequests} HTTP requests (target <= 10); limiter kept ${rate['x allowed']} x the` +
    ` bucket's allowed rate (target >= 0.9) with ${rate.queryLimitExceeded} QUERY_LIMIT_EXCEEDED (target 0)`)
  console.log()
  const list = await runListAllBench()
  console.log(`\nlistAll took ${list.listAll.httpRequests} HTTP requests for ${DEALS} deals (target <= 5), next() paging ` +
    `${list.nextPaging.httpRequests}: ${list['requests ratio (paging / listAll)']}x the requests, ` +
    `${list['time ratio, no limiter (paging / listAll)']}x the time without a client limiter and ` +
    `${list['time ratio, real limiter at real scale (paging / listAll)']}x under the real library's limiter ` +
    `(${(list.nextPagingRealLimiter['ms at real scale'] / 1000).toFixed(1)} s at real scale)`)
  saveSuite('bx24', { batch, rate, bucket: { burst: BURST, drainPerSecond: DRAIN }, limiter: { amount: BURST - 2, perSecond: DRAIN, recheckMs: 200 }, list })
  return { batch, rate, list }
}

if (import.meta.url === `file://${process.argv[1]}`) await runBX24Bench()
