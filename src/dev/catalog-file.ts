// Loads the REST catalogue (catalog/rest-catalog.json, made by `npm run catalog`) at run time. Node only: the
// browser bundles never import this, so they never carry the 1.5 MB of data.

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { RestCatalog } from '../catalog/types'

export const CATALOG_FILE = join('catalog', 'rest-catalog.json')

/** The catalogue under `root`, or undefined (with the reason) when it is missing or unreadable. */
export function loadCatalog(root: string): { catalog?: RestCatalog; problem?: string } {
  const path = join(root, CATALOG_FILE)
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch {
    return { problem: `${path} not found: documented methods without an implementation answer ERROR_METHOD_NOT_FOUND` }
  }
  try {
    const value = JSON.parse(text) as RestCatalog
    if (typeof value !== 'object' || value === null || typeof value.methods !== 'object' || typeof value.events !== 'object') {
      return { problem: `${path} is not a REST catalogue (no methods/events)` }
    }
    // Keys come from the documentation: null-prototype records, so a method named like an Object member is data.
    return { catalog: { source: value.source, methods: Object.assign(Object.create(null), value.methods), events: Object.assign(Object.create(null), value.events) } }
  } catch (error) {
    return { problem: `${path}: ${(error as Error).message}` }
  }
}
