// callBatch (spec §5): builds `method?query` strings, sends them as one `batch` call and maps the per-command
// results back onto the caller's container (array or object, same keys).
//
// Beyond the real library: more than MAX_BATCH commands are split into several `batch` requests, sent one after
// the other in order, with one callback at the end. `$result[...]` references work only within one request, so a
// reference to a command 50 or more positions earlier does not resolve (the server leaves it as text).

import { ajaxResult, type Answer, type Query } from './ajax-result'
import type { Core } from './core'
import { encodeParams } from './encode-params'
import type { RestClient } from './rest-client'
import { defineValue, hasOwn } from './safe-object'

export const MAX_BATCH = 50

export type BatchResult = ajaxResult[] | Record<string, ajaxResult>
type Entry = { key: string; method: string; params: unknown; cmd: string }

function entriesOf(calls: unknown, log: Core['log']): Entry[] {
  const entries: Entry[] = []
  if (typeof calls !== 'object' || calls === null) return entries
  for (const key of Object.keys(calls)) {
    const item = (calls as Record<string, unknown>)[key]
    if (!item) continue
    let method: unknown
    let params: unknown
    if (Array.isArray(item)) [method, params] = item
    else if (typeof item === 'object' && (item as { method?: unknown }).method) {
      method = (item as { method: unknown }).method
      params = (item as { params?: unknown }).params
    }
    if (!method) continue
    if (typeof method !== 'string') {
      log.warn(`BX24.callBatch: skipped entry "${key}": the method is not a string`)
      continue
    }
    entries.push({ key, method, params, cmd: method + '?' + encodeParams(params) })
  }
  return entries
}

function bucket(data: unknown, name: string): unknown {
  const value = hasOwn(data, name) ? (data as Record<string, unknown>)[name] : undefined
  return typeof value === 'object' && value !== null ? value : {}
}

function pick(source: unknown, key: string): unknown {
  return hasOwn(source, key) ? (source as Record<string, unknown>)[key] : undefined
}

export function createCallBatch(core: Core, client: RestClient) {
  return function callBatch(calls: unknown, callback?: (result: BatchResult) => void, bHaltOnError?: boolean): Promise<BatchResult> | undefined {
    if (callback !== undefined && callback !== null && typeof callback !== 'function') {
      throw new TypeError('BX24.callBatch: the callback must be a function')
    }
    const isArray = Array.isArray(calls)
    const entries = entriesOf(calls, core.log)
    const output: BatchResult = isArray ? [] : {}
    const halt = bHaltOnError ? 1 : 0
    const itemCallback = typeof callback === 'function' ? (callback as unknown as (r: ajaxResult) => void) : undefined

    function place(key: string, value: ajaxResult): void {
      if (isArray) (output as ajaxResult[])[Number(key)] = value
      else defineValue(output, key, value)
    }

    function runChunks(index: number, done: () => void): void {
      const chunk = entries.slice(index, index + MAX_BATCH)
      if (chunk.length === 0) return done()
      const cmd: string[] | Record<string, string> = isArray ? [] : {}
      for (const entry of chunk) {
        if (isArray) (cmd as string[])[Number(entry.key)] = entry.cmd
        else defineValue(cmd, entry.key, entry.cmd)
      }
      const query: Query = { method: 'batch', data: { halt, cmd }, callback: undefined }
      client.run(query, (res) => {
        let failed = false
        const batchError = res.error()
        const data = res.data()
        for (const entry of chunk) {
          const itemQuery: Query = { method: entry.method, data: entry.params, callback: itemCallback }
          if (batchError) {
            // The batch call itself failed: every command carries that error (BX.RestClient's behaviour).
            failed = true
            const answer: Answer = { error: batchError.ex.error, error_description: batchError.ex.error_description }
            place(entry.key, new ajaxResult(answer, itemQuery, res.status, client.run))
            continue
          }
          const results = bucket(data, 'result')
          const errors = bucket(data, 'result_error')
          if (!hasOwn(results, entry.key) && !hasOwn(errors, entry.key)) continue
          const error = pick(errors, entry.key)
          if (error) failed = true
          const answer: Answer = {
            result: hasOwn(results, entry.key) ? pick(results, entry.key) : {},
            error: error || undefined,
            total: pick(bucket(data, 'result_total'), entry.key),
            next: pick(bucket(data, 'result_next'), entry.key),
            time: pick(bucket(data, 'result_time'), entry.key),
          }
          for (const name of ['error', 'total', 'next', 'time'] as const) if (answer[name] === undefined) delete answer[name]
          place(entry.key, new ajaxResult(answer, itemQuery, res.status, client.run))
        }
        if (halt && failed) done()
        else runChunks(index + MAX_BATCH, done)
      })
    }

    if (entries.length === 0) {
      // The real library sends nothing and never calls back; the promise form resolves with the empty container.
      return typeof callback === 'function' ? undefined : Promise.resolve(output)
    }
    if (typeof callback === 'function') {
      runChunks(0, () => core.invoke(callback, core.win, [output]))
      return undefined
    }
    return new Promise((resolve) => runChunks(0, () => resolve(output)))
  }
}
