// The one message shape every pull codec decodes to, whatever the wire (text frames, protobuf, JSON-RPC), and the
// issue list codecs return instead of logging: codecs stay pure, and the caller decides how and where to log.

/** `extra.sender` as the server reports it. `type` follows protobuf `SenderType`: 0 unknown, 1 client, 2 backend. */
export interface PullSender {
  type: number
  /** Lower-case hex of the sender's channel id bytes (protobuf) or the id the JSON-RPC server sent. */
  id?: string
}

/** The keys Bitrix's PHP producer (`\Bitrix\Pull\Event::add`) adds to `extra`, plus `sender` set by the client. */
export interface PullExtra {
  server_time?: string
  server_time_unix?: number
  server_name?: string
  revision_web?: number
  revision_mobile?: number
  sender?: PullSender
  [key: string]: unknown
}

/** The published body: what `onPullEvent-<module_id>` handlers finally see as `(command, params, extra)`. */
export interface PullMessageBody {
  /** As sent; lower-casing is the dispatcher's job (PULL-25), so codecs keep the wire value. */
  module_id: string
  /** A string from every real producer; passed on as sent, whatever it is (Bitrix does not check it). */
  command: string
  /**
   * Usually an object. Passed on exactly as published, as Bitrix does: a string, a number, an array (a PHP list),
   * `null`, or missing are delivered too.
   */
  params: Record<string, unknown>
  /** `{}` when the body had none (or a falsy one), as in Bitrix; otherwise as sent. */
  extra: PullExtra
  [key: string]: unknown
}

export interface PullMessage {
  /**
   * Text: 26 decimal digits; protobuf: lower-case hex of the id bytes; JSON-RPC: as sent. `null` only for a text
   * frame without a `mid` (nginx push-stream era servers): Bitrix then skips its dedupe and sets `session.mid = null`.
   */
  mid: string | null
  /** Text frames only: the counter part of `mid` as a number. */
  id?: number
  /** Text frames only: the publish request's first channel (not necessarily the subscriber's). */
  channel?: string
  /** Text frames only: echoed back as `tag`/`time` query parameters on the next connect (PULL-34). */
  tag?: string
  time?: string
  text: PullMessageBody
}

export type CodecIssueKind =
  | 'no-frames' // a text payload without a single `#!NGINXNMS!#…#!NGINXNME!#` frame: the client clears session.mid (PULL-33)
  | 'bad-json' // a frame or body that is not JSON
  | 'bad-shape' // JSON, but not the expected structure
  | 'bad-wire' // protobuf bytes that cannot be read (truncated, wrong wire type, length past the end)
  | 'unknown-method' // JSON-RPC request for a method the client does not handle
  | 'unknown-response' // JSON-RPC response, or something else that is neither request nor response
  | 'too-large' // a frame over the client's size cap (MAX_FRAME_LENGTH), skipped unread

/** Something a codec skipped. Never carries the raw payload: frames can hold channel signatures (redacted logs). */
export interface CodecIssue {
  kind: CodecIssueKind
  message: string
  /** Position of the offending frame / message within the payload, when there is one. */
  index?: number
  /** The mid of a message whose envelope was readable but whose body was not (the session still moves to it). */
  mid?: string
}

export interface DecodeResult {
  messages: PullMessage[]
  issues: CodecIssue[]
}

/** Narrowing for JSON values without `any`. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

/**
 * The v4 binary codec, kept apart so a client without it carries none of its weight: text frames and JSON-RPC are
 * always built in, protobuf is plugged in (PullClient's `protobuf` option or the static `PullClient.protobuf`).
 */
export interface ProtobufCodec {
  /** A ResponseBatch frame to messages (PULL-35). */
  decode(bytes: Uint8Array): DecodeResult
  /** Client publishes as a RequestBatch (PULL-48); `channels` as sendMessageToChannels takes them. */
  encodePublish(publishes: { channels: (string | { publicId: string; signature: string })[]; body: unknown; expiry?: number }[]): Uint8Array
}
