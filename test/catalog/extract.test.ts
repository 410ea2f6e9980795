// The catalogue extractor (src/catalog/extract.ts) on pages written like the REST reference, on hostile text, and the
// committed catalogue itself.
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { buildCatalog } from '../../src/catalog/cli'
import { extractPage, lenientJson, pageName, parseErrors, parseParams, parseScope } from '../../src/catalog/extract'
import type { RestCatalog } from '../../src/catalog/types'

const METHOD_PAGE = `# Get Deal by Id crm.deal.get

> Scope: [\`crm\`](../../scopes/permissions.md)
>
> Who can execute the method: any user

## Method Parameters

#|
|| **Name**
\`type\` | **Description** ||
|| **id***
[\`integer\`](../../data-types.md) | The identifier | with a pipe in \`a|b\` code ||
|| **select**
[\`string[]\`](../../data-types.md) | Fields

\`\`\`
{ a: 1 | 2 }
\`\`\`
||
|#

## Response Handling

HTTP Status: **200**

\`\`\`json
{
    "result": { "ID": "410", "TITLE": "Deal" }, // a comment
    "total": 3,
    "time": { "start": 1 }
}
\`\`\`

## Error Handling

### Possible Error Codes

#|
|| **Code** | **Description** | **Value** ||
|| Empty value | \`Not found\` | no deal ||
|| \`400\` | \`ERROR_ARGUMENT\` | Argument 'id' is null | text ||
|#
`

const EVENT_PAGE = `# Event on Deal Update onCrmDealUpdate

> Scope: [\`crm\`](../../../scopes/permissions.md)

## What the Handler Receives

\`\`\`json
{ "event": "ONCRMDEALUPDATE", "data": { "FIELDS": { "ID": "759" } }, "ts": "1", "auth": {} }
\`\`\`
`

describe('extractPage: one reference page -> one catalogue entry', () => {
  it('DEV-7 a method page gives name, scope, parameters (required flag, type), the example answer and error codes', () => {
    const page = extractPage('api-reference/crm/deals/crm-deal-get.md', METHOD_PAGE)
    expect(page).toEqual({
      kind: 'method', name: 'crm.deal.get',
      entry: {
        scope: ['crm'], doc: 'api-reference/crm/deals/crm-deal-get.md',
        params: [{ name: 'id', type: 'integer', required: true }, { name: 'select', type: 'string[]', required: false }],
        example: { result: { ID: '410', TITLE: 'Deal' }, total: 3 },
        errors: [{ code: '', message: 'Not found' }, { status: 400, code: 'ERROR_ARGUMENT', message: "Argument 'id' is null" }],
      },
    })
  })

  it('DEV-7 an event page gives the event name (upper-case) and the documented data', () => {
    expect(extractPage('e.md', EVENT_PAGE)).toEqual({ kind: 'event', name: 'ONCRMDEALUPDATE', entry: { scope: ['crm'], doc: 'e.md', data: { FIELDS: { ID: '759' } } } })
    expect(pageName('# Event on Price Change CATALOG.PRICE.ON.UPDATE')).toEqual({ kind: 'event', name: 'CATALOG.PRICE.ON.UPDATE' })
    expect(pageName('# onOfflineEvent Queue Change Event')).toEqual({ kind: 'event', name: 'ONOFFLINEEVENT' })
    expect(pageName('# Overview of Methods')).toBeNull()
  })

  it('DEV-7 scopes: several, prose dropped, none', () => {
    expect(parseScope('> Scope: [`placement, crm`](x)')).toEqual(['placement', 'crm'])
    expect(parseScope('> Scope: [`placement`, `depending on the placement`]')).toEqual(['placement'])
    expect(parseScope('no scope line')).toEqual([])
  })

  it('DEV-7 lenient JSON: comments, ... placeholders and trailing commas are repaired; strings are left alone', () => {
    expect(lenientJson('{"a": 1, // c\n "b": "x // y", ...\n}')).toEqual({ a: 1, b: 'x // y' })
    expect(lenientJson('[1, 2, …]')).toEqual([1, 2])
    expect(lenientJson('{"a": /* block */ 1,}')).toEqual({ a: 1 })
    expect(lenientJson('not json at all')).toBeUndefined()
  })

  it('DEV-7 hostile text never throws and never invents entries (fast-check)', () => {
    const chunks = fc.constantFrom('# ', 'crm.deal.get', '\n', '#|', '|#', '||', '**', '*', '`', '```json\n', '```', '{', '}', '"', ':', '## Response Handling\n', '## Method Parameters\n', '> Scope: ', 'onX', '…', '//', '/*')
    fc.assert(fc.property(fc.array(fc.oneof(chunks, fc.string()), { maxLength: 60 }), (parts) => {
      const md = parts.join('')
      const page = extractPage('x.md', md)
      if (page) expect(['method', 'event']).toContain(page.kind)
      parseParams(md)
      parseErrors(md)
    }), { numRuns: 300 })
  })

  it('DEV-7 lenientJson gives back any JSON value it is handed as text (fast-check)', () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
      expect(lenientJson(JSON.stringify(value, null, 2))).toEqual(JSON.parse(JSON.stringify(value)))
    }), { numRuns: 200 })
  })
})

describe('buildCatalog over a docs checkout', () => {
  it('DEV-7 walks api-reference, skips REST v3 pages, keeps the page with an example when a method has two', () => {
    const dir = mkdtempSync(join(tmpdir(), 'docs-'))
    try {
      mkdirSync(join(dir, 'api-reference', 'crm', 'outdated'), { recursive: true })
      writeFileSync(join(dir, 'api-reference', 'crm', 'outdated', 'old.md'), '# Old crm.deal.get\n\n## Method Parameters\n\n#|\n|| **id**\n`integer` | x ||\n|#\n')
      writeFileSync(join(dir, 'api-reference', 'crm', 'get.md'), METHOD_PAGE)
      writeFileSync(join(dir, 'api-reference', 'crm', 'get-rest-v3.md'), METHOD_PAGE.replace('crm.deal.get', 'crm.deal.v3only'))
      writeFileSync(join(dir, 'api-reference', 'crm', 'event.md'), EVENT_PAGE)
      const catalog = buildCatalog(dir, 'abc123')
      expect(catalog.source).toEqual({ repository: 'https://github.com/bitrix24/b24restdocs', license: 'MIT', commit: 'abc123' })
      expect(Object.keys(catalog.methods)).toEqual(['crm.deal.get'])
      expect(catalog.methods['crm.deal.get']!.doc).toBe('api-reference/crm/get.md')
      expect(Object.keys(catalog.events)).toEqual(['ONCRMDEALUPDATE'])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('DEV-7 the committed catalogue names its source and holds the methods and events apps call', () => {
    const catalog = JSON.parse(readFileSync(resolve(__dirname, '../../catalog/rest-catalog.json'), 'utf8')) as RestCatalog
    expect(catalog.source).toMatchObject({ repository: 'https://github.com/bitrix24/b24restdocs', license: 'MIT' })
    expect(catalog.source.commit).toMatch(/^[0-9a-f]{40}$/)
    expect(Object.keys(catalog.methods).length).toBeGreaterThan(1000)
    for (const name of ['task.item.list', 'tasks.task.get', 'crm.deal.fields', 'crm.status.list', 'user.update', 'entity.item.property.add', 'placement.bind']) {
      expect(catalog.methods[name], name).toBeDefined()
    }
    expect(catalog.methods['crm.deal.fields']!.example!.result).toHaveProperty('STAGE_ID')
    expect(catalog.events.ONCRMDEALUPDATE!.data).toEqual({ FIELDS: { ID: '759' } })
    // Data only: no page prose travels with the entries.
    expect(JSON.stringify(catalog.methods['crm.deal.get'])).not.toMatch(/identifier of the deal/i)
  })
})
