// The long-polling side of /bitrix/sub/ and /bitrix/subws/ (PULL-51): resume after `mid` at once, otherwise hold
// the request; the first message published meanwhile ends it with 200, the end of the hold with the magic 304.

import type { ServerResponse } from 'node:http'
import type { Hub, Subscriber } from './hub'
import { sendDelivery, sendNotModified } from './http-replies'
import type { MessageStore, StoredMessage } from './message-store'
import { renderMessages, type WireMode } from './render'
import type { DeliverySettings } from './ws-subscriber'

export interface LongPollingContext {
  hub: Hub
  store: MessageStore
  settings: DeliverySettings
  /** 1.x: about 40 s. */
  holdMs: number
  isValidMid(mid: string): boolean
}

export interface LongPollingRequest {
  channels: string[]
  publicIds: string[]
  mode: WireMode
  /** The client's `mid` query parameter, if any. */
  mid: string | null
  /** The allowed page origin that asked, named in the CORS header; undefined for a non-browser client. */
  origin?: string | undefined
}

export function handleLongPolling(res: ServerResponse, poll: LongPollingRequest, ctx: LongPollingContext): void {
  const render = (messages: StoredMessage[]): string | Uint8Array => renderMessages(poll.mode, messages)
  // A mid of the wrong shape is ignored, as if none was sent (captured: mid=123).
  const mid = poll.mid !== null && ctx.isValidMid(poll.mid) ? poll.mid : null
  if (mid !== null) {
    const missed = ctx.store.after(poll.channels, mid)
    if (missed.length > 0) {
      sendDelivery(res, render(missed), poll.origin)
      return
    }
  }

  let done = false
  let deliveryTimer: ReturnType<typeof setTimeout> | undefined
  const finish = (): void => {
    done = true
    clearTimeout(holdTimer)
    if (deliveryTimer) clearTimeout(deliveryTimer)
    ctx.hub.remove(subscriber)
  }
  const subscriber: Subscriber = {
    kind: 'long-polling',
    mode: poll.mode,
    channels: poll.channels,
    publicIds: poll.publicIds,
    // 1.x answers with the first message only; later ones wait for the next request with `mid` (captured).
    deliver(message) {
      if (done || deliveryTimer) return
      deliveryTimer = setTimeout(() => {
        finish()
        sendDelivery(res, render([message]), poll.origin)
      }, ctx.settings.delayMs)
    },
    deliverAndDrop(message) {
      if (done) return
      finish()
      sendDelivery(res, render([message]), poll.origin)
    },
    sendRaw(data) {
      if (done) return
      finish()
      sendDelivery(res, data, poll.origin)
    },
    drop() {
      if (done) return
      finish()
      res.destroy()
    },
  }
  const holdTimer = setTimeout(() => {
    if (done) return
    finish()
    // Last-Message-Id: the client's own mid when it sent a valid one, else the newest stored, else empty (captured).
    sendNotModified(res, mid ?? ctx.store.newestMid(poll.channels), poll.origin)
  }, ctx.holdMs)
  holdTimer.unref?.()
  // The response's close, not the request's: a GET request "closes" as soon as its (empty) body has been read.
  res.on('close', () => {
    if (!done) finish()
  })
  ctx.hub.add(subscriber)
}
