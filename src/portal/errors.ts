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
  /** Extra keys of the error answer, as RestException::setAdditional adds them (`argument` for argument errors). */
  readonly additional: Readonly<Record<string, string>>

  constructor(code: string, description: string, status?: number, additional: Record<string, string> = {}) {
    super(description ? `${code}: ${description}` : code)
    this.name = 'RestError'
    this.code = code
    this.description = description
    // Method-specific codes (ERROR_EVENT_NOT_FOUND, ERROR_NOT_FOUND, …) are argument errors: 400 on the real server.
    this.status = status ?? STATUS_BY_CODE[code] ?? 400
    this.additional = additional
  }
}

export const methodNotFound = (): RestError => new RestError('ERROR_METHOD_NOT_FOUND', 'Method not found!')
/** Bitrix's AccessException: "Access denied!" with the reason appended after a space. */
export const accessDenied = (reason = ''): RestError => new RestError('ACCESS_DENIED', reason ? `Access denied! ${reason}` : 'Access denied!')
/** Bitrix's AuthTypeException (an AccessException): webhooks calling app-only methods. */
export const wrongAuthType = (reason = ''): RestError =>
  new RestError('WRONG_AUTH_TYPE', `Current authorization type is denied for this method${reason ? ` ${reason}` : ''}`, 403)
export const argumentError = (text: string, argument?: string): RestError =>
  new RestError('ERROR_ARGUMENT', text, 400, argument === undefined ? {} : { argument })
/** Bitrix\Main\ArgumentNullException as the REST server reports it (RestException::initFromException). */
export const argumentNull = (argument: string): RestError => argumentError(`Argument '${argument}' is null or empty`, argument)
/** A plain \Exception thrown by a handler: its message, the code ERROR_CORE, status 400 (initFromException). */
export const coreError = (text: string): RestError => new RestError('ERROR_CORE', text)
/** The legacy CRM handlers (CCrmRestService): an EMPTY error code, the message, status 400. */
export const crmError = (text: string): RestError => new RestError('', text, 400)
