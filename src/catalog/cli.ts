// `npm run catalog -- <path to a checkout of bitrix24/b24restdocs> [--out FILE] [--commit SHA]`: walks
// api-reference/**/*.md, extracts every documented method and event (extract.ts) and writes the catalogue JSON the
// dev portal loads at run time (default catalog/rest-catalog.json).

import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, relative, resolve, sep } from 'node:path'
import { extractPage } from './extract'
import type { CatalogMethod, RestCatalog } from './types'

function markdownFiles(dir: string): string[] {
  const out: string[] = []
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) out.push(...markdownFiles(path))
    // REST v3 pages (`*-rest-v3.md`) describe /rest/api/, a different protocol under the same method names.
    else if (entry.name.endsWith('.md') && !entry.name.endsWith('-rest-v3.md')) out.push(path)
  }
  return out.sort()
}

/** Several pages can name one method (a current page and an `outdated/` copy): the one with more data wins. */
function better(a: CatalogMethod, b: CatalogMethod): CatalogMethod {
  const score = (m: CatalogMethod) =>
    (m.example ? 4 : 0) + (m.doc.includes('/outdated/') || m.doc.includes('/deprecated/') ? 0 : 2) + (m.params.length ? 1 : 0)
  return score(b) > score(a) ? b : a
}

function sourceCommit(docs: string, given: string | undefined): string | undefined {
  if (given) return given
  try {
    return execFileSync('git', ['-C', docs, 'rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
  } catch {
    return undefined
  }
}

export function buildCatalog(docs: string, commit?: string): RestCatalog {
  const root = join(docs, 'api-reference')
  const catalog: RestCatalog = {
    source: { repository: 'https://github.com/bitrix24/b24restdocs', license: 'MIT' },
    methods: Object.create(null) as RestCatalog['methods'],
    events: Object.create(null) as RestCatalog['events'],
  }
  const sha = sourceCommit(docs, commit)
  if (sha) catalog.source.commit = sha
  for (const file of markdownFiles(root)) {
    const page = extractPage(relative(docs, file).split(sep).join('/'), readFileSync(file, 'utf8'))
    if (!page) continue
    if (page.kind === 'method') {
      const seen = catalog.methods[page.name]
      catalog.methods[page.name] = seen ? better(seen, page.entry) : page.entry
    } else if (!catalog.events[page.name] || (page.entry.data !== undefined && catalog.events[page.name]!.data === undefined)) {
      catalog.events[page.name] = page.entry
    }
  }
  // Sorted keys: a re-run on the same docs gives the same bytes, so the committed file diffs cleanly.
  const sorted = <T>(record: Record<string, T>) => Object.fromEntries(Object.keys(record).sort().map((k) => [k, record[k]!]))
  return { source: catalog.source, methods: sorted(catalog.methods), events: sorted(catalog.events) }
}

export function main(argv: string[]): void {
  const args = [...argv]
  const option = (flag: string) => {
    const i = args.indexOf(flag)
    if (i < 0) return undefined
    const [, value] = args.splice(i, 2)
    return value
  }
  const out = resolve(option('--out') ?? 'catalog/rest-catalog.json')
  const commit = option('--commit')
  const docs = args[0]
  if (!docs) throw new Error('usage: npm run catalog -- <path to a bitrix24/b24restdocs checkout> [--out FILE] [--commit SHA]')
  const catalog = buildCatalog(resolve(docs), commit)
  const text = JSON.stringify(catalog) + '\n'
  writeFileSync(out, text)
  const methods = Object.values(catalog.methods)
  console.log(
    `${methods.length} methods (${methods.filter((m) => m.example).length} with an example answer), ` +
      `${Object.keys(catalog.events).length} events -> ${out} (${(text.length / 1024).toFixed(0)} KiB)`,
  )
}
