// What the pull client makes of a binary frame from a v4 server: a ResponseBatch whose `outgoingMessages`
// responses carry the messages. Decoded message by message so one bad message costs only itself.

import { setSender, toMessageBody } from './body'
import { bytesToHex } from './hex'
import { decodeOutgoingMessage, forEachField, type PbOutgoingMessage } from './protobuf-schema'
import { createReader, expectWireType, readSubMessage, WIRE_LENGTH, WireError, type WireReader } from './protobuf-wire'
import type { CodecIssue, DecodeResult, PullMessage, PullSender } from './types'

/**
 * Decodes a ResponseBatch to pull messages (PULL-35).
 *
 * - `mid` is the lower-case hex of the message id bytes (an empty id gives `null`, as Bitrix's `'' || null`).
 * - `extra.sender` is replaced by `{type, id}`, `id` the hex of the sender's id bytes: `''` when it has none, as
 *   Bitrix reads protobufjs's empty default. A message without a sender gets `{type: 0, id: ''}` (proto3's
 *   defaults); Bitrix would throw on it and lose the rest of the frame.
 * - Responses other than `outgoingMessages` (channel or server stats) are ignored; unknown fields are skipped.
 * - A message whose bytes or body cannot be read is reported and skipped; the others in the batch are kept. Bitrix
 *   decodes the whole batch in one go and loses everything after the first bad byte.
 */
export function decodeResponseBatch(bytes: Uint8Array): DecodeResult {
  const messages: PullMessage[] = []
  const issues: CodecIssue[] = []
  let index = 0
  const batch = createReader(bytes)
  try {
    forEachField(batch, (tag) => {
      if (tag.field !== 1) return false
      expectWireType(tag, WIRE_LENGTH, batch)
      const response = readSubMessage(batch)
      try {
        const found = readOutgoing(response, () => index++, issues)
        messages.push(...found)
      } catch (error) {
        // The Response's own length was sound, so the next Response can still be read.
        issues.push({ kind: 'bad-wire', message: `response skipped: ${describe(error)}` })
      }
      return true
    })
  } catch (error) {
    issues.push({ kind: 'bad-wire', message: `batch unreadable after ${messages.length} message(s): ${describe(error)}` })
  }
  return { messages, issues }
}

/** The messages of one Response, if its oneof ends up being `outgoingMessages` (protobuf: the last member wins). */
function readOutgoing(response: WireReader, nextIndex: () => number, issues: CodecIssue[]): PullMessage[] {
  let found: PullMessage[] = []
  forEachField(response, (tag) => {
    if (tag.field < 1 || tag.field > 3) return false
    expectWireType(tag, WIRE_LENGTH, response)
    const inner = readSubMessage(response)
    // Each oneof member replaces what came before it, so a later stats member discards earlier messages.
    found = []
    if (tag.field !== 1) return true
    forEachField(inner, (messageTag) => {
      if (messageTag.field !== 1) return false
      expectWireType(messageTag, WIRE_LENGTH, inner)
      const slice = readSubMessage(inner)
      const i = nextIndex()
      try {
        const message = toPullMessage(decodeOutgoingMessage(slice), i, issues)
        if (message) found.push(message)
      } catch (error) {
        issues.push({ kind: 'bad-wire', message: `message ${i}: ${describe(error)}`, index: i })
      }
      return true
    })
    return true
  })
  return found
}

function toPullMessage(message: PbOutgoingMessage, index: number, issues: CodecIssue[]): PullMessage | undefined {
  const mid = message.id.length > 0 ? bytesToHex(message.id) : null
  const at = mid ? { mid } : {}
  let parsed: unknown
  try {
    parsed = JSON.parse(message.body)
  } catch {
    issues.push({ kind: 'bad-json', message: `message ${index}: body is not JSON (${message.body.length} chars)`, index, ...at })
    return undefined
  }
  const text = toMessageBody(parsed)
  if (typeof text === 'string') {
    issues.push({ kind: 'bad-shape', message: `message ${index}: ${text}`, index, ...at })
    return undefined
  }
  const id = message.sender?.id
  const sender: PullSender = { type: message.sender?.type ?? 0, id: id ? bytesToHex(id) : '' }
  // In place, as Bitrix does (`extra.sender = {...}`): `text` is this message's own parsed JSON.
  setSender(text, sender)
  return { mid, text }
}

function describe(error: unknown): string {
  return error instanceof WireError ? error.message : `unexpected ${String(error)}`
}
