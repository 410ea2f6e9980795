// Raw HTTP for dev-portal tests: every header under the test's control (fetch would set Origin and Host itself).
import { request as httpRequest } from 'node:http'

export interface Reply {
  status: number
  headers: Record<string, string | string[] | undefined>
  text: string
}

/** One request; `headOnly` resolves at the response head (for streams such as /dev/events) and drops the connection. */
export function send(url: string, options: { method?: string; headers?: Record<string, string>; body?: string; headOnly?: boolean } = {}): Promise<Reply> {
  const target = new URL(url)
  return new Promise((resolve, reject) => {
    const req = httpRequest({
      host: '127.0.0.1', port: target.port, path: target.pathname + target.search, method: options.method ?? 'GET',
      // An explicit length: Node's client sends the body of a GET, DELETE or OPTIONS unframed otherwise.
      headers: { host: target.host, ...(options.body === undefined ? {} : { 'content-length': String(Buffer.byteLength(options.body)) }), ...options.headers },
    }, (res) => {
      if (options.headOnly) {
        resolve({ status: res.statusCode!, headers: res.headers, text: '' })
        return void req.destroy()
      }
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(options.body)
  })
}

/** A JSON POST, as the portal page sends to /dev/... */
export function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  return send(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) })
}
