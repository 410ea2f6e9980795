// Bitrix's own protobuf model (protobufjs, generated from the v4 schema), as shipped in @bitrix24/b24jssdk. Tests use
// it as an independent oracle: what our encoder writes, theirs must read, and the other way round.
import { resolve } from 'node:path'

// protobufjs objects are dynamic; this is the only place tests see them untyped.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type OracleObject = Record<string, any>

export interface OracleType {
  create(properties: OracleObject): OracleObject
  encode(message: OracleObject): { finish(): Uint8Array }
  decode(bytes: Uint8Array): OracleObject
}

export async function loadBitrixModel(): Promise<Record<string, OracleType>> {
  const path = resolve(__dirname, '../../../node_modules/@bitrix24/b24jssdk/dist/esm/pullClient/protobuf/model.mjs')
  const mod = (await import(/* @vite-ignore */ path)) as { $root: Record<string, OracleType> }
  return mod.$root
}
