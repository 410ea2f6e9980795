// Static files for the dev portal's two origins, with a strict Content-Security-Policy on every page: the demo must
// prove that the bundle and the pages need no eval and no inline script, and no other site may frame the pages.

import { readFile, realpath } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { extname, join, normalize, resolve, sep } from 'node:path'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json', '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.png': 'image/png',
  '.svg': 'image/svg+xml',
}

export interface CspSources {
  /** Other origins the page talks to (the portal's REST, the push server). */
  connect?: string[]
  /** Other origins the page may frame (the app). */
  frames?: string[]
  /**
   * Other origins that may frame the page: the portal origin's pages set `[]` (same origin only, the clickjacking
   * defence). Unset: no frame-ancestors at all, for the app's pages, which any portal that installs an app may frame.
   */
  ancestors?: string[]
}

export function contentSecurityPolicy(sources: CspSources = {}): string {
  const list = (kind: string, extra: string[] = []) => [kind, "'self'", ...extra].join(' ')
  return [
    "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
    list('connect-src', sources.connect), list('frame-src', sources.frames),
    ...(sources.ancestors ? [list('frame-ancestors', sources.ancestors)] : []),
    "object-src 'none'", "base-uri 'none'",
  ].join('; ')
}

/**
 * Serves files under `root` whose path starts with one of `prefixes`; anything else (node_modules, src, .git) is 404.
 * Returns false when the request is not a GET/HEAD for such a path, so the caller can try other routes.
 */
export function createStaticHandler(options: { root: string; prefixes: string[]; csp: string }) {
  const root = resolve(options.root)
  let realRoot: Promise<string> | undefined
  return async function serveStatic(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false
    let path: string
    try {
      path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname))
    } catch {
      return false
    }
    if (path.endsWith('/') || path.endsWith(sep)) path += 'index.html'
    if (!options.prefixes.some((prefix) => path.startsWith(prefix))) return false
    const file = join(root, path)
    if (!file.startsWith(root + sep)) return false
    try {
      // A symlink under demo/ or dist/ must not serve a file from elsewhere (~/.ssh, the rest of the disk): the
      // resolved path has to stay under the resolved root.
      realRoot ??= realpath(root)
      if (!(await realpath(file)).startsWith((await realRoot) + sep)) return false
      const body = await readFile(file)
      res.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store',
        'content-security-policy': options.csp, 'x-content-type-options': 'nosniff',
      })
      res.end(req.method === 'HEAD' ? undefined : body)
      return true
    } catch {
      return false
    }
  }
}
