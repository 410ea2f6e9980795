// The typed surface of window.BX24 where argument shuffles and callbacks need help: callMethod / callBatch over the
// REST method map (callback form returns undefined, promise form a promise), the dialogs' and sliders' callbacks, and
// placement.call. createBX24() returns its object with these members typed (src/bx24/create-bx24.ts). Types only.

import type { ajaxResult } from '../bx24/ajax-result'
import type {
  KnownRestMethod, RestMethodParams, RestMethodResult, RestParams, RestParamsArgs, UnknownRestMethod,
} from './rest-methods'

/**
 * `BX24.callMethod`: with a callback it returns `undefined` (as the real library); without one, a promise that
 * resolves with the result, or rejects with it when `error()` is set. Known methods ({@link RestMethods}) check their
 * params and type `data()`; any other name takes loose params, and `data()` is `unknown` unless you say:
 * `BX24.callMethod<MyRow[]>('my.method')`.
 */
export interface BX24CallMethod {
  <M extends KnownRestMethod>(method: M, params: RestMethodParams<M>, callback: (result: ajaxResult<RestMethodResult<M>>) => void): undefined
  <M extends KnownRestMethod>(method: M, ...params: RestParamsArgs<M>): Promise<ajaxResult<RestMethodResult<M>>>
  <T = unknown, M extends string = string>(method: M & UnknownRestMethod<M>, params: RestParams | undefined, callback: (result: ajaxResult<T>) => void): undefined
  <T = unknown, M extends string = string>(method: M & UnknownRestMethod<M>, params?: RestParams): Promise<ajaxResult<T>>
}

/** One batch command: `[method, params?]` or `{method, params?}`. */
export type BX24BatchCommand = readonly [method: string, params?: unknown] | { readonly method: string; readonly params?: unknown }

/**
 * The commands of one callBatch: an array or an object of {@link BX24BatchCommand}s. Entries are not checked here
 * (lists are often built at run time); the real library skips the ones without a method, and so does BX24.
 */
export type BX24BatchCalls = readonly unknown[] | { readonly [key: string]: unknown }

type CommandResult<C> = C extends readonly [infer M extends string, ...unknown[]]
  ? ajaxResult<RestMethodResult<M>>
  : C extends { readonly method: infer M extends string }
    ? ajaxResult<RestMethodResult<M>>
    : ajaxResult

/** The results of a callBatch, in the same container shape and keys as the commands. */
export type BX24BatchResults<C> = { -readonly [K in keyof C]: CommandResult<C[K]> }

/**
 * `BX24.callBatch`: results keep the commands' keys and each is typed by its method. With `bHaltOnError`, commands
 * after a failed one are absent, so their keys are optional.
 * @example
 * BX24.callBatch({ me: ['user.current'], deal: { method: 'crm.deal.get', params: { id: 1 } } }, (res) => {
 *   res.me.data().NAME; res.deal.data().TITLE
 * })
 */
export interface BX24CallBatch {
  <const C extends BX24BatchCalls>(calls: C, callback: (result: BX24BatchResults<C>) => void, bHaltOnError?: false): undefined
  <const C extends BX24BatchCalls>(calls: C, callback: (result: Partial<BX24BatchResults<C>>) => void, bHaltOnError: boolean): undefined
  <const C extends BX24BatchCalls>(calls: C, callback?: null, bHaltOnError?: false): Promise<BX24BatchResults<C>>
  <const C extends BX24BatchCalls>(calls: C, callback: null | undefined, bHaltOnError: boolean): Promise<Partial<BX24BatchResults<C>>>
}

/** `callBind` / `callUnbind`: `false` (no call) for a non-admin, else what callMethod returns. */
export type BX24CallBind = (
  event: string,
  handler: string,
  auth_type?: number | string,
  callback?: (result: ajaxResult<unknown>) => void,
) => false | undefined | Promise<ajaxResult<unknown>>

// ---------------------------------------------------------------- dialogs and sliders

/** A user picked in `selectUser` / `selectUsers`. */
export interface BX24SelectedUser {
  id: string | number
  name: string
  photo?: string
  position?: string
  url?: string
  sub?: boolean
  sup?: boolean
}

/** An access right picked in `selectAccess`: `U1` a user, `SG4` a group, `AU` all authorised users, ... */
export interface BX24SelectedAccess {
  id: string
  name: string
  provider?: string
  [key: string]: unknown
}

export type BX24CrmEntityType = 'lead' | 'contact' | 'company' | 'deal' | 'quote'

/** A CRM record picked in `selectCRM`. */
export interface BX24SelectedCrmEntity {
  /** `L_12`, `C_2`, `CO_4`, `D_1`, `Q_1`. */
  id: string
  type: string
  place: string
  title: string
  desc: string
  url: string
  image?: string
}

/** `selectCRM` result: one bucket per entity type, each an object keyed `'0'`, `'1'`, ... (not an array). */
export type BX24CrmSelection = Partial<Record<BX24CrmEntityType, Record<string, BX24SelectedCrmEntity>>>

export interface BX24SelectCRMParams {
  entityType?: readonly BX24CrmEntityType[]
  multiple?: boolean
  /** Preselected ids per type; only with `multiple`. */
  value?: Partial<Record<BX24CrmEntityType, readonly (number | string)[]>>
}

/** `openApplication` slider settings; sent as `bx24_<key>` params. */
export interface BX24SliderSettings {
  width?: number
  leftBoundary?: number
  title?: string
  label?: { text?: string; bgColor?: string; color?: string }
  [key: string]: unknown
}

/** What `openPath`'s callback receives. */
export type BX24OpenPathResult = { result: 'close' } | { result: 'error'; errorCode: 'PATH_NOT_AVAILABLE' | 'METHOD_NOT_SUPPORTED_ON_DEVICE' | string }

/** `placement.getInterface` reply: the placement's own commands and events (the base commands are not listed). */
export interface BX24PlacementInterface {
  command: string[]
  event: string[]
}

/**
 * Commands that placements register (`BX24.placement.call`): `{params, result}` per command. Empty here, because the
 * set depends on where the app is opened (`reloadData` in CRM cards, `setValue` / `getValue` in USERFIELD_TYPE,
 * `getStatus` in CALL_CARD, ...) and results are command-specific; augment it for the commands you use.
 * @example
 * declare module 'bx24-shim' {
 *   interface BX24PlacementCommands { getStatus: { params: Record<string, never>; result: { CALL_ID: string; STATE: string }[] } }
 * }
 */
export interface BX24PlacementCommands {}

type PlacementParams<C extends string> = C extends keyof BX24PlacementCommands
  ? BX24PlacementCommands[C] extends { params: infer P } ? P : unknown
  : unknown
type PlacementResult<C extends string> = C extends keyof BX24PlacementCommands
  ? BX24PlacementCommands[C] extends { result: infer R } ? R : unknown
  : unknown

export interface BX24Placement {
  /** `{placement, options}` from init data (`null`s before init); `options` is whatever the portal sent. */
  info(): { placement: string; options: unknown }
  getInterface(callback: (result: BX24PlacementInterface) => void): void
  /** Commands BX24 itself offers (`setTitle`, ...) are refused silently, as by the real library. */
  call<C extends string>(command: C, callback: (result: PlacementResult<C>) => void): void
  call<C extends string>(command: C, params?: PlacementParams<C>, callback?: (result: PlacementResult<C>) => void): void
  /** `callback` runs on every firing of the placement event. */
  bindEvent(event: string, callback: (payload: unknown) => void): void
}

/** The BX24 members typed here; createBX24's object has them in place of its untyped ones. */
export interface BX24TypedMembers {
  callMethod: BX24CallMethod
  callBatch: BX24CallBatch
  callBind: BX24CallBind
  callUnbind: BX24CallBind
  /** Alias of callUnbind (Bitrix has both spellings). */
  callUnBind: BX24CallBind
  /** Sends only when both sizes parse as positive integers; the callback gets the size the portal measured. */
  resizeWindow(width: number | string, height: number | string, callback?: (size: { width: number; height: number }) => void): void
  fitWindow(callback?: (size: { width: number; height: number }) => void): void
  reloadWindow(callback?: () => void): void
  setTitle(title: string | number, callback?: (params: { title: string }) => void): void
  scrollParentWindow(scroll: number | string, callback?: (params: { scroll: number }) => void): void
  selectUser(callback: (user: BX24SelectedUser) => void): void
  selectUser(title: string, callback: (user: BX24SelectedUser) => void): void
  selectUsers(callback: (users: BX24SelectedUser[]) => void): void
  selectUsers(title: string, callback: (users: BX24SelectedUser[]) => void): void
  selectAccess(callback: (rights: BX24SelectedAccess[]) => void): void
  selectAccess(title: string, callback: (rights: BX24SelectedAccess[]) => void): void
  /** `value`: rights that cannot be picked. */
  selectAccess(value: readonly string[], callback: (rights: BX24SelectedAccess[]) => void): void
  selectAccess(title: string, value: readonly string[], callback: (rights: BX24SelectedAccess[]) => void): void
  selectCRM(callback: (selection: BX24CrmSelection) => void): void
  selectCRM(params: BX24SelectCRMParams, callback: (selection: BX24CrmSelection) => void): void
  /** The callback runs when the slider closes. */
  openApplication(callback: () => void): void
  openApplication(params?: Record<string, unknown>, callback?: () => void, settings?: BX24SliderSettings): void
  openPath(path: string, callback?: (result: BX24OpenPathResult) => void): void
  closeApplication(callback?: () => void): void
  placement: BX24Placement
}

/** `T` with the members above typed. */
export type WithTypedBX24<T> = Omit<T, keyof BX24TypedMembers> & BX24TypedMembers
