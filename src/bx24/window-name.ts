// Bootstrap from window.name (spec §1.1, §1.4): the portal names the app's iframe "<host[:port]>|<0|1>|<APP_SID>".

export const INIT_ERROR_MESSAGE = 'Unable to initialize Bitrix24 JS library!'

export interface FrameName {
  domain: string
  protocol: 0 | 1
  appSid: string
}

/** Parse like the real library; null when DOMAIN or APP_SID is missing (the real library then throws). */
export function parseWindowName(name: unknown): FrameName | null {
  if (typeof name !== 'string' || name === '') return null
  const parts = name.split('|')
  const domain = (parts[0] ?? '').replace(/:(80|443)$/, '')
  const protocol = (parseInt(parts[1] ?? '', 10) || 0) === 0 ? 0 : 1
  const appSid = parts[2] ?? ''
  // A host that is not host[:port] would make the portal origin ambiguous ('a@b', 'a/b'): treat it as missing.
  if (!domain || !appSid || !/^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+)(:\d{1,5})?$/.test(domain)) return null
  return { domain, protocol, appSid }
}

/** Whether a window.name looks like the portal's frame name at all (auto-detection of the frame transport). */
export function looksLikeFrameName(name: unknown): boolean {
  return typeof name === 'string' && name.includes('|')
}

export function portalOrigin(domain: string, protocol: 0 | 1): string {
  return 'http' + (protocol ? 's' : '') + '://' + domain
}
