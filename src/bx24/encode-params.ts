// The real library's request body encoding (spec §4.2, `ajax.prepareData`), as one pure synchronous function.
// Byte-exact on purpose, including its joining quirk (`&&` before nested groups): the mock portal and the HTTP dev
// portal parse what a real app would send, and tests compare bodies with the real library's output.

/** A file input already read: [filename, base64], or one pair per file for `multiple` inputs. */
export type FileValue = [string, string] | Array<[string, string]>

export interface EncodeOptions {
  /** Values read from `<input type=file>` nodes (see read-files.ts); a node missing here encodes as `name=`. */
  files?: ReadonlyMap<object, FileValue>
}

/** PHP's default max_input_nesting_level; deeper input would be cut by the portal anyway. */
export const MAX_DEPTH = 64

/**
 * Encode `params` as the real BX24 does. A string is returned verbatim (a pre-built query string), `null` and
 * `undefined` give ''. Throws a TypeError for circular references or nesting deeper than MAX_DEPTH: the real
 * library overflowed its stack on those.
 */
export function encodeParams(params: unknown, options: EncodeOptions = {}): string {
  if (typeof params === 'string') return params
  if (params === null || params === undefined) return ''
  if (typeof params !== 'object') return ''
  return encodeLevel(params as object, '', new Set(), 0, options.files)
}

function encodeLevel(value: object, prefix: string, ancestors: Set<object>, depth: number, files?: ReadonlyMap<object, FileValue>): string {
  if (value instanceof String) return String(value)
  if (depth >= MAX_DEPTH) throw new TypeError(`BX24: params nest deeper than ${MAX_DEPTH} levels at "${prefix}"`)
  ancestors.add(value)
  let data = ''
  const nested: Array<[string, unknown]> = []
  const record = value as Record<string, unknown>
  for (const key of Object.keys(value)) {
    const name = prefix ? `${prefix}[${escape(key)}]` : escape(key)
    const item = record[key]
    if (typeof item === 'object') nested.push([name, item])
    else data += (data.length > 0 ? '&' : '') + name + '=' + escape(scalar(item))
  }
  for (const [name, item] of nested) {
    const part = encodeNested(name, item, ancestors, depth, files)
    // The real code prefixes every nested group with '&' when it produced text, even if `data` is still empty.
    data += (part ? '&' : '') + part
  }
  ancestors.delete(value)
  return data
}

function encodeNested(name: string, item: unknown, ancestors: Set<object>, depth: number, files?: ReadonlyMap<object, FileValue>): string {
  if (item === null || typeof item !== 'object') return ''
  if (ancestors.has(item)) throw new TypeError(`BX24: params contain a circular reference at "${name}"`)
  if (isDomNode(item)) return encodeNode(name, item, files)
  if (item instanceof Date) return `${name}=${escape(String(item.toJSON()))}`
  if (Array.isArray(item) && item.length === 0) return `${name}=`
  return encodeLevel(item, name, ancestors, depth + 1, files)
}

interface NodeLike { nodeType: unknown; tagName?: unknown; type?: unknown; value?: unknown }

function isDomNode(item: object): item is NodeLike {
  return 'nodeType' in item
}

function encodeNode(name: string, node: NodeLike, files?: ReadonlyMap<object, FileValue>): string {
  if (String(node.tagName ?? '').toUpperCase() === 'INPUT' && node.type === 'file') {
    const value = files?.get(node)
    if (!value || value.length === 0) return `${name}=`
    if (typeof value[0] === 'string') {
      const [file, base64] = value as [string, string]
      return `${name}[0]=${escape(file)}&${name}[1]=${escape(base64)}`
    }
    // Real BX24 stringified the pairs of a `multiple` input into name[0], name[1]; we send every file as a pair.
    return (value as Array<[string, string]>)
      .map(([file, base64], i) => `${name}[${i}][0]=${escape(file)}&${name}[${i}][1]=${escape(base64)}`)
      .join('&')
  }
  if (typeof node.value !== 'undefined') return `${name}=${escape(scalar(node.value))}`
  return ''
}

function scalar(value: unknown): string {
  // String() rather than implicit conversion: symbols would throw, everything else matches the real output.
  return typeof value === 'symbol' ? value.toString() : String(value)
}

/** encodeURIComponent that survives lone surrogates (it would throw URIError) by sending U+FFFD instead. */
export function escape(text: string): string {
  try {
    return encodeURIComponent(text)
  } catch {
    return encodeURIComponent(text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD'))
  }
}

/** The part of the body after `auth=<token>`: `&start=N` (from next()) and `&<params>` (when params are truthy). */
export function buildTail(params: unknown, start: number | undefined, options: EncodeOptions = {}): string {
  let tail = ''
  if (start !== undefined) {
    tail += '&start=' + parseInt(String(start), 10)
    // A user `start` is kept (unlike L-B/L-C, so `start: -1` fast listing works), but next()'s offset wins.
    if (params && typeof params === 'object' && !Array.isArray(params) && Object.prototype.hasOwnProperty.call(params, 'start')) {
      const { start: _dropped, ...rest } = params as Record<string, unknown>
      params = rest
    }
  }
  if (params) tail += '&' + encodeParams(params, options)
  return tail
}
