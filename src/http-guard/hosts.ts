// DNS rebinding defence: a page on `attacker.test` whose name the attacker re-points at 127.0.0.1 talks to our
// servers "same-origin", so neither CORS nor Origin checks stop it. Its requests still say `Host: attacker.test`,
// and that is what we refuse: a local server answers only to its own names.

import type { IncomingMessage } from 'node:http'

/** The names a loopback server always answers to. */
export const LOOPBACK_NAMES: readonly string[] = ['127.0.0.1', 'localhost', '[::1]']

const LOOPBACK_ADDRESSES = new Set(['127.0.0.1', 'localhost', '::1', '[::1]'])

/** Whether a listen address keeps the server on this machine. */
export function isLoopbackAddress(address: string): boolean {
  return LOOPBACK_ADDRESSES.has(address) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(address)
}

/**
 * `name`, `NAME.`, `[v6]` and bare IPv6 addresses in one lower-case form, as they appear in a Host header (no port).
 * Throws on anything that cannot be a host name, so a typo in `--allow-host` fails at start, not silently later.
 */
export function normalizeHostName(name: string): string {
  let host = name.trim().toLowerCase().replace(/\.$/, '')
  if (host.includes(':') && !host.startsWith('[')) host = `[${host}]`
  if (!/^(\[[0-9a-f:.]+\]|[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*)$/.test(host)) {
    throw new TypeError(`not a host name: ${JSON.stringify(name)}`)
  }
  return host
}

/** Host names (lower case, IPv6 in brackets) a server answers to: the loopback names and the ones opted into. */
export function ownHostNames(extra: readonly string[] = []): string[] {
  return [...new Set([...LOOPBACK_NAMES, ...extra.map(normalizeHostName)])]
}

/**
 * Whether `req` names this server: `Host` must be one of `names` with the port the request arrived on (the port may
 * be left out only on port 80, as browsers do). A missing Host (HTTP/1.0) is refused as well.
 */
export function hostAllowed(req: IncomingMessage, names: readonly string[]): boolean {
  const host = req.headers.host?.toLowerCase()
  if (!host) return false
  const port = req.socket.localPort
  for (const name of names) {
    if (host === `${name}:${port}` || (port === 80 && host === name)) return true
  }
  return false
}

/** `http://name:port` for every name: the origins of pages served by a server on `port`. */
export function originsOf(names: readonly string[], port: number): string[] {
  return names.map((name) => `http://${name}${port === 80 ? '' : `:${port}`}`)
}
