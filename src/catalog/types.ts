// The REST catalogue: what `npm run catalog` extracts from Bitrix's MIT REST reference (bitrix24/b24restdocs) and
// what the dev portal answers documented methods with. Data only: names, scopes, parameter names and types, example
// answers, error codes; no prose from the documentation.

export interface CatalogParam {
  name: string
  /** The documented type as written (`integer`, `object`, `string[]`, ...); '' when the page gives none. */
  type: string
  required: boolean
}

export interface CatalogError {
  /** HTTP status when the page gives one. */
  status?: number
  /** The `error` code; '' for the legacy handlers that answer an empty code. */
  code: string
  /** The `error_description` text as documented. */
  message: string
}

export interface CatalogMethod {
  /** Scopes as documented; `basic` means every app may call it. */
  scope: string[]
  params: CatalogParam[]
  /** The documented success answer: `result`, plus `total`/`next` when the example has them. Absent when the page has no parsable example. */
  example?: { result: unknown; total?: number; next?: number }
  errors?: CatalogError[]
  /** Repository path of the page (for people; the portal does not read it). */
  doc: string
}

export interface CatalogEvent {
  scope: string[]
  /** The documented handler payload's `data` (the POST body's data[...] part). */
  data?: unknown
  doc: string
}

export interface RestCatalog {
  source: { repository: string; license: string; commit?: string }
  /** Keyed by lower-case method name (the server lower-cases names). */
  methods: Record<string, CatalogMethod>
  /** Keyed by upper-case event name (events are case-insensitive; Bitrix stores them upper-cased). */
  events: Record<string, CatalogEvent>
}
