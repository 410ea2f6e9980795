// ajaxResult / ajaxError: what BX24.callMethod callbacks receive (spec §4.5). Class names copy the real library's
// private constructors; the instances are what apps touch (`res.data()`, `res.error().getStatus()`, …).

export interface AjaxErrorBody {
  error?: unknown
  error_description?: unknown
  [key: string]: unknown
}

export class ajaxError {
  constructor(public status: number, public ex: AjaxErrorBody) {}

  getError(): AjaxErrorBody {
    return this.ex
  }

  getStatus(): number {
    return this.status
  }

  toString(): string {
    const description = this.ex.error_description
    return String(this.ex.error) + (description ? ': ' + String(description) : '') + ' (' + this.status + ')'
  }
}

/** The REST envelope as parsed; `ex` is added by ajaxResult when `error` is present. */
export interface Answer {
  result?: unknown
  error?: unknown
  error_description?: unknown
  next?: unknown
  total?: unknown
  time?: unknown
  ex?: ajaxError
  [key: string]: unknown
}

/** The call as made: `ajaxResult.query`, and what next() re-issues. */
export interface Query {
  method: string
  data: unknown
  callback?: ((result: ajaxResult) => void) | undefined
  start?: number
}

/** How next() re-issues a query; injected so this module stays free of transport logic. */
export type Reissue = (query: Query) => Promise<ajaxResult> | undefined

/** `T`: what `data()` returns, known from the method (src/types/rest-methods.ts); `unknown` for other methods. */
export class ajaxResult<T = unknown> {
  answer: Answer
  query: Query
  status: number
  readonly #reissue: Reissue

  constructor(answer: Answer, query: Query, status: number, reissue: Reissue) {
    this.answer = answer
    this.query = { ...query }
    this.status = status
    this.#reissue = reissue
    if (typeof answer.next !== 'undefined') answer.next = parseInt(String(answer.next), 10)
    if (typeof answer.error !== 'undefined') {
      const body = typeof answer.error === 'string' || !isRecord(answer.error) ? answer : (answer.error as AjaxErrorBody)
      answer.ex = new ajaxError(status, body)
    }
  }

  data(): T {
    return this.answer.result as T
  }

  error(): ajaxError | undefined {
    return this.answer.ex
  }

  error_description(): unknown {
    return this.answer.error_description
  }

  more(): boolean {
    return !isNaN(this.answer.next as number)
  }

  total(): number {
    return parseInt(String(this.answer.total), 10)
  }

  time(): unknown {
    return this.answer.time
  }

  /** Re-issue the call from `answer.next`. `false` when there is no more; a Promise when no callback is known. */
  next(cb?: (result: ajaxResult<T>) => void): false | undefined | Promise<ajaxResult<T>> {
    if (!this.more()) return false
    this.query.start = this.answer.next as number
    if (typeof cb === 'function') this.query.callback = cb as (result: ajaxResult) => void
    return this.#reissue({ ...this.query }) as Promise<ajaxResult<T>> | undefined
  }
}

// Apps print these objects (console.log(res), res.constructor.name) and see the real library's names there. A
// minifier renames classes; an own `name` property is what both `.name` and the consoles' class label read (checked
// in chromium), so the names survive every bundle without esbuild's keepNames cost on every other function.
Object.defineProperty(ajaxResult, 'name', { value: 'ajaxResult' })
Object.defineProperty(ajaxError, 'name', { value: 'ajaxError' })

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null
}
