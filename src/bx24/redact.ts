// Text for logs and error descriptions with the secrets taken out. A webhook URL carries its secret in the path,
// and fetch implementations quote the URL in their errors ("request to https://x/rest/1/<secret>/m.json failed");
// OAuth tokens travel as auth=..., access_token=... or inside JSON. None of them may reach a log or an app.

const WEBHOOK_PATH = /(\/rest\/(?:api\/)?\d+\/)[^/\s?#"'<>]+/g
const TOKEN_PARAM = /\b(auth|access_token|refresh_token|auth_id|refresh_id|client_secret|application_token)=[^&\s"'<>]+/gi
const TOKEN_JSON = /("(?:auth|access_token|refresh_token|AUTH_ID|REFRESH_ID|client_secret|application_token)"\s*:\s*")[^"]*/gi
const MASK = '***'

function describe(value: unknown, depth: number): string {
  try {
    if (value instanceof Error) {
      const cause = (value as { cause?: unknown }).cause
      const text = `${value.name}: ${value.message}`
      return cause !== undefined && depth < 3 ? `${text} (cause: ${describe(cause, depth + 1)})` : text
    }
    return String(value)
  } catch {
    return 'an unprintable error'
  }
}

/** `value` (an Error, with its causes, or anything) as text with webhook secrets, tokens and `secrets` masked. */
export function redact(value: unknown, ...secrets: Array<string | null | undefined>): string {
  let text = describe(value, 0)
  // Short strings would mask ordinary words; real tokens and secrets are long.
  for (const secret of secrets) if (secret && secret.length >= 8) text = text.split(secret).join(MASK)
  return text.replace(WEBHOOK_PATH, `$1${MASK}`).replace(TOKEN_PARAM, `$1=${MASK}`).replace(TOKEN_JSON, `$1${MASK}`)
}
