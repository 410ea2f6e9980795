// Polls `check` until it holds; for tests against real sockets, where there is no event to await.
export async function waitFor(what: string, check: () => boolean, timeoutMs = 4000, pollMs = 10): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, pollMs))
  }
}
