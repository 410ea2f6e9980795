// HandlerHelper::checkCallback: event, placement, robot and user-field-type handlers must be http(s) URLs whose host
// has a dot after its first character.

import { RestError } from '../errors'

/**
 * Deliberate difference: `localhost` (no dot) is accepted too, because on the dev portal the handler usually is a
 * local server; Bitrix answers ERROR_WRONG_HANDLER_URL for it.
 */
export function checkHandlerUrl(handler: string): void {
  let url: URL | null = null
  try {
    url = new URL(handler)
  } catch {
    url = null
  }
  const host = url?.hostname ?? ''
  if (!url || host === '' || (host.indexOf('.') <= 0 && host !== 'localhost')) throw new RestError('ERROR_WRONG_HANDLER_URL', 'Wrong handler URL')
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new RestError('ERROR_UNSUPPORTED_PROTOCOL', 'Unsupported handler protocol')
}
