// Errors a REST method can raise, and the HTTP status the real server attaches to each code (spec §4.3).

export const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  expired_token: 401,
  invalid_token: 401,
  NO_AUTH_FOUND: 401,
  insufficient_scope: 403,
  ACCESS_DENIED: 403,
  INVALID_CREDENTIALS: 403,
  user_access_error: 403,
  WRONG_AUTH_TYPE: 403,
  AUTHORIZE_ERROR: 403,
  ERROR_METHOD_NOT_FOUND: 404,
  INVALID_REQUEST: 400,
  ERROR_ARGUMENT: 400,
  ERROR_BATCH_LENGTH_EXCEEDED: 400,
  ERROR_BATCH_METHOD_NOT_ALLOWED: 405,
  OPERATION_TIME_LIMIT: 429,
  QUERY_LIMIT_EXCEEDED: 503,
  OVERLOAD_LIMIT: 503,
  INTERNAL_SERVER_ERROR: 500,
  ERROR_UNEXPECTED_ANSWER: 500,
  WRONG_ENCODING: 500,
}

export class RestError extends Error {
  readonly code: string
  readonly description: string
  readonly status: number

  constructor(code: string, description: string, status?: number) {
    super(description ? `${code}: ${description}` : code)
    this.name = 'RestError'
    this.code = code
    this.description = description
    // Method-specific codes (ERROR_EVENT_NOT_FOUND, ERROR_NOT_FOUND, …) are argument errors: 400 on the real server.
    this.status = status ?? STATUS_BY_CODE[code] ?? 400
  }
}

export const methodNotFound = (): RestError => new RestError('ERROR_METHOD_NOT_FOUND', 'Method not found!')
export const accessDenied = (text = 'Access denied!'): RestError => new RestError('ACCESS_DENIED', text)
export const argumentError = (text: string): RestError => new RestError('ERROR_ARGUMENT', text)
