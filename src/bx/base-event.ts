import { isArrayLike, isStringFilled } from './type-checks'

export interface BaseEventOptions {
  data?: unknown
  compatData?: ArrayLike<unknown>
}

/** `BX.Event.BaseEvent`: what `EventEmitter` listeners receive. Same fields and methods as Bitrix's main.core. */
export class BaseEvent {
  type = ''
  data: unknown = null
  target: unknown = null
  compatData: ArrayLike<unknown> | null = null
  defaultPrevented = false
  immediatePropagationStopped = false
  errors: unknown[] = []

  /** @example new BX.Event.BaseEvent({ data: { id: 1 } }) */
  constructor(options: BaseEventOptions = { data: {} }) {
    this.setData(options.data)
    this.setCompatData(options.compatData)
  }

  static create(options?: BaseEventOptions): BaseEvent {
    return new this(options)
  }

  /** The resolved, lower-cased event name (`namespace:name` for namespaced emitters). */
  getType(): string {
    return this.type
  }

  setType(type: string): this {
    if (isStringFilled(type)) this.type = type
    return this
  }

  getData(): any {
    return this.data
  }

  /** `undefined` is ignored, as in Bitrix. */
  setData(data: unknown): this {
    if (data !== undefined) this.data = data
    return this
  }

  /** The positional arguments `BX.addCustomEvent` handlers get, or null. */
  getCompatData(): ArrayLike<unknown> | null {
    return this.compatData
  }

  /** Only array-likes are accepted. */
  setCompatData(data: unknown): this {
    if (isArrayLike(data)) this.compatData = data
    return this
  }

  setTarget(target: unknown): this {
    this.target = target
    return this
  }

  getTarget(): any {
    return this.target
  }

  getErrors(): unknown[] {
    return this.errors
  }

  /** Bitrix accepts only its own `BaseError`; the shim accepts any object with a message (an Error, a BaseError). */
  setError(error: unknown): void {
    if (error !== null && typeof error === 'object') this.errors.push(error)
  }

  preventDefault(): void {
    this.defaultPrevented = true
  }

  isDefaultPrevented(): boolean {
    return this.defaultPrevented
  }

  /** Later listeners of the current dispatch are not called. */
  stopImmediatePropagation(): void {
    this.immediatePropagationStopped = true
  }

  isImmediatePropagationStopped(): boolean {
    return this.immediatePropagationStopped
  }
}
