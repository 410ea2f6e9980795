// The BX24 REST benchmark (issue 4, item 11), against the HTTP dev portal on 127.0.0.1:
// 1. callBatch of 500 commands: how many HTTP requests it takes (target: at most 10);
// 2. a burst of callMethod calls against the portal's leaky bucket: the client limiter must never let the server answer
//    QUERY_LIMIT_EXCEEDED, while keeping at least 90% of the rate the bucket allows (burst + drain x elapsed).
// Time is scaled x5 against Bitrix's standard plan (burst 50, drain 2/s, client re-check 1 s) so the run takes seconds:
// drain 10/s and re-check 200 ms (x5) keep the same ratios.
import { Window } from 'happy-dom'
import { createBX24, restTransport } from '../dist/bx24-shim.mjs'
import { createMockPortal, startPortalServer } from '../dist/node/portal.mjs'
import { saveSuite, table } from './harness.mjs'

const BURST = 50
const DRAIN = 10 // per second
const WEBHOOK_USER = 1

async function withPortal(rateLimit, run) {
  const portal = createMockPortal({ rateLimit })
  const server = await startPortalServer({ portal })
  let requests = 0
  const countingFetch = (url, init) => {
    requests++
    return fetch(url, init)
  }
  const window = new Window({ url: 'http://127.0.0.1/app/' })
  const BX24 = createBX24({
    window,
    transport: restTransport({ webhook: `${server.url}/rest/${WEBHOOK_USER}/${portal.state.webhooks[0].secret}/`, fetch: countingFetch }),
    // Matched to the bucket with two requests of headroom. The client may send while its counter is just under
    // `amount` (fractions drain continuously) and the server counts each request when it arrives, a little later, so
    // it has drained less: at exactly the bucket's burst the limiter was refused 2 of 150 times, at burst - 1 once.
    limiter: { amount: BURST - 2, speed: DRAIN / 1000, sleep: 200 },
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
    await window.happyDOM.close()
  }
}

export async function runBX24Bench() {
  const batch = await withPortal(false, async (BX24, requests) => {
    const commands = {}
    for (let i = 0; i < 500; i++) commands[`c${i}`] = ['crm.deal.get', { id: (i % 120) + 1 }]
    const started = performance.now()
    const results = await BX24.callBatch(commands)
    const ms = performance.now() - started
    const ok = Object.values(results).filter((r) => !r.error()).length
    return { commands: 500, ok, httpRequests: requests(), ms: Math.round(ms) }
  })

  const rate = await withPortal({ burst: BURST, drainPerSecond: DRAIN }, async (BX24, requests) => {
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
  saveSuite('bx24', { batch, rate, bucket: { burst: BURST, drainPerSecond: DRAIN }, limiter: { amount: BURST - 2, perSecond: DRAIN, recheckMs: 200 } })
  return { batch, rate }
}

if (import.meta.url === `file://${process.argv[1]}`) await runBX24Bench()
