// Filter, order, select and paging over a list of rows, the way Bitrix's list methods read their parameters
// (crm.*.list, user.get, entity.item.get, department.get).

import { RestError } from './errors'
import type { MethodResult } from './envelope'
import { asList, createObject, isObject, phpInt, phpString, type Plain, type PlainObject } from './values'

/** The server's fixed page size (IRestService::LIST_LIMIT). */
export const PAGE_SIZE = 50

type Op = '=' | '!' | '>' | '<' | '>=' | '<=' | '%' | '!%' | '@' | '!@' | '=%' | '!=%'

export interface Condition {
  field: string
  op: Op
  value: Plain
}

// Longest prefixes first. `=%`/`%=` are LIKE with the caller's own `%`/`_` wildcards; `%` alone is "contains".
const PREFIX = /^(!=%|!%=|=%|%=|!%|!@|!=|>=|<=|=|!|>|<|%|@)?(.*)$/s

export function parseFilter(filter: Plain | undefined): Condition[] {
  if (filter === undefined || filter === null || filter === '') return []
  if (!isObject(filter) && !Array.isArray(filter)) throw new RestError('ERROR_ARGUMENT', 'Parameter "filter" must be an array.')
  const out: Condition[] = []
  const obj = isObject(filter) ? filter : Object.assign(createObject(), filter)
  for (const key of Object.keys(obj)) {
    const m = PREFIX.exec(key)!
    const raw = m[1] ?? ''
    const field = m[2]!.trim()
    if (field === '') continue
    const op: Op = raw === '' ? '=' : raw === '!=' ? '!' : raw === '%=' ? '=%' : raw === '!%=' ? '!=%' : (raw as Op)
    out.push({ field, op, value: obj[key]! })
  }
  return out
}

const NUMERIC = /^\s*-?\d+(\.\d+)?\s*$/

/** Flags are stored as booleans (user ACTIVE) or 'Y'/'N' (CRM); filters send true, 'true', 1 or 'Y' alike. */
function flag(v: Plain | undefined): string | null {
  if (typeof v === 'boolean') return v ? 'Y' : 'N'
  if (typeof v === 'string' || typeof v === 'number') {
    const s = String(v).toLowerCase()
    if (s === 'y' || s === 'true' || s === '1') return 'Y'
    if (s === 'n' || s === 'false' || s === '0' || s === '') return 'N'
  }
  return null
}

function compare(a: Plain | undefined, b: Plain): number {
  if (typeof a === 'boolean' || typeof b === 'boolean') {
    const fa = flag(a)
    const fb = flag(b)
    if (fa !== null && fb !== null) return fa === fb ? 0 : fa < fb ? -1 : 1
  }
  const sa = scalar(a)
  const sb = scalar(b)
  if (NUMERIC.test(sa) && NUMERIC.test(sb)) return Number(sa) - Number(sb)
  // Dates: the store keeps ATOM strings; filters arrive as ISO (a JS Date through BX24 is toJSON()), 'YYYY-MM-DD'
  // or the site format 'DD.MM.YYYY [HH:MI:SS]'. Bitrix converts both sides to its DateTime before comparing.
  const da = parseDate(sa)
  const db = da === null ? null : parseDate(sb)
  if (da !== null && db !== null) return da - db
  // MySQL's default collations compare text case-insensitively.
  const la = sa.toLowerCase()
  const lb = sb.toLowerCase()
  return la < lb ? -1 : la > lb ? 1 : 0
}

function scalar(v: Plain | undefined): string {
  if (v === undefined || v === null) return ''
  if (typeof v === 'boolean') return v ? 'Y' : 'N'
  if (typeof v === 'object') return ''
  return String(v)
}

function test(rowValue: Plain | undefined, op: Op, value: Plain): boolean {
  // Multi-value fields (UF_DEPARTMENT, PHONE lists) match when any of their values matches.
  if (Array.isArray(rowValue)) {
    const any = rowValue.some((v) => test(v, op.startsWith('!') ? (op.slice(1) || '=') as Op : op, value))
    return op.startsWith('!') ? !any : any
  }
  const list = asList(value)
  switch (op) {
    case '=':
      return list ? list.some((v) => compare(rowValue, v) === 0) : compare(rowValue, value) === 0
    case '@':
      return (list ?? [value]).some((v) => compare(rowValue, v) === 0)
    case '!':
      return list ? list.every((v) => compare(rowValue, v) !== 0) : compare(rowValue, value) !== 0
    case '!@':
      return (list ?? [value]).every((v) => compare(rowValue, v) !== 0)
    case '>':
      return compare(rowValue, value) > 0
    case '<':
      return compare(rowValue, value) < 0
    case '>=':
      return compare(rowValue, value) >= 0
    case '<=':
      return compare(rowValue, value) <= 0
    case '%':
      return scalar(rowValue).toLowerCase().includes(scalar(value).toLowerCase())
    case '!%':
      return !scalar(rowValue).toLowerCase().includes(scalar(value).toLowerCase())
    case '=%':
      return likePattern(scalar(value)).test(scalar(rowValue))
    case '!=%':
      return !likePattern(scalar(value)).test(scalar(rowValue))
  }
}

/** SQL LIKE: `%` any run, `_` one character, case-insensitive (MySQL collation); everything else literal. */
export function likePattern(pattern: string): RegExp {
  let source = ''
  for (const c of pattern) source += c === '%' ? '.*' : c === '_' ? '.' : c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')
  return new RegExp(`^${source}$`, 'is')
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/
const SITE_DATE = /^(\d{2})\.(\d{2})\.(\d{4})(?: (\d{2}):(\d{2})(?::(\d{2}))?)?$/

/** Epoch ms of a date in one of the forms Bitrix accepts in filters, or null. Times without an offset are UTC (the dev portal's zone). */
export function parseDate(text: string): number | null {
  const iso = ISO_DATE.exec(text.trim())
  const site = iso ? null : SITE_DATE.exec(text.trim())
  if (!iso && !site) return null
  const [y, mo, d, h, mi, sec] = (iso ? iso.slice(1, 7) : [site![3], site![2], site![1], site![4], site![5], site![6]]).map((v) => Number(v ?? 0))
  if (mo! < 1 || mo! > 12 || d! < 1 || d! > 31 || h! > 23 || mi! > 59 || sec! > 59) return null
  const base = Date.UTC(y!, mo! - 1, d!, h, mi, sec)
  const zone = iso?.[7] ? /^([+-])(\d{2}):?(\d{2})$/.exec(iso[7]) : null
  if (!zone) return base
  const offset = (Number(zone[2]) * 60 + Number(zone[3])) * 60_000
  return zone[1] === '+' ? base - offset : base + offset
}
export function applyFilter(rows: PlainObject[], conditions: Condition[]): PlainObject[] {
  if (conditions.length === 0) return rows
  return rows.filter((row) => conditions.every((c) => test(fieldOf(row, c.field), c.op, c.value)))
}

function fieldOf(row: PlainObject, field: string): Plain | undefined {
  return Object.prototype.hasOwnProperty.call(row, field) ? row[field] : undefined
}

export function applyOrder(rows: PlainObject[], order: Plain | undefined, fallback = 'ID'): PlainObject[] {
  const keys: [string, number][] = []
  if (isObject(order)) {
    for (const k of Object.keys(order)) keys.push([k, phpString(order[k]).toUpperCase() === 'DESC' ? -1 : 1])
  }
  if (keys.length === 0) keys.push([fallback, 1])
  // Array.prototype.sort is stable, so rows equal on every key keep their stored order.
  return [...rows].sort((a, b) => {
    for (const [k, dir] of keys) {
      const c = compare(fieldOf(a, k), scalar(fieldOf(b, k)))
      if (c !== 0) return c * dir
    }
    return 0
  })
}

export function applySelect(rows: PlainObject[], select: Plain | undefined): PlainObject[] {
  const list = asList(select)?.map((s) => phpString(s))
  if (!list || list.length === 0 || list.includes('*')) return rows
  const wantUf = list.includes('UF_*')
  return rows.map((row) => {
    const out = createObject()
    for (const k of Object.keys(row)) {
      if (k === 'ID' || list.includes(k) || (wantUf && k.startsWith('UF_'))) out[k] = row[k]!
    }
    return out
  })
}

/**
 * One page of a list (spec §4.4). start >= 0: total is counted and next is set while rows remain. A negative start
 * is the fast listing mode: no count (total 0), no next, at most 50 rows.
 */
export function page(rows: PlainObject[], start: Plain | undefined): MethodResult {
  const offset = phpInt(start)
  if (offset < 0) return { result: rows.slice(0, PAGE_SIZE), total: 0 }
  const slice = rows.slice(offset, offset + PAGE_SIZE)
  const out: MethodResult = { result: slice, total: rows.length }
  if (offset + slice.length < rows.length) out.next = offset + slice.length
  return out
}
