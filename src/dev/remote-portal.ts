// The portal as the demo portal page sees it: the one MockPortal lives in the dev server (it answers the app's REST),
// and the page's frame host reads a snapshot of it (/dev/session) and writes changes back (/dev/mutate, /dev/refresh).
// It has the members the frame host uses; token refresh is the one asynchronous call.

import type { FramePortal } from '../portal/frame/commands'
import type { Grant } from '../portal/tokens'

interface Session {
  userId: number
  grant: Grant
  firstRun: boolean
  isAdmin: boolean
  userOptions: Record<string, unknown>
  users: Record<string, unknown>[]
  state: FramePortal['state'] & { app: LaunchApp }
}

/** What the launch POST carries about the app besides the tokens (status, APPLICATION_TOKEN, APPLICATION_SCOPE). */
export interface LaunchApp {
  status: string
  scope: string[]
  applicationToken: string
}

export interface RemotePortal extends FramePortal {
  readonly launchApp: LaunchApp
}

async function post<T>(base: string, name: string, body: unknown): Promise<T> {
  const response = await fetch(`${base}/dev/${name}`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  })
  if (!response.ok) throw new Error(`dev portal: /dev/${name} answered ${response.status}`)
  return (await response.json()) as T
}

/** Opens a session for `userId` on the dev portal at `base` (the portal origin). */
export async function connectRemotePortal(base: string, userId?: number): Promise<RemotePortal> {
  const session = await post<Session>(base, 'session', { userId })
  const mutate = (body: Record<string, unknown>) => void post(base, 'mutate', body).catch((error) => console.error(error))
  const state = { ...session.state, users: session.users }
  return {
    state,
    launchApp: { status: session.state.app.status, scope: session.state.app.scope, applicationToken: session.state.app.applicationToken },
    defaultUserId: session.userId,
    issueAuth: () => session.grant,
    isFirstRun: () => session.firstRun,
    isAdmin: () => session.isAdmin,
    userOptions: () => session.userOptions,
    user: (id: number) => session.users.find((u) => Number(u.ID) === id),
    async refreshAuth(refreshToken: string) {
      const { grant } = await post<{ grant: Grant | null }>(base, 'refresh', { refreshToken })
      if (grant) session.grant = grant
      return grant
    },
    markRun(userId: number) {
      session.firstRun = false
      mutate({ op: 'markRun', userId })
    },
    markInstalled(installed: boolean) {
      state.app.installed = installed
      mutate({ op: 'markInstalled', installed })
    },
    setUserOption(userId: number, name: string, value: unknown) {
      session.userOptions[name] = value
      mutate({ op: 'setUserOption', userId, name, value })
    },
    setAppOption(name: string, value: unknown) {
      state.appOptions[name] = value
      mutate({ op: 'setAppOption', name, value })
    },
  }
}
