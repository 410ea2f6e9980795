// Outgoing JSON-RPC calls (v5, B.9): ids, the pending-call table, and the per-call timeout (5 s by default).

import { createRpcRequest, encodeRpcRequests, type RpcClientMethods, type RpcResponse } from '../codecs/json-rpc'
import type { Clock, LoggerLike, TimerId } from './types'

export class ErrorNotConnected extends Error {
  constructor(message = 'websocket is not connected') {
    super(message)
    this.name = 'ErrorNotConnected'
  }
}

export class ErrorTimeout extends Error {
  constructor(message = 'no response') {
    super(message)
    this.name = 'ErrorTimeout'
  }
}

interface Pending {
  resolve(value: unknown): void
  reject(reason: unknown): void
  timer: TimerId
}

export class RpcCaller {
  private nextId = 0
  private readonly pending = new Map<string, Pending>()

  constructor(
    private readonly send: (frame: string) => boolean,
    private readonly clock: Clock,
    private readonly logger: LoggerLike,
  ) {}

  call<M extends keyof RpcClientMethods>(method: M, params: RpcClientMethods[M], timeoutSec = 5): Promise<unknown> {
    const id = ++this.nextId
    const request = createRpcRequest(method, params, id)
    return new Promise((resolve, reject) => {
      // b24jssdk rejects here but still arms the timer; nothing can answer an unsent request, so we stop at once.
      if (!this.send(encodeRpcRequests(request))) {
        reject(new ErrorNotConnected())
        return
      }
      const timer = this.clock.setTimeout(() => {
        this.pending.delete(String(id))
        reject(new ErrorTimeout())
      }, timeoutSec * 1000)
      this.pending.set(String(id), { resolve, reject, timer })
    })
  }

  /** Settles the call the response answers; an answer to nobody is logged (a late reply after a timeout). */
  handleResponse(response: RpcResponse): void {
    const key = response.id === null ? '' : String(response.id)
    const pending = this.pending.get(key)
    if (!pending) {
      this.logger.warn('Pull: received an rpc response with an unknown id')
      return
    }
    this.pending.delete(key)
    this.clock.clearTimeout(pending.timer)
    if ('result' in response) pending.resolve(response.result)
    else pending.reject(response.error ?? 'error')
  }

  /** On teardown: nothing may stay pending forever. */
  rejectAll(reason: unknown): void {
    for (const [key, pending] of this.pending) {
      this.clock.clearTimeout(pending.timer)
      this.pending.delete(key)
      pending.reject(reason)
    }
  }
}
