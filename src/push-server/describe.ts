// GET / on the push server: a short text saying what the server is and where its endpoints are, so the URL the dev
// portal prints answers something useful instead of 404.

import type { IncomingMessage, ServerResponse } from 'node:http'

export function sendDescription(req: IncomingMessage, res: ServerResponse, protocol: string): void {
  // The Host the client used (the server only listens on loopback names, so this is the name it can reach).
  const base = `http://${String(req.headers.host ?? '127.0.0.1').replace(/[^A-Za-z0-9.:[\]-]/g, '')}`
  const ws = base.replace(/^http/, 'ws')
  res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' })
  res.end([
    `bx24-shim push server (${protocol})`,
    '',
    `Subscribe (WebSocket):    ${ws}/bitrix/sub/?CHANNEL_ID=<channel id>`,
    `Subscribe (long polling): ${base}/bitrix/sub/?CHANNEL_ID=<channel id>`,
    `Publish:                  POST ${base}/bitrix/pub/?CHANNEL_ID=<channel id>`,
    '',
    'Apps get their channel ids from the REST method pull.application.config.get; BX.PullClient does all of this.',
    '',
  ].join('\n'))
}
