// A small static file server for the demo and the browser tests: node demo/static-server.mjs [port...]
// It serves the repository root on 127.0.0.1 with a strict Content-Security-Policy on every response, so every page
// we ship proves the bundle runs without eval or inline script.
import { createServer } from 'node:http'
import { readFile } from 'node:fs/promises'
import { extname, join, normalize, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)))
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json', '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.png': 'image/png',
  '.svg': 'image/svg+xml',
}
export const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors *"

export function startStaticServer({ port = 0, host = '127.0.0.1', root = ROOT } = {}) {
  const server = createServer(async (req, res) => {
    const headers = { 'cache-control': 'no-store', 'content-security-policy': CSP, 'x-content-type-options': 'nosniff' }
    try {
      const url = new URL(req.url ?? '/', 'http://localhost')
      let path = normalize(decodeURIComponent(url.pathname))
      if (path.endsWith(sep) || path.endsWith('/')) path += 'index.html'
      const file = join(root, path)
      if (!file.startsWith(root + sep) || path.includes('node_modules')) throw Object.assign(new Error('forbidden'), { code: 'ENOENT' })
      const body = await readFile(file)
      res.writeHead(200, { ...headers, 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' })
      res.end(body)
    } catch (error) {
      const missing = error && (error.code === 'ENOENT' || error.code === 'EISDIR')
      res.writeHead(missing ? 404 : 400, { ...headers, 'content-type': 'text/plain; charset=utf-8' })
      res.end(missing ? 'not found' : 'bad request')
    }
  })
  return new Promise((resolveStart, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      const { port: actual } = server.address()
      resolveStart({ url: `http://${host}:${actual}`, port: actual, close: () => new Promise((r) => server.close(() => r())) })
    })
  })
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const ports = process.argv.slice(2).map(Number)
  for (const port of ports.length ? ports : [4173]) {
    const { url } = await startStaticServer({ port })
    console.log(`static server: ${url}/`)
  }
}
