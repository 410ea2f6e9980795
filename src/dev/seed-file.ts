// `--seed FILE`: reads a portal seed and says exactly what is wrong with a bad one: the file, the line and column of
// a JSON syntax error, or the path of a value of the wrong kind (`users[2].ID must be a number`).

import { readFileSync } from 'node:fs'
import type { PortalSeed } from '../portal/seed'
import { jsonErrorOffset } from './json-position'

export class SeedFileError extends Error {
  override readonly name = 'SeedFileError'
}

/** 1-based line and column of a character offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)))
  const lines = before.split('\n')
  return { line: lines.length, column: lines[lines.length - 1]!.length + 1 }
}

/** JSON.parse that reports `file:line:column: what` on a syntax error. */
export function parseJsonFile(file: string, text: string): unknown {
  try {
    return JSON.parse(text)
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    // V8 names the offset only in some messages; our own scan always finds it.
    const offset = jsonErrorOffset(text)
    const { line, column } = lineColumn(text, offset < 0 ? text.length : offset)
    const what = message.replace(/\s*in JSON at position \d+.*$/s, '').replace(/,\s*".*" is not valid JSON$/s, '').replace(/\s*\(line \d+ column \d+\)$/, '')
    throw new SeedFileError(`${file}:${line}:${column}: ${what}`)
  }
}

type Check = (value: unknown, path: string) => string | null

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const string: Check = (v, p) => (typeof v === 'string' ? null : `${p} must be a string`)
const number: Check = (v, p) => (typeof v === 'number' && Number.isFinite(v) ? null : `${p} must be a number`)
const boolean: Check = (v, p) => (typeof v === 'boolean' ? null : `${p} must be true or false`)
const object: Check = (v, p) => (isObject(v) ? null : `${p} must be an object`)
const strings: Check = (v, p) => (Array.isArray(v) && v.every((s) => typeof s === 'string') ? null : `${p} must be a list of strings`)
const numbers: Check = (v, p) => (Array.isArray(v) && v.every((s) => typeof s === 'number') ? null : `${p} must be a list of numbers`)

/** An object whose listed keys (when present) pass their checks; `required` keys must be present. */
function shape(fields: Record<string, Check>, required: string[] = []): Check {
  return (value, path) => {
    if (!isObject(value)) return `${path} must be an object`
    for (const key of required) if (value[key] === undefined) return `${path}.${key} is required`
    for (const [key, check] of Object.entries(fields)) {
      if (value[key] === undefined) continue
      const problem = check(value[key], `${path}.${key}`)
      if (problem) return problem
    }
    return null
  }
}

function list(item: Check): Check {
  return (value, path) => {
    if (!Array.isArray(value)) return `${path} must be a list`
    for (let i = 0; i < value.length; i++) {
      const problem = item(value[i], `${path}[${i}]`)
      if (problem) return problem
    }
    return null
  }
}

const records = list(shape({ ID: number }))

const SEED: Record<string, Check> = {
  portal: shape({ domain: string, memberId: string, lang: string, path: string }),
  app: shape({ clientId: string, code: string, version: number, scope: strings, status: string, installed: boolean, applicationToken: string, installHandler: string }),
  users: list(shape({ ID: number, NAME: string, ADMIN: boolean, ACTIVE: boolean, UF_DEPARTMENT: numbers }, ['ID', 'NAME'])),
  departments: records,
  crm: (v, p) => {
    if (!isObject(v)) return `${p} must be an object of record lists ({"deal": [...]})`
    for (const [type, rows] of Object.entries(v)) {
      const problem = records(rows, `${p}.${type}`)
      if (problem) return problem
    }
    return null
  },
  appOptions: object,
  userOptions: object,
  installedFor: numbers,
  events: list(shape({ event: string, handler: string, auth_type: number, offline: boolean }, ['event'])),
  placements: list(shape({ placement: string, handler: string, title: string, description: string, options: object }, ['placement', 'handler'])),
  entities: list(shape({ ENTITY: string, NAME: string, items: records, properties: list(shape({ PROPERTY: string, NAME: string, TYPE: string, SORT: number }, ['PROPERTY'])) }, ['ENTITY', 'NAME'])),
  webhooks: list(shape({ userId: number, secret: string, scope: strings }, ['userId', 'secret'])),
  tasks: records,
  lists: list(shape({ ID: number, NAME: string, IBLOCK_TYPE_ID: string, CODE: string, elements: records }, ['ID', 'NAME'])),
  launch: shape({ placement: string, options: object }),
}

/** The problem with a parsed seed, or null. Unknown top-level keys are reported: they are usually typos. */
export function seedProblem(value: unknown): string | null {
  if (!isObject(value)) return 'the seed must be a JSON object'
  for (const key of Object.keys(value)) {
    const check = Object.prototype.hasOwnProperty.call(SEED, key) ? SEED[key] : undefined
    if (!check) return `unknown key "${key}" (known: ${Object.keys(SEED).join(', ')})`
    const problem = check(value[key], key)
    if (problem) return problem
  }
  return null
}

export function readSeedFile(file: string): PortalSeed {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new SeedFileError(`${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : 'cannot be read'} (--seed)`)
  }
  const value = parseJsonFile(file, text.replace(/^\uFEFF/, ''))
  const problem = seedProblem(value)
  if (problem) throw new SeedFileError(`${file}: ${problem}`)
  return value as PortalSeed
}
