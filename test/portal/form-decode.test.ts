import { describe, expect, it } from 'vitest'
import { decodeForm, parseVarName, urlDecode } from '../../src/portal/form-decode'

const plain = (v: unknown) => JSON.parse(JSON.stringify(v))

describe('PHP-style form decoding', () => {
  it('BX24-28 decodes the real library body for nested fields, including its && joining quirk', () => {
    const out = decodeForm('auth=T&ID=5&FLAG=true&FIELDS[TITLE]=A%26B&&FIELDS[PHONE][0][VALUE]=1')
    expect(plain(out)).toEqual({ auth: 'T', ID: '5', FLAG: 'true', FIELDS: { TITLE: 'A&B', PHONE: [{ VALUE: '1' }] } })
  })

  it('BX24-28 keeps undefined as text, an empty array as an empty string and %20 as a space', () => {
    expect(plain(decodeForm('auth=T&U=undefined&S=x%20y&E='))).toEqual({ auth: 'T', U: 'undefined', S: 'x y', E: '' })
  })

  it('appends with [] and continues after the largest integer key', () => {
    expect(plain(decodeForm('a[]=1&a[]=2'))).toEqual({ a: ['1', '2'] })
    expect(plain(decodeForm('a[5]=x&a[]=y'))).toEqual({ a: { 5: 'x', 6: 'y' } })
    expect(plain(decodeForm('a[x]=1&a[]=2'))).toEqual({ a: { x: '1', 0: '2' } })
    expect(plain(decodeForm('a[][b]=1&a[][b]=2'))).toEqual({ a: [{ b: '1' }, { b: '2' }] })
  })

  it('replaces a scalar that is later used as an array, and the last duplicate wins', () => {
    expect(plain(decodeForm('a=1&a[b]=2'))).toEqual({ a: { b: '2' } })
    expect(plain(decodeForm('a=1&a=2'))).toEqual({ a: '2' })
  })

  it('mangles top-level names as PHP does: dots and spaces become _, leading spaces go, empty names are dropped', () => {
    expect(plain(decodeForm('a.b=1&c d=2&%20%20e=3&=4&[x]=5'))).toEqual({ a_b: '1', c_d: '2', e: '3' })
    // Only the top-level name is mangled; indices keep their dots.
    expect(plain(decodeForm('f[a.b]=1'))).toEqual({ f: { 'a.b': '1' } })
  })

  it('treats an unterminated first bracket as part of the name and ignores text after a closing bracket', () => {
    expect(plain(decodeForm('a[b=1'))).toEqual({ a_b: '1' })
    expect(plain(decodeForm('a[b]c=1'))).toEqual({ a: { b: '1' } })
    expect(parseVarName('x[1][2')).toEqual({ base: 'x', path: ['1'] })
  })

  it('URL-decodes names before reading brackets, keeps broken escapes and decodes + as space', () => {
    expect(plain(decodeForm('a%5Bb%5D=1'))).toEqual({ a: { b: '1' } })
    expect(urlDecode('100%+off%zz%4')).toBe('100% off%zz%4')
    expect(urlDecode('%D0%9F%D1%80%D0%B8')).toBe('При')
    expect(urlDecode('%FF')).toBe('\uFFFD')
  })

  it('a value with no = is an empty string; empty pairs are skipped', () => {
    expect(plain(decodeForm('&&a&&b=2&'))).toEqual({ a: '', b: '2' })
  })

  it('hostile: __proto__, constructor and prototype keys are plain data and never touch Object.prototype', () => {
    const out = decodeForm('__proto__[polluted]=1&constructor[prototype][polluted]=2&a[__proto__][x]=3')
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.getPrototypeOf(out)).toBeNull()
    expect(Object.keys(out)).toEqual(['__proto__', 'constructor', 'a'])
    expect(plain(out.a)).toEqual({ ['__proto__']: { x: '3' } })
    expect(Object.prototype.hasOwnProperty.call(out.a, '__proto__')).toBe(true)
  })

  it('hostile: a name nested deeper than max_input_nesting_level (64) is dropped, shallower ones stay', () => {
    const deep = 'x' + '[a]'.repeat(65) + '=1'
    const ok = 'y' + '[a]'.repeat(64) + '=1'
    const out = decodeForm(`${deep}&${ok}&z=1`)
    expect(Object.keys(out)).toEqual(['y', 'z'])
  })

  it('hostile: pairs beyond max_input_vars are dropped, not an error', () => {
    const body = Array.from({ length: 20 }, (_, i) => `k${i}=${i}`).join('&')
    expect(Object.keys(decodeForm(body, { maxVars: 5 }))).toEqual(['k0', 'k1', 'k2', 'k3', 'k4'])
  })

  it('hostile: a 2 MB body with 100k pairs decodes without blowing up', () => {
    const body = Array.from({ length: 100_000 }, (_, i) => `a[]=${i}`).join('&')
    const out = decodeForm(body, { maxVars: 200_000 })
    expect((out.a as string[]).length).toBe(100_000)
    expect((out.a as string[])[99_999]).toBe('99999')
  })

  it('hostile: 10k opening brackets in one name and lone % signs do not throw', () => {
    expect(() => decodeForm('a' + '['.repeat(10_000) + '=1&%=%&%%%=1')).not.toThrow()
    expect(plain(decodeForm('%=%'))).toEqual({ '%': '%' })
  })
})

describe('PHP-style form decoding: separators', () => {
  it('splits each pair at its first =, so a raw = in a key belongs to the value (clients must encode it)', () => {
    expect(plain(decodeForm('filter[=ID]=5'))).toEqual({ filter_: 'ID]=5' })
    expect(plain(decodeForm('filter[%3DID]=5&x=a=b'))).toEqual({ filter: { '=ID': '5' }, x: 'a=b' })
  })
})
