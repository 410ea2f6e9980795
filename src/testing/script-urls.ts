// Which script requests of an app page get the bx24-shim bundle instead: Bitrix's library (`//api.bitrix24.com/
// api/v1/`, as real apps load it) and files named like the bundle; Bitrix's separate pull library gets an empty
// script, since the bundle already has BX.PullClient. Shared by runApp (happy-dom) and the Playwright fixtures.

export type ShimScriptKind = 'bundle' | 'pull-add-on' | null

const BITRIX_HOST = 'api.bitrix24.com'

export function shimScriptKind(url: URL): ShimScriptKind {
  if (url.hostname === BITRIX_HOST && /^\/api\/v1\/pull(\/|$)/.test(url.pathname)) return 'pull-add-on'
  if (url.hostname === BITRIX_HOST && /^\/api\/v1(\/|$)/.test(url.pathname)) return 'bundle'
  return /(^|\/)bx24-shim\.umd(\.min)?\.js$/.test(url.pathname) ? 'bundle' : null
}

/** True for Bitrix's library (any scheme) and any `bx24-shim.umd[.min].js`. */
export function isShimScriptUrl(url: URL): boolean {
  return shimScriptKind(url) !== null
}

export const PULL_ADD_ON_BODY = '/* bx24-shim: BX.PullClient is part of the main bundle */\n'
