// application/x-www-form-urlencoded → values, following PHP's parse_str (php_register_variable_ex), because that is
// what the portal runs on the body BX24 sends and on every batch command's query string.
// Quirks kept on purpose (each is what PHP does):
//  * `a[]=1&a[]=2` appends; `a[5]=x&a[]=y` appends at 6; a scalar later used as an array is replaced by the array;
//  * in the top-level name, spaces and dots become `_`, leading spaces are dropped, an empty name drops the pair;
//  * an unterminated first `[` is not an index: it becomes `_` and the rest stays part of the name;
//  * anything after a closing `]` that is not another `[` is ignored (`a[b]c=1` is `a[b]=1`);
//  * a name nested deeper than max_input_nesting_level (64) is dropped entirely;
//  * pairs beyond max_input_vars are dropped (PHP warns and truncates; Bitrix asks for at least 10000);
//  * `+` is a space, a broken `%` escape stays literal, the name is URL-decoded before the brackets are read.

import { PhpArray, phpToPlain } from './php-array'
import { createObject, isObject, type PlainObject } from './values'

export interface FormLimits {
  maxDepth?: number
  maxVars?: number
}

export const PHP_MAX_INPUT_NESTING = 64
export const PHP_MAX_INPUT_VARS = 10000

const utf8 = new TextDecoder('utf-8')
const utf8Encoder = new TextEncoder()

export function urlDecode(text: string): string {
  if (!/[%+]/.test(text)) return text
  const bytes: number[] = []
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 0x2b) bytes.push(0x20)
    else if (c === 0x25 && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(Number.parseInt(text.slice(i + 1, i + 3), 16))
      i += 2
    } else if (c < 0x80) bytes.push(c)
    else {
      // Non-ASCII characters typed raw into the body: keep them as their UTF-8 bytes.
      const end = c >= 0xd800 && c <= 0xdbff && i + 1 < text.length ? i + 2 : i + 1
      for (const b of utf8Encoder.encode(text.slice(i, end))) bytes.push(b)
      i = end - 1
    }
  }
  return utf8.decode(new Uint8Array(bytes))
}

/** Split a decoded variable name into its base and bracket indices (null = `[]`). Returns null to drop the pair. */
export function parseVarName(raw: string): { base: string; path: (string | null)[] } | null {
  const name = raw.replace(/^ +/, '')
  let base = ''
  let i = 0
  for (; i < name.length; i++) {
    const ch = name[i]!
    if (ch === '[') break
    base += ch === ' ' || ch === '.' ? '_' : ch
  }
  const path: (string | null)[] = []
  if (i < name.length) {
    if (name.indexOf(']', i + 1) < 0) {
      // Not an index after all: PHP keeps the text, with the bracket turned into '_'.
      base += '_' + name.slice(i + 1)
    } else {
      while (i < name.length && name[i] === '[') {
        const close = name.indexOf(']', i + 1)
        if (close < 0) break
        path.push(close === i + 1 ? null : name.slice(i + 1, close))
        i = close + 1
      }
    }
  }
  if (base === '') return null
  return { base, path }
}

export function decodeForm(body: string, limits: FormLimits = {}): PlainObject {
  const maxDepth = limits.maxDepth ?? PHP_MAX_INPUT_NESTING
  const maxVars = limits.maxVars ?? PHP_MAX_INPUT_VARS
  const root = new PhpArray()
  let count = 0
  for (const pair of body.split('&')) {
    if (pair === '') continue
    if (++count > maxVars) break
    const eq = pair.indexOf('=')
    const name = urlDecode(eq < 0 ? pair : pair.slice(0, eq))
    const value = eq < 0 ? '' : urlDecode(pair.slice(eq + 1))
    const parsed = parseVarName(name)
    if (!parsed || parsed.path.length > maxDepth) continue
    assign(root, [parsed.base, ...parsed.path], value)
  }
  const plain = phpToPlain(root)
  return isObject(plain) ? plain : listToObject(plain)
}

function assign(root: PhpArray, path: (string | null)[], value: string): void {
  let cur = root
  for (let d = 0; d < path.length - 1; d++) {
    const key = path[d]!
    let next: PhpArray
    if (key === null) {
      next = new PhpArray()
      cur.push(next)
    } else {
      const existing = cur.get(key)
      if (existing instanceof PhpArray) next = existing
      else {
        next = new PhpArray()
        cur.set(key, next)
      }
    }
    cur = next
  }
  const last = path[path.length - 1]!
  if (last === null) cur.push(value)
  else cur.set(last, value)
}

/** A top-level list (`0=a&1=b`) still has to be a params object for the handlers. */
function listToObject(value: unknown): PlainObject {
  const out = createObject()
  if (Array.isArray(value)) value.forEach((v, i) => (out[String(i)] = v))
  return out
}
