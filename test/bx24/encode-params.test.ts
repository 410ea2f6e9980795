// Checklist BX24-28/29: the real library's body encoding, plus hostile values.
import { describe, expect, it } from 'vitest'
import { buildTail, encodeParams, MAX_DEPTH } from '../../src/bx24/encode-params'
import { findFileInputs, readFileInputs } from '../../src/bx24/read-files'

const body = (params: unknown, start?: number) => 'auth=T' + buildTail(params, start)

describe('encodeParams', () => {
  it('BX24-28 scalars before nested values per level, raw brackets, null/{} dropped, [] → k=, undefined → "undefined"', () => {
    expect(body({ ID: 5, FIELDS: { TITLE: 'A&B', PHONE: [{ VALUE: '1' }] }, FLAG: true, X: null }))
      .toBe('auth=T&ID=5&FLAG=true&FIELDS[TITLE]=A%26B&&FIELDS[PHONE][0][VALUE]=1')
    expect(body({ E: [], O: {}, U: undefined, N: null, S: 'x y' })).toBe('auth=T&U=undefined&S=x%20y&E=')
    expect(body({ A: { B: { C: 1 } } })).toBe('auth=T&&&A[B][C]=1')
    expect(body({ 'a b': 1, F: { 'c&d': false } })).toBe('auth=T&a%20b=1&F[c%26d]=false')
    expect(body({ list: ['x', 'y'] })).toBe('auth=T&&list[0]=x&list[1]=y')
  })

  it('BX24-28 Dates use toJSON, functions are stringified, DOM-like nodes give their value', () => {
    const d = new Date(Date.UTC(2024, 0, 2, 3, 4, 5))
    expect(encodeParams({ D: d })).toBe('&D=2024-01-02T03%3A04%3A05.000Z')
    expect(encodeParams({ f: function named() { return 1 } })).toMatch(/^f=function%20named\(\)/)
    const select = { nodeType: 1, tagName: 'SELECT', value: 'v 1' }
    const div = { nodeType: 1, tagName: 'DIV' }
    expect(encodeParams({ s: select, d: div })).toBe('&s=v%201')
  })

  it('BX24-28 file inputs become name[0]=<filename>&name[1]=<base64> once read', async () => {
    const input = { nodeType: 1, tagName: 'INPUT', type: 'file', multiple: false, files: [new File(['hello'], 'a b.txt')] }
    const params = { fields: { FILE: input }, NAME: 'n' }
    expect(findFileInputs(params)).toEqual([input])
    const files = await readFileInputs(findFileInputs(params))
    expect(encodeParams(params, { files })).toBe('NAME=n&&fields[FILE][0]=a%20b.txt&fields[FILE][1]=aGVsbG8%3D')
    // Unread (or empty) file inputs send an empty value rather than hanging the request.
    expect(encodeParams(params)).toBe('NAME=n&&fields[FILE]=')
    const multi = { ...input, multiple: true, files: [new File(['a'], '1.txt'), new File(['b'], '2.txt')] }
    const read = await readFileInputs([multi])
    expect(encodeParams({ F: multi }, { files: read })).toBe('&F[0][0]=1.txt&F[0][1]=YQ%3D%3D&F[1][0]=2.txt&F[1][1]=Yg%3D%3D')
  })

  it('BX24-29 a string params value is appended verbatim', () => {
    expect(encodeParams('ID=1&A[]=2')).toBe('ID=1&A[]=2')
    expect(body('ID=1&FILTER[>ID]=5')).toBe('auth=T&ID=1&FILTER[>ID]=5')
  })

  it('falsy params add nothing; {} adds a bare "&" as in the real library; next() start precedes params and wins over a user start', () => {
    expect(body(undefined)).toBe('auth=T')
    expect(body(null)).toBe('auth=T')
    expect(body({})).toBe('auth=T&')
    expect(body({ start: -1, select: ['ID'] })).toBe('auth=T&start=-1&select[0]=ID')
    expect(body({ start: -1, a: 1 }, 50)).toBe('auth=T&start=50&a=1')
  })
})

describe('encodeParams with hostile values', () => {
  it('a circular reference is a clear TypeError, not a stack overflow', () => {
    const a: Record<string, unknown> = { x: 1 }
    a.self = a
    expect(() => encodeParams({ FIELDS: a })).toThrow(new TypeError('BX24: params contain a circular reference at "FIELDS[self]"'))
    const list: unknown[] = []
    list.push({ back: list })
    expect(() => encodeParams({ L: list })).toThrow(/circular reference at "L\[0\]\[back\]"/)
  })

  it('shared (non-circular) references are fine', () => {
    const shared = { v: 1 }
    expect(encodeParams({ a: shared, b: shared })).toBe('&a[v]=1&b[v]=1')
  })

  it('nesting deeper than MAX_DEPTH is a clear TypeError; MAX_DEPTH - 1 levels encode', () => {
    const deep = (n: number) => {
      let v: Record<string, unknown> = { leaf: 1 }
      for (let i = 0; i < n; i++) v = { n: v }
      return v
    }
    expect(() => encodeParams(deep(MAX_DEPTH + 10))).toThrow(/nest deeper than 64 levels/)
    expect(() => encodeParams(deep(100_000))).toThrow(TypeError)
    expect(encodeParams(deep(MAX_DEPTH - 1))).toMatch(/\[leaf\]=1$/)
  })

  it('a __proto__ key (from JSON.parse) is just an encoded key and pollutes nothing', () => {
    const params = JSON.parse('{"__proto__": {"polluted": 1}, "constructor": {"prototype": {"p": 2}}, "a": 1}')
    expect(encodeParams(params)).toBe('a=1&__proto__[polluted]=1&&constructor[prototype][p]=2')
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(({} as Record<string, unknown>).p).toBeUndefined()
  })

  it('lone surrogates, symbols and bigints encode instead of throwing', () => {
    expect(encodeParams({ s: 'a\uD800b', t: '\uDC00' })).toBe('s=a%EF%BF%BDb&t=%EF%BF%BD')
    expect(encodeParams({ sym: Symbol('x'), big: 10n })).toBe('sym=Symbol(x)&big=10')
  })

  it('inherited and non-enumerable properties are skipped; sparse arrays keep their indices', () => {
    const proto = { inherited: 1 }
    const obj = Object.create(proto) as Record<string, unknown>
    obj.own = 2
    Object.defineProperty(obj, 'hidden', { value: 3, enumerable: false })
    expect(encodeParams(obj)).toBe('own=2')
    const sparse: unknown[] = []
    sparse[2] = 'c'
    expect(encodeParams({ s: sparse })).toBe('&s[2]=c')
  })

  it('a large flat payload encodes in one pass', () => {
    const big = Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`k${i}`, 'v'.repeat(20)]))
    const out = encodeParams(big)
    expect(out.split('&')).toHaveLength(20_000)
  })
})
