// The host of our test apps (e2e/apps/*.html): an app server on its own origin, as an app developer has one. It
// serves the pages for the portal's launch POST (and GET), renders the server-side app, and is the event handler
// the portal POSTs to; it records what it was sent.
import { readFileSync } from 'node:fs'
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { resolve } from 'node:path'
import { renderServerApp } from './server-app'

export interface Received {
  path: string
  query: URLSearchParams
  body: URLSearchParams
  raw: string
}

export interface AppHost {
  origin: string
  url(path: string): string
  launches: Received[]
  events: Received[]
  close(): Promise<void>
}

function read(req: IncomingMessage): Promise<string> {
  return new Promise((done) => {
    let text = ''
    req.on('data', (chunk) => (text += chunk))
    req.on('end', () => done(text))
  })
}

export async function startAppHost(): Promise<AppHost> {
  const launches: Received[] = []
  const events: Received[] = []
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://app.test')
    const raw = req.method === 'POST' ? await read(req) : ''
    const received = { path: url.pathname, query: url.searchParams, body: new URLSearchParams(raw), raw }
    if (url.pathname === '/handler') {
      events.push(received)
      return void res.writeHead(200, { 'content-type': 'text/plain' }).end('OK')
    }
    if (req.method === 'POST') launches.push(received)
    if (url.pathname === '/server-app') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      return void res.end(await renderServerApp(url.searchParams, received.body))
    }
    const name = /^\/([a-z-]+\.html)$/.exec(url.pathname)?.[1]
    if (!name) return void res.writeHead(404).end()
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
    res.end(readFileSync(resolve(__dirname, name)))
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()))
  // "localhost": another site than the portal's 127.0.0.1, so the app frame is cross-site as on a real portal.
  const origin = `http://localhost:${(server.address() as AddressInfo).port}`
  return {
    origin, launches, events,
    url: (path) => `${origin}${path}`,
    async close() {
      server.closeAllConnections()
      await new Promise((done) => server.close(done))
    },
  }
}
