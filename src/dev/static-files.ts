// Static files for the dev portal's two origins, with a strict Content-Security-Policy on every page: the demo must
// prove that the bundle and the pages need no eval and no inline script.

import { readFile } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { extname, join, normalize, resolve, sep } from 'node:path'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json', '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.png': 'image/png',
  '.svg': 'image/svg+xml',
}

/**
 * `connect-src` lists the other origins the page talks to (the portal's REST, the push server); `frames` the origins
 * it may frame besides the local ones (the app of --app-url, whatever its origin).
 */
export function contentSecurityPolicy(connect: string[] = [], frames: string[] = []): string {
  return [
    "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
    `connect-src 'self' ${connect.join(' ')}`.trim(), `frame-src 'self' http://localhost:* http://127.0.0.1:* ${frames.join(' ')}`.trim(),
    "object-src 'none'", "base-uri 'none'",
  ].join('; ')
}

/**
 * Serves files under `root` whose path starts with one of `prefixes`; anything else (node_modules, src, .git) is 404.
 * Returns false when the request is not a GET/HEAD for such a path, so the caller can try other routes.
 */
export function createStaticHandler(options: { root: string; prefixes: string[]; csp: string }) {
  const root = resolve(options.root)
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
