// The seam between a REST client and a portal: one HTTP request/response in wire form. The in-memory mock portal
// and the HTTP dev portal answer the same RestRequest, so the mock transport exercises the real body encoding and
// the server's real parsing.

export interface RestRequest {
  /** e.g. 'user.current', 'batch' (no leading slash, no '.json') */
  method: string
  /** The request body as sent: application/x-www-form-urlencoded (BX24) or JSON (b24jssdk). */
  body: string
  contentType: 'application/x-www-form-urlencoded' | 'application/json'
  /** The query string of the request URL without '?', if any (webhook and OAuth clients may put params there). */
  query?: string
}

export interface RestResponse {
  status: number
  /** JSON text of the REST envelope ({result, total?, next?, time} or {error, error_description}). */
  body: string
  headers?: Record<string, string>
}

export type RestHandler = (request: RestRequest) => Promise<RestResponse>
