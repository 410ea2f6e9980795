// The `batch` method (spec §5.2-5.3): commands run in order with the batch's own auth, per-item errors, `halt`,
// references to earlier results, a 50-command cap, and PHP-shaped result buckets.

import { RestError } from './errors'
import { errorBody, type MethodResult, type TimeBlock } from './envelope'
import { decodeForm, type FormLimits } from './form-decode'
import { PhpArray, phpToPlain } from './php-array'
import { substitute, type Buckets } from './references'
import { isObject, own, phpTruthy, upperKeys, type Plain, type PlainObject } from './values'

export const BATCH_LIMIT = 50

export type SubCallOutcome = { ok: MethodResult; time: TimeBlock } | { error: RestError; time: TimeBlock }

export type RunSubCall = (method: string, params: PlainObject) => SubCallOutcome

function commandsOf(cmd: Plain | undefined): [string, Plain][] {
  if (Array.isArray(cmd)) return cmd.map((v, i) => [String(i), v])
  if (isObject(cmd)) return Object.keys(cmd).map((k) => [k, cmd[k]!])
  return []
}

export function runBatch(params: PlainObject, runSub: RunSubCall, formLimits: FormLimits = {}): MethodResult {
  // CRestProvider::methodsBatch upper-cases the keys first: `HALT`/`halt`, `CMD`/`cmd` alike.
  const query = upperKeys(params)
  const halt = phpTruthy(own(query, 'HALT'))
  const result = new PhpArray()
  const errors = new PhpArray()
  const totals = new PhpArray()
  const nexts = new PhpArray()
  const times = new PhpArray()
  const buckets: Buckets = { result: new Map(), error: new Map(), total: new Map(), next: new Map(), time: new Map() }
  let count = 0
  for (const [key, command] of commandsOf(own(query, 'CMD'))) {
    // Non-string entries are skipped without a trace, as the server does.
    if (typeof command !== 'string') continue
    count++
    let outcome: SubCallOutcome | { error: RestError; time?: undefined }
    if (count > BATCH_LIMIT) {
      outcome = { error: new RestError('ERROR_BATCH_LENGTH_EXCEEDED', 'Max batch length exceeded') }
    } else {
      const q = command.indexOf('?')
      const method = (q < 0 ? command : command.slice(0, q)).trim().toLowerCase()
      if (method === 'batch') {
        outcome = { error: new RestError('ERROR_BATCH_METHOD_NOT_ALLOWED', 'Method is not allowed for batch usage') }
      } else {
        // parse_url: a '#' starts the fragment, which is not part of the query.
        const rawQuery = q < 0 ? '' : command.slice(q + 1)
        const hash = rawQuery.indexOf('#')
        const query = hash < 0 ? rawQuery : rawQuery.slice(0, hash)
        const subParams = substitute(decodeForm(query, formLimits), buckets) as PlainObject
        // The batch's own auth is used for every command; an `auth` inside a command is ignored.
        delete subParams.auth
        outcome = runSub(method, subParams)
      }
    }
    if ('ok' in outcome) {
      result.set(key, outcome.ok.result as Plain)
      // References walk plain values; PHP-shaped results (empty option maps) are converted for that.
      const raw = outcome.ok.result
      buckets.result.set(key, raw instanceof PhpArray ? phpToPlain(raw) : (raw as Plain))
      if (outcome.ok.total !== undefined) {
        totals.set(key, outcome.ok.total)
        buckets.total.set(key, outcome.ok.total)
      }
      if (outcome.ok.next !== undefined) {
        nexts.set(key, outcome.ok.next)
        buckets.next.set(key, outcome.ok.next)
      }
    } else {
      const err = errorBody(outcome.error)
      errors.set(key, err)
      buckets.error.set(key, err as unknown as Plain)
    }
    if (outcome.time) {
      times.set(key, outcome.time as unknown as Plain)
      buckets.time.set(key, outcome.time as unknown as Plain)
    }
    if (halt && 'error' in outcome) break
  }
  return { result: { result, result_error: errors, result_total: totals, result_next: nexts, result_time: times } }
}
