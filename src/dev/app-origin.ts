// The app origin of the dev portal: serves the sample app like any app host, with two things a portal needs:
// - the portal opens an app by a form POST to its URL (spec §1.1), so a POST to a page is answered like a GET;
// - the app's URL opened by hand, outside the portal frame, explains how to open it inside (BX24 cannot start there).

import type { IncomingMessage, ServerResponse } from 'node:http'
import { openInsidePortalPage } from './descriptions'

type StaticHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>

const MAX_LAUNCH_BODY = 64 * 1024

/** Reads and drops a POST body (the launch fields), so the connection can answer; bounded. */
function drain(req: IncomingMessage): Promise<void> {
  return new Promise((resolve) => {
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_LAUNCH_BODY) req.destroy()
    })
    req.on('end', () => resolve())
    req.on('close', () => resolve())
    req.on('error', () => resolve())
  })
}

/**
 * A static handler that also answers the launch POST: a portal opens an app by a form POST to its URL (spec §1.1),
 * and the page it gets is the one a GET would get. Any host of an app page needs this (nginx's 405 is a classic).
 */
export function acceptLaunchPost(serveStatic: StaticHandler): StaticHandler {
  return async (req, res) => {
    if (req.method !== 'POST') return serveStatic(req, res)
    await drain(req)
    const asGet = Object.create(req, { method: { value: 'GET' } }) as IncomingMessage
    return serveStatic(asGet, res)
  }
}

export function createAppOriginHandler(options: { serveStatic: StaticHandler; portalUrl: string; appUrl: string }) {
  const appPath = new URL(options.appUrl).pathname
  const serveStatic = acceptLaunchPost(options.serveStatic)
  return async function serveApp(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const path = (req.url ?? '/').split('?')[0]!
    // A browser says where a navigation goes: `document` is a tab of its own, `iframe` the portal's frame.
    if (req.method === 'GET' && req.headers['sec-fetch-dest'] === 'document' && path === appPath) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'" })
      res.end(openInsidePortalPage(options.portalUrl, options.appUrl))
      return true
    }
    return serveStatic(req, res)
  }
}
