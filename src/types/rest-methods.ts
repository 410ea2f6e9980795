// The REST method map: params and `result` of the common methods, so `BX24.callMethod('crm.deal.get', {id: 1})`
// knows its params and what `data()` returns. Every other method name falls back to loose params and `unknown`.
// Augment RestMethods to describe your own (or any other) methods. Types only.

import type { PullConfig } from '../pull/client/types'
import type {
  CrmEntityRecords, CrmFields, CrmItem, CrmListRow, CrmStatus, RestAppInfo, RestDepartment, RestEntity, RestEntityItem,
  RestEventBinding, RestPlacementBinding, RestProfile, RestUser, Task,
} from './rest-records'

/** Params of a method outside the map: anything BX24 can encode. */
export type RestParams = Record<string, unknown> | readonly unknown[] | null

/** `order` of list methods: field → direction (Bitrix accepts either case). */
export type RestOrder = Record<string, 'ASC' | 'DESC' | 'asc' | 'desc'>

/**
 * A list filter: field names with an optional operator prefix (`>OPPORTUNITY`, `%TITLE`, `@ID`, `!STAGE_ID`, ...);
 * a list value means "any of".
 */
export type RestFilter = Record<string, unknown>

/** Paging: 50 rows a page; `start: -1` skips counting `total`. */
export interface RestPaging {
  start?: number
}

/** `crm.<type>.list`: lower- or upper-case keys, as the CRM handlers accept both. */
export interface CrmListParams extends RestPaging {
  select?: readonly string[]
  filter?: RestFilter
  order?: RestOrder
  SELECT?: readonly string[]
  FILTER?: RestFilter
  ORDER?: RestOrder
}

export type CrmGetParams = { id: number | string } | { ID: number | string }

/**
 * `crm.<type>.add`: field values as the app writes them. Looser than what reads return (numbers where reads give
 * strings, multi-fields without ids), so they are not checked here.
 */
export interface CrmAddParams {
  fields: Record<string, unknown>
  params?: { REGISTER_SONET_EVENT?: RestFlagParam; [key: string]: unknown }
}

export interface CrmUpdateParams extends CrmAddParams {
  id: number | string
}

type RestFlagParam = 'Y' | 'N'

/** Methods without params of their own. */
type NoParams = Record<string, unknown> | undefined

/** One method: what it takes and what `data()` gives. */
export interface RestMethodSpec<P = RestParams, R = unknown> {
  params: P
  result: R
}

type CrmType = keyof CrmEntityRecords

/** `crm.<type>.list/get/fields/add/update/delete` for the classic types. */
export type CrmMethods = {
  [T in CrmType as `crm.${T}.list`]: RestMethodSpec<CrmListParams | undefined, CrmListRow<CrmEntityRecords[T]>[]>
} & {
  [T in CrmType as `crm.${T}.get`]: RestMethodSpec<CrmGetParams, CrmEntityRecords[T]>
} & {
  [T in CrmType as `crm.${T}.fields`]: RestMethodSpec<NoParams, CrmFields>
} & {
  [T in CrmType as `crm.${T}.add`]: RestMethodSpec<CrmAddParams, number>
} & {
  [T in CrmType as `crm.${T}.update`]: RestMethodSpec<CrmUpdateParams, boolean>
} & {
  [T in CrmType as `crm.${T}.delete`]: RestMethodSpec<CrmGetParams, boolean>
}

interface CrmItemListParams extends RestPaging {
  entityTypeId: number
  select?: readonly string[]
  filter?: RestFilter
  order?: RestOrder
  useOriginalUfNames?: RestFlagParam
}

interface TaskListParams extends RestPaging {
  order?: RestOrder
  filter?: RestFilter
  select?: readonly string[]
  params?: Record<string, unknown>
}

interface EntityItemGetParams extends RestPaging {
  ENTITY: string
  SORT?: RestOrder
  FILTER?: RestFilter
}

interface EntityItemFields {
  ENTITY: string
  NAME?: string
  ACTIVE?: RestFlagParam
  SORT?: number
  CODE?: string
  SECTION?: number | string
  DATE_ACTIVE_FROM?: string
  DATE_ACTIVE_TO?: string
  PREVIEW_TEXT?: string
  DETAIL_TEXT?: string
  PROPERTY_VALUES?: Record<string, unknown>
}

interface PlacementBindParams {
  PLACEMENT: string
  HANDLER: string
  TITLE?: string
  DESCRIPTION?: string
  GROUP_NAME?: string
  OPTIONS?: Record<string, unknown>
  LANG_ALL?: Record<string, { TITLE?: string; DESCRIPTION?: string; GROUP_NAME?: string }>
  USER_ID?: number
}

interface EventBindParams {
  event: string
  handler: string
  /** The user the handler runs as; 0 (default) is the user who triggered the event. */
  auth_type?: number | string
  event_type?: 'online' | 'offline'
  auth_connector?: string
  options?: Record<string, unknown>
}

interface PullEventAddParams {
  COMMAND: string
  PARAMS?: Record<string, unknown>
  /** Default `'application'`; `[a-z0-9._]`. */
  MODULE_ID?: string
  /** One user or several; without it, everyone on the app's shared channel. */
  USER_ID?: number | readonly number[]
}

/**
 * Known REST methods. Keys are the lower-case names apps call (`callMethod` names are case-insensitive on the server;
 * other spellings get the untyped fallback).
 * @example
 * // Describe a method of your own (or one this map lacks):
 * declare module 'bx24-shim' {
 *   interface RestMethods {
 *     'crm.timeline.comment.add': { params: { fields: { ENTITY_ID: number; ENTITY_TYPE: string; COMMENT: string } }; result: number }
 *   }
 * }
 */
export interface RestMethods extends CrmMethods {
  // users
  'user.current': RestMethodSpec<NoParams, RestUser>
  /** Any user field given at the top level filters too (`{UF_DEPARTMENT: 1}`). */
  'user.get': RestMethodSpec<(RestPaging & { sort?: string; order?: 'ASC' | 'DESC' | 'asc' | 'desc'; FILTER?: RestFilter; ADMIN_MODE?: boolean; select?: readonly string[]; IMAGE_RESIZE?: 'small' | 'medium' | 'large' }) | undefined, RestUser[]>
  'user.admin': RestMethodSpec<NoParams, boolean>
  'user.access': RestMethodSpec<{ ACCESS: string | readonly string[] }, boolean>
  'user.fields': RestMethodSpec<NoParams, Record<string, string>>
  profile: RestMethodSpec<NoParams, RestProfile>
  'department.get': RestMethodSpec<(RestPaging & { sort?: string; order?: 'ASC' | 'DESC'; ID?: number | string; NAME?: string; PARENT?: number | string; UF_HEAD?: number | string }) | undefined, RestDepartment[]>

  // the application
  'app.info': RestMethodSpec<NoParams, RestAppInfo>
  /** All options as an object, or one value when `option` is given. */
  'app.option.get': RestMethodSpec<{ option?: string } | undefined, unknown>
  'app.option.set': RestMethodSpec<{ options: Record<string, unknown> }, boolean>
  'user.option.get': RestMethodSpec<{ option?: string } | undefined, unknown>
  'user.option.set': RestMethodSpec<{ options: Record<string, unknown> }, boolean>
  scope: RestMethodSpec<{ full?: boolean } | undefined, string[]>
  'server.time': RestMethodSpec<NoParams, string>

  // CRM beyond the classic types
  'crm.item.list': RestMethodSpec<CrmItemListParams, { items: CrmItem[] }>
  'crm.item.get': RestMethodSpec<{ entityTypeId: number; id: number; useOriginalUfNames?: RestFlagParam }, { item: CrmItem }>
  'crm.item.fields': RestMethodSpec<{ entityTypeId: number; useOriginalUfNames?: RestFlagParam }, { fields: CrmFields }>
  'crm.status.list': RestMethodSpec<{ order?: RestOrder; filter?: RestFilter } | undefined, CrmStatus[]>

  // tasks
  'tasks.task.list': RestMethodSpec<TaskListParams | undefined, { tasks: Task[] }>
  'tasks.task.get': RestMethodSpec<{ taskId: number | string; select?: readonly string[] }, { task: Task }>
  'tasks.task.add': RestMethodSpec<{ fields: Record<string, unknown> & { TITLE: string; RESPONSIBLE_ID: number | string } }, { task: Task }>
  'tasks.task.update': RestMethodSpec<{ taskId: number | string; fields: Record<string, unknown> }, { task: Task }>
  'tasks.task.getFields': RestMethodSpec<NoParams, { fields: Record<string, { title: string; type: string; primary?: boolean; default?: unknown; required?: boolean; values?: Record<string, string> }> }>

  // app storage
  'entity.add': RestMethodSpec<{ ENTITY: string; NAME: string; ACCESS?: Record<string, 'R' | 'W' | 'X'> }, boolean>
  /** One storage with `ENTITY`, all of the app's storages without. */
  'entity.get': RestMethodSpec<{ ENTITY?: string } | undefined, RestEntity | RestEntity[]>
  'entity.delete': RestMethodSpec<{ ENTITY: string }, boolean>
  'entity.item.get': RestMethodSpec<EntityItemGetParams, RestEntityItem[]>
  'entity.item.add': RestMethodSpec<EntityItemFields, number>
  'entity.item.update': RestMethodSpec<EntityItemFields & { ID: number | string }, boolean>
  'entity.item.delete': RestMethodSpec<{ ENTITY: string; ID: number | string }, boolean>

  // placements
  'placement.list': RestMethodSpec<NoParams, string[]>
  'placement.get': RestMethodSpec<NoParams, RestPlacementBinding[]>
  'placement.bind': RestMethodSpec<PlacementBindParams, boolean>
  'placement.unbind': RestMethodSpec<{ PLACEMENT: string; HANDLER?: string; USER_ID?: number }, { count: number }>

  // events
  'event.bind': RestMethodSpec<EventBindParams, boolean>
  'event.unbind': RestMethodSpec<{ event: string; handler?: string; auth_type?: number | string; event_type?: 'online' | 'offline' }, { count: number }>
  'event.get': RestMethodSpec<NoParams, RestEventBinding[]>
  events: RestMethodSpec<{ SCOPE?: string; FULL?: boolean } | undefined, string[]>

  // push & pull
  'pull.application.config.get': RestMethodSpec<{ CACHE?: RestFlagParam; REOPEN?: RestFlagParam } | undefined, PullConfig>
  'pull.application.event.add': RestMethodSpec<PullEventAddParams, boolean>
  'pull.application.push.add': RestMethodSpec<{ USER_ID: number; TEXT: string; AVATAR?: string }, boolean>
}

/** Names in {@link RestMethods}. */
export type KnownRestMethod = keyof RestMethods & string

/**
 * Params the server ignores are allowed (Bitrix's methods take many undocumented ones), so a known method's params
 * are checked for the keys it needs and the types of the keys it knows.
 */
type OpenParams<P> = P extends undefined ? undefined : P & { [key: string]: unknown }

/** What a known method takes. */
export type RestMethodParams<M extends KnownRestMethod> = RestMethods[M] extends { params: infer P } ? OpenParams<P> : RestParams

/** What `data()` returns for a method: its map entry, or `unknown`. */
export type RestMethodResult<M extends string> = M extends KnownRestMethod
  ? RestMethods[M] extends { result: infer R } ? R : unknown
  : unknown

/** `[params?]` when a method's params may be left out, else `[params]`. */
export type RestParamsArgs<M extends KnownRestMethod> = undefined extends RestMethodParams<M>
  ? [params?: RestMethodParams<M>]
  : [params: RestMethodParams<M>]

/** A method name the map does not know (the untyped fallback); a known name makes this `never`. */
export type UnknownRestMethod<M extends string> = M extends KnownRestMethod ? never : M
