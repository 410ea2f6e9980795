// One page of Bitrix's REST reference (Markdown, bitrix24/b24restdocs `api-reference/**`) -> one catalogue entry.
// Pure functions, no I/O: the CLI (cli.ts) walks the files. Written against the reference's own conventions: the
// page title ends with the method name (`# Get Deal by Id crm.deal.get`) or the event name (`# ... onCrmDealUpdate`),
// `> Scope: [`crm`]`, a `#| ... |#` parameter table under "Method Parameters", the success answer as the first
// ```json block under "Response Handling", and a "Possible Error Codes" table.

import type { CatalogError, CatalogEvent, CatalogMethod, CatalogParam } from './types'

export type CatalogPage =
  | { kind: 'method'; name: string; entry: CatalogMethod }
  | { kind: 'event'; name: string; entry: CatalogEvent }

const METHOD_NAME = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/i
const EVENT_NAME = /^on[A-Z][A-Za-z0-9_]+$/i
// Catalog events are dotted upper-case names (`CATALOG.PRICE.ON.UPDATE`); a page titled "Event ..." names one.
const DOTTED_EVENT = /^[A-Z][A-Z0-9_]*(\.[A-Z0-9_]+)+$/

interface Section {
  title: string
  body: string
}

/** `## Heading` sections (level 2 and 3), each with the text up to the next heading of any level. */
function sections(md: string): Section[] {
  const out: Section[] = []
  let current: Section = { title: '', body: '' }
  let inFence = false
  for (const line of md.split('\n')) {
    if (/^\s*```/.test(line)) inFence = !inFence
    const heading = inFence ? null : /^(#{2,4})\s+(.*)$/.exec(line)
    if (heading) {
      out.push(current)
      current = { title: heading[2]!.replace(/\{#[^}]*\}/g, '').trim(), body: '' }
    } else {
      current.body += line + '\n'
    }
  }
  out.push(current)
  return out
}

function findSection(all: Section[], pattern: RegExp): Section | undefined {
  return all.find((s) => pattern.test(s.title))
}

export function pageName(md: string): { kind: 'method' | 'event'; name: string } | null {
  const title = /^#\s+(.+)$/m.exec(md)
  if (!title) return null
  const words = title[1]!.replace(/[`*]/g, '').trim().split(/\s+/)
  const last = words[words.length - 1] ?? ''
  if (/^event\b/i.test(words[0] ?? '') && DOTTED_EVENT.test(last)) return { kind: 'event', name: last }
  if (METHOD_NAME.test(last)) return { kind: 'method', name: last.toLowerCase() }
  if (EVENT_NAME.test(last) && /[A-Z]/.test(last.slice(2, 3))) return { kind: 'event', name: last.toUpperCase() }
  // "# onOfflineEvent Queue Change Event": a few pages put the name first.
  const first = words[0] ?? ''
  if (EVENT_NAME.test(first) && /[A-Z]/.test(first.slice(2, 3)) && /\bevent$/i.test(title[1]!.trim())) return { kind: 'event', name: first.toUpperCase() }
  return null
}

export function parseScope(md: string): string[] {
  const line = /^>\s*Scope:(.*)$/m.exec(md)
  if (!line) return []
  const out: string[] = []
  // [`placement, crm`], [`crm`](link), `crm`: every backticked group, split on commas; prose words are dropped.
  for (const group of line[1]!.matchAll(/`([^`]+)`/g)) {
    for (const word of group[1]!.split(',')) {
      const scope = word.trim()
      if (/^[a-z][a-z0-9_.]*$/.test(scope) && !out.includes(scope)) out.push(scope)
    }
  }
  return out
}

/** The cells of a `#| ... |#` table: rows start with `||` at the start of a line and end with `||`. */
export function tableRows(text: string): string[][] {
  const start = text.indexOf('#|')
  if (start < 0) return []
  const end = text.indexOf('|#', start + 2)
  const table = text.slice(start + 2, end < 0 ? undefined : end)
  const rows: string[][] = []
  for (const raw of table.split(/^\|\|/m).slice(1)) {
    const row = raw.replace(/\|\|\s*$/, '')
    rows.push(splitCells(row))
  }
  return rows
}

/** Splits a row on `|` outside code spans and fenced blocks. */
function splitCells(row: string): string[] {
  const cells: string[] = []
  let cell = ''
  let inCode = false
  let inFence = false
  for (let i = 0; i < row.length; i++) {
    if (row.startsWith('```', i)) {
      inFence = !inFence
      cell += '```'
      i += 2
      continue
    }
    const c = row[i]!
    if (c === '`' && !inFence) inCode = !inCode
    if (c === '|' && !inCode && !inFence) {
      cells.push(cell.trim())
      cell = ''
      continue
    }
    cell += c
  }
  cells.push(cell.trim())
  return cells
}

export function parseParams(section: string): CatalogParam[] {
  const out: CatalogParam[] = []
  for (const cells of tableRows(section)) {
    const head = /^\*\*([^*]+)\*\*(\\?\*)?/.exec(cells[0] ?? '')
    if (!head) continue
    const name = head[1]!.trim()
    // The header row ("**Name** `type`") is not a parameter.
    if (/^(name|parameter|field|название)$/i.test(name) || !/^[A-Za-z0-9_.\[\]-]+$/.test(name)) continue
    const type = /`([^`]+)`/.exec(cells[0]!.slice(head[0].length))
    out.push({ name, type: type ? type[1]!.trim() : '', required: head[2] !== undefined })
  }
  return out
}

function stripCode(cell: string): string {
  return cell.replace(/`/g, '').replace(/\*\*/g, '').trim()
}

export function parseErrors(section: string): CatalogError[] {
  const out: CatalogError[] = []
  for (const cells of tableRows(section)) {
    if (cells.length < 2 || /\*\*(code|status|код|статус)\*\*/i.test(cells[0]!)) continue
    let status: number | undefined
    let rest = cells
    if (/^`?\d{3}`?$/.test(cells[0]!) && cells.length >= 3) {
      status = Number(stripCode(cells[0]!))
      rest = cells.slice(1)
    }
    const rawCode = stripCode(rest[0]!)
    // The legacy CRM handlers answer an empty code; the reference writes it as "Empty value" / "Empty string".
    const code = /^empty/i.test(rawCode) || rawCode === '' ? '' : rawCode
    if (!/^[A-Za-z0-9_.:-]*$/.test(code)) continue
    const message = stripCode(rest[1] ?? '')
    out.push(status === undefined ? { code, message } : { status, code, message })
  }
  return out
}

/** The first ```json (or untagged) fenced block of a text that parses as JSON (leniently). */
export function firstJson(text: string): unknown {
  for (const m of text.matchAll(/```(json|js|javascript)?[^\n]*\n([\s\S]*?)```/g)) {
    const value = lenientJson(m[2]!)
    if (value !== undefined) return value
  }
  return undefined
}

/**
 * JSON.parse with the repairs the reference's examples need: `//` and block comments, `...` placeholders and the
 * trailing commas they leave. Returns undefined when the text still is not JSON.
 */
export function lenientJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    // repaired below
  }
  let out = ''
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (inString) {
      out += c
      if (c === '\\') out += text[++i] ?? ''
      else if (c === '"') inString = false
      continue
    }
    if (c === '"') {
      inString = true
      out += c
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++
      out += '\n'
    } else if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2)
      i = close < 0 ? text.length : close + 1
    } else if (c === '.' && text.startsWith('...', i)) {
      i += 2
    } else if (c === '…') {
      // dropped like '...'
    } else {
      out += c
    }
  }
  out = out.replace(/,(\s*,)+/g, ',').replace(/,(\s*[}\]])/g, '$1').replace(/([{[])\s*,/g, '$1')
  try {
    return JSON.parse(out)
  } catch {
    return undefined
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function exampleOf(all: Section[]): CatalogMethod['example'] {
  const section = findSection(all, /^(response handling|response on success|successful response|returned data|response)$/i)
  const parsed = section ? firstJson(section.body) : undefined
  if (!isObject(parsed) || !('result' in parsed)) return undefined
  const example: NonNullable<CatalogMethod['example']> = { result: parsed.result }
  if (typeof parsed.total === 'number') example.total = parsed.total
  if (typeof parsed.next === 'number') example.next = parsed.next
  return example
}

export function extractPage(doc: string, md: string): CatalogPage | null {
  const named = pageName(md)
  if (!named) return null
  const all = sections(md)
  const scope = parseScope(md)
  if (named.kind === 'event') {
    const receives = findSection(all, /handler receives|event data|what the handler gets/i)
    const payload = receives ? firstJson(receives.body) : undefined
    const entry: CatalogEvent = { scope, doc }
    if (isObject(payload) && 'data' in payload) entry.data = payload.data
    return { kind: 'event', name: named.name, entry }
  }
  const paramSection = findSection(all, /^(method )?parameters$/i)
  const entry: CatalogMethod = { scope, params: paramSection ? parseParams(paramSection.body) : [], doc }
  const example = exampleOf(all)
  if (example) entry.example = example
  const errorSection = findSection(all, /^possible error codes$/i)
  const errors = errorSection ? parseErrors(errorSection.body) : []
  if (errors.length) entry.errors = errors
  return { kind: 'method', name: named.name, entry }
}
