// The public types of the event maps, the REST method map and BX24's typed members (types only).
export type * from './pull-events'
export type * from './rest-records'
export type * from './rest-methods'
export type * from './bx24-api'
export type * from './globals'
