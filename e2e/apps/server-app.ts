// A server-rendered app, written the way PHP apps on Bitrix24 are: the portal POSTs the session to the handler URL
// (AUTH_ID, member_id, PLACEMENT, ... in the body; DOMAIN and PROTOCOL in the query), the server calls REST with that
// AUTH_ID itself and renders the answer into the page.

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

export async function renderServerApp(query: URLSearchParams, post: URLSearchParams): Promise<string> {
  const auth = post.get('AUTH_ID') ?? ''
  const domain = query.get('DOMAIN') ?? ''
  const scheme = query.get('PROTOCOL') === '1' ? 'https' : 'http'
  // $_REQUEST['AUTH_ID'] -> CRest-style call to the portal the request came from.
  const response = await fetch(`${scheme}://${domain}/rest/user.current.json`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `auth=${encodeURIComponent(auth)}`,
  })
  const user = ((await response.json()) as { result?: { NAME?: string; LAST_NAME?: string } }).result ?? {}
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Server app</title><script src="//api.bitrix24.com/api/v1/"></script></head>
<body data-auth="${escape(auth)}">
<p>Hello, <b id="user">${escape(`${user.NAME ?? '?'} ${user.LAST_NAME ?? ''}`.trim())}</b></p>
<p>member_id <b id="member">${escape(post.get('member_id') ?? '')}</b> · placement <b id="placement">${escape(post.get('PLACEMENT') ?? '')}</b>
 · status <b id="status">${escape(post.get('status') ?? '')}</b> · expires in <b id="expires">${escape(post.get('AUTH_EXPIRES') ?? '')}</b></p>
<p>Refresh token posted: <b id="refresh">${post.get('REFRESH_ID') ? 'yes' : 'no'}</b> · LANG <b id="lang">${escape(query.get('LANG') ?? '')}</b></p>
<p>BX24 sees the same session: <b id="same">?</b></p>
<script>
  BX24.init(function () {
    document.getElementById('same').textContent = String(BX24.getAuth().access_token === document.body.getAttribute('data-auth'))
    document.body.setAttribute('data-done', 'true')
  })
</script>
</body></html>
`
}
