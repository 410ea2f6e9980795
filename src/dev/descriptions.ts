// What the dev portal answers where a newcomer lands by hand: the printed REST and push URLs, and the app's URL
// opened outside the portal frame. Short texts that say what the URL is for and how to use it.

export function restDescription(portalUrl: string, webhookUrl?: string): string {
  return [
    'bx24-shim dev portal: Bitrix24 REST API',
    '',
    `Call a method:  POST ${portalUrl}/rest/<method>.json   with auth=<access token> in the body`,
    webhookUrl ? `Or by webhook:  ${webhookUrl}<method>.json` : 'Or by webhook:  /rest/<user id>/<secret>/<method>.json (webhooks come from the seed)',
    `Example:        ${webhookUrl ?? `${portalUrl}/rest/1/<secret>/`}user.current.json`,
    '',
    `Apps get their token from the portal page (${portalUrl}/), or BX24.getAuth() inside it.`,
    'Every documented method answers: portal state where the dev portal has it, else the documented example.',
    '',
  ].join('\n')
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

/** The page the app's own URL shows when opened as a top-level page instead of inside the portal. */
export function openInsidePortalPage(portalUrl: string, appUrl: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Open this app inside the dev portal</title></head>
<body style="font: 16px/1.5 system-ui, sans-serif; max-width: 40em; margin: 3em auto">
<h1>This is the app, not the portal</h1>
<p><code>${escape(appUrl)}</code> is the page the portal shows in its frame. Bitrix24 apps run inside a portal:
the portal names the frame and posts the session to it, and BX24 reads both. Opened on its own, BX24 cannot start.</p>
<p><a href="${escape(portalUrl)}/">Open the dev portal at ${escape(portalUrl)}/</a>: it hosts this app.</p>
</body></html>
`
}
