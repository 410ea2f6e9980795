// The demo portal page's visible side of the UI commands (the frame host decides whether to answer; this does what a
// person sees): the app frame resizes, the title changes, pickers and sliders open, notices appear.

import type { FrameUi } from '../portal/frame/ui'

export interface PortalUiElements {
  /** The current app frame (a new element every time the app is opened). */
  frame(): HTMLIFrameElement
  title: HTMLElement
  modal: HTMLDialogElement
  slider: HTMLElement
  toasts: HTMLElement
}

export interface PortalUiContext {
  users(): { id: number; name: string; position: string }[]
  log(title: string, detail?: unknown): void
}

export function createPortalUi(el: PortalUiElements, ctx: PortalUiContext): FrameUi & { closeSlider(): void } {
  let closeCurrentSlider: (() => void) | null = null
  let sliderIsApp = false

  function toast(text: string): void {
    const item = document.createElement('div')
    item.className = 'toast'
    item.textContent = text
    el.toasts.append(item)
    setTimeout(() => item.remove(), 4000)
  }

  function openSlider(heading: string, body: string, isApp: boolean): Promise<void> {
    closeCurrentSlider?.()
    return new Promise((resolve) => {
      el.slider.replaceChildren()
      const bar = document.createElement('div')
      bar.className = 'slider-bar'
      const h = document.createElement('h2')
      h.textContent = heading
      const close = document.createElement('button')
      close.className = 'secondary'
      close.id = 'slider-close'
      close.textContent = 'Close'
      bar.append(h, close)
      const text = document.createElement('p')
      text.textContent = body
      el.slider.append(bar, text)
      el.slider.hidden = false
      sliderIsApp = isApp
      closeCurrentSlider = () => {
        el.slider.hidden = true
        closeCurrentSlider = null
        resolve()
      }
      close.addEventListener('click', () => closeCurrentSlider?.())
    })
  }

  function pickUsers(multiple: boolean, heading: string): Promise<number[] | null> {
    return new Promise((resolve) => {
      el.modal.replaceChildren()
      const form = document.createElement('form')
      form.method = 'dialog'
      const h = document.createElement('h2')
      h.textContent = heading || (multiple ? 'Select users' : 'Select a user')
      const list = document.createElement('div')
      list.className = 'picker'
      for (const user of ctx.users()) {
        const label = document.createElement('label')
        const input = document.createElement('input')
        input.type = multiple ? 'checkbox' : 'radio'
        input.name = 'user'
        input.value = String(user.id)
        const name = document.createElement('span')
        name.textContent = user.name
        const position = document.createElement('small')
        position.textContent = user.position
        label.append(input, name, position)
        list.append(label)
      }
      const actions = document.createElement('div')
      actions.className = 'actions'
      const ok = document.createElement('button')
      ok.value = 'ok'
      ok.id = 'picker-ok'
      ok.textContent = 'Select'
      const cancel = document.createElement('button')
      cancel.value = 'cancel'
      cancel.className = 'secondary'
      cancel.textContent = 'Cancel'
      actions.append(ok, cancel)
      form.append(h, list, actions)
      el.modal.append(form)
      el.modal.addEventListener(
        'close',
        () => {
          if (el.modal.returnValue !== 'ok') return resolve(null)
          const ids = [...list.querySelectorAll<HTMLInputElement>('input:checked')].map((i) => Number(i.value))
          resolve(ids.length ? ids : null)
        },
        { once: true },
      )
      el.modal.returnValue = ''
      el.modal.showModal()
    })
  }

  return {
    resizeWindow({ width, height }) {
      const frame = el.frame()
      frame.style.width = width === '100%' ? '100%' : `${width}px`
      if (height > 0) frame.style.height = `${height}px`
      ctx.log('resizeWindow', { width, height })
      return { width: frame.clientWidth, height: frame.clientHeight }
    },
    setTitle(title) {
      el.title.textContent = title
      document.title = `${title} · bx24-shim dev portal`
    },
    scrollParentWindow: (y) => window.scrollTo(0, y),
    reloadWindow() {
      const frame = el.frame()
      frame.src = frame.src
    },
    selectUsers: ({ multiple, title }) => pickUsers(multiple, title),
    async selectAccess() {
      const ids = await pickUsers(true, 'Select access')
      return ids ? ids.map((id) => ({ id: `U${id}`, name: ctx.users().find((u) => u.id === id)?.name ?? '', provider: 'user' })) : null
    },
    openApplication: ({ params }) => openSlider('Application slider', `openApplication(${JSON.stringify(params)})`, true),
    async closeApplication() {
      if (!sliderIsApp || !closeCurrentSlider) return false
      closeCurrentSlider()
      return true
    },
    openPath: (url) => openSlider(url, `The portal would open ${url} here.`, false),
    imCallTo: (userId, video) => toast(`${video ? 'Video' : 'Audio'} call to user ${userId}`),
    imPhoneTo: (phone) => toast(`Calling ${phone}`),
    imOpenMessenger: (dialogId) => toast(`Messenger opened: ${dialogId}`),
    imOpenHistory: (dialogId) => toast(`History opened: ${dialogId}`),
    installFinish: ({ installed }) => toast(installed ? 'Installation finished' : 'Installation cancelled'),
    alert: (message) => toast(message),
    closeSlider: () => closeCurrentSlider?.(),
  }
}
