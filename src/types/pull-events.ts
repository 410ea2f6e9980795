// The arguments Push & Pull hands to page code: BX custom events (`onPullEvent-<module>`, `onPullEvent`, mobile
// `onPull-<module>` / `onPull`, `onPullOnlineEvent`, `onPullStatus`, ...) and subscribe() callbacks, as Bitrix's
// pull client raises them (spec B.2, B.3, B.3.1, B.3.3). Types only: nothing here exists at run time.

/** `extra.sender` as the push server reports it: `type` 1 is another browser (client publish), 2 the backend. */
export interface PullEventSender {
  type: number
  id?: string
}

/**
 * `extra` of a pull message: what Bitrix's PHP producer adds, plus `server_time_ago`, which the client computes
 * before any handler runs (seconds since the server sent it, never negative).
 */
export interface PullEventExtra {
  server_time?: string
  server_time_unix?: number
  server_time_ago?: number
  server_name?: string
  revision_web?: number
  revision_mobile?: number
  sender?: PullEventSender
  [key: string]: unknown
}

/**
 * `params` of a command whose module is not described in {@link PullCommands}: the JSON object the sender published.
 * `any` on purpose: pull params are whatever the module sends; apps read them directly or annotate their own shape
 * (`(command: string, params: { dialogId: string }) => ...`), and both must compile. Describe a module in
 * PullCommands to have its params checked.
 */
export type PullEventParams = any

/**
 * Params of each command, per module. Empty here; describe your own modules by augmenting it, and handlers of those
 * modules get typed params, narrowed by the command:
 * @example
 * declare module 'bx24-shim' {
 *   interface PullCommands {
 *     application: { dealChanged: { id: number; stage: string }; ping: Record<string, never> }
 *   }
 * }
 * BX.addCustomEvent('onPullEvent-application', (command, params) => {
 *   if (command === 'dealChanged') console.log(params.stage)   // params: { id: number; stage: string }
 * })
 */
export interface PullCommands {}

/** Module ids described in {@link PullCommands}. */
type KnownModule = keyof PullCommands & string

/** `[command, params, extra]` for one module: a union of tuples, one per described command, so `command` narrows `params`. */
export type PullCommandArgs<M extends string> = M extends KnownModule
  ? { [C in keyof PullCommands[M] & string]: [command: C, params: PullCommands[M][C], extra: PullEventExtra] }[keyof PullCommands[M] & string]
  : [command: string, params: PullEventParams, extra: PullEventExtra]

/** `{command, params, extra}`, the one-object form subscribe() callbacks and the mobile events use. */
export type PullMessageData<M extends string = string> = PullCommandArgs<M> extends infer A
  ? A extends [infer C, infer P, infer E] ? { command: C; params: P; extra: E } : never
  : never

/** The push-server connection state announced by `onPullStatus` and `subscribe({type: 'status'})`. */
export type PullStatusName = 'online' | 'offline' | 'connect'

/**
 * Handler of `onPullEvent-<module>` and `onPullClientEvent-<module>`: `(command, params, extra)`. For a module
 * described in {@link PullCommands}, checking `command` narrows `params`.
 */
export type PullModuleHandler<M extends string = string> = (...args: PullCommandArgs<M>) => unknown

/**
 * The same handler declaring fewer than three parameters. TypeScript cannot match such a function against a union of
 * argument tuples, so described modules also accept this form, without the narrowing.
 */
export type PullModuleShortHandler<M extends string = string> = M extends KnownModule
  ? (command: PullCommandArgs<M>[0], params: PullCommandArgs<M>[1]) => unknown
  : PullModuleHandler<M>

/**
 * Events with a fixed name. Augment it to type your own custom events:
 * @example
 * declare module 'bx24-shim' { interface BXEventMap { onInvoicePaid: (invoiceId: number) => void } }
 */
export interface BXEventMap {
  /** Every server message of every module, after its `onPullEvent-<module>`. */
  onPullEvent: (moduleId: string, command: string, params: PullEventParams, extra: PullEventExtra) => unknown
  /** Every message another browser published (`extra.sender.type === 1`), after its `onPullClientEvent-<module>`. */
  onPullClientEvent: (moduleId: string, command: string, params: PullEventParams, extra: PullEventExtra) => unknown
  /** Messages of module `online` younger than 240 s (user presence). */
  onPullOnlineEvent: (command: string, params: PullEventParams, extra: PullEventExtra) => unknown
  /** Raised only when the status changes; `offline` after 5 s without a connection. */
  onPullStatus: (status: PullStatusName) => unknown
  /** The server announced a newer client revision than this one. */
  onPullRevisionUp: (serverRevision: number, clientRevision: number) => unknown
  /** `'AUTHORIZE_ERROR'` when the config can no longer be loaded (the token or app was revoked). */
  onPullError: (error: string, detail?: unknown) => unknown
  /** Mobile webviews: every server message as one object. */
  onPull: (data: PullMessageData & { module_id: string }) => unknown
  /** Mobile webviews: the `online` module's messages as one object. */
  onPullOnline: (data: PullMessageData<'online'>) => unknown
}

/** Any handler: what free-form event names get. */
export type AnyEventHandler = (...args: any[]) => unknown

/**
 * The handler type for an event name: fixed names from {@link BXEventMap}, the pull events by their pattern, and any
 * function for every other name (BX event names are free-form; matching here is case-sensitive, Bitrix's is not).
 */
export type BXEventHandler<N extends string> = N extends keyof BXEventMap
  ? BXEventMap[N]
  : N extends `onPullEvent-${infer M}`
    ? PullModuleHandler<Lowercase<M>>
    : N extends `onPullClientEvent-${infer M}`
      ? PullModuleHandler<Lowercase<M>>
      : N extends `onPull-${infer M}`
        ? (data: PullMessageData<Lowercase<M>> & { module_id: string }) => unknown
        : N extends `onPullClient-${infer M}`
          ? (data: PullMessageData<Lowercase<M>> & { module_id: string }) => unknown
          : AnyEventHandler

/** {@link BXEventHandler}, with described pull modules' handlers in their short form. */
export type BXEventShortHandler<N extends string> = N extends `onPullEvent-${infer M}`
  ? PullModuleShortHandler<Lowercase<M>>
  : N extends `onPullClientEvent-${infer M}`
    ? PullModuleShortHandler<Lowercase<M>>
    : BXEventHandler<N>

// ---------------------------------------------------------------- subscribe()

// Callbacks are declared as methods so that an app's own annotation of the data it expects (a narrower shape)
// still compiles, as it did when subscribe() took anything; an unrelated annotation is still an error.

/** The second argument of subscribe() callbacks. */
export interface PullSubscriptionInfo<T extends string = string> {
  type: T
  moduleId?: string
}

type ServerOrClient = 'server' | 'client'

/** `subscribe({moduleId, command, callback})`: `callback(params, extra, command, {type, moduleId})`. */
export interface PullCommandSubscription<M extends string = string, C extends string = string> {
  type?: ServerOrClient
  moduleId: M
  command: C
  callback(
    params: M extends KnownModule ? (C extends keyof PullCommands[M] ? PullCommands[M][C] : PullEventParams) : PullEventParams,
    extra: PullEventExtra,
    command: C,
    info: PullSubscriptionInfo<ServerOrClient>,
  ): unknown
}

/** `subscribe({moduleId, callback})`: every command of the module, `callback({command, params, extra}, {type, moduleId})`. */
export interface PullModuleSubscription<M extends string = string> {
  type?: ServerOrClient
  moduleId: M
  command?: null
  callback(data: PullMessageData<M>, info: PullSubscriptionInfo<ServerOrClient>): unknown
}

/** `subscribe({type: 'online', callback})`. */
export interface PullOnlineSubscription {
  type: 'online'
  callback(data: PullMessageData<'online'>, info: PullSubscriptionInfo<'online'>): unknown
}

/** `subscribe({type: 'status', callback})`. */
export interface PullStatusSubscription {
  type: 'status'
  callback(data: { status: PullStatusName }, info: PullSubscriptionInfo<'status'>): unknown
}

/** `subscribe({type: 'revision', callback})`. */
export interface PullRevisionSubscription {
  type: 'revision'
  callback(data: { server: number; client: number }, info: PullSubscriptionInfo<'revision'>): unknown
}

/**
 * A command handler object: `getModuleId()`, then `getMap()` (`{command: fn | methodName}`) or `handle<Command>`
 * methods, each called as `(params, extra, command)` with `this` bound to the object.
 */
export interface PullCommandHandler {
  getModuleId(): string
  /** `'server'` (default) or `'client'`. */
  getSubscriptionType?(): string
  getMap?(): Record<string, ((params: PullEventParams, extra: PullEventExtra, command: string) => unknown) | string>
}
