import { describe, expect, it } from 'vitest'
import { parseAppMessage } from '../../src/portal/frame/parse-message'

const SID = '9c33468728e1d2c8c97562475edfd96a'

describe('parent receive rules: parsing (spec §2.2)', () => {
  it('BX24-25 parses the 4-segment string of the real library', () => {
    expect(parseAppMessage(`getInitData::h3k9a0b1c2d3e4f5g6h7i8j9k0l1m2n3o:${SID}`)).toEqual({
      method: 'getInitData', params: [], callback: 'h3k9a0b1c2d3e4f5g6h7i8j9k0l1m2n3o', appSid: SID,
    })
    expect(parseAppMessage(`imCallTo:{"userId":5,"video":true}::${SID}`)).toEqual({ method: 'imCallTo', params: { userId: 5, video: true }, callback: '', appSid: SID })
  })

  it('BX24-25 parses the 3-segment string of b24jssdk with a UUID callback id', () => {
    const uuid = '0f8fad5b-d9cb-469f-a165-70867728950e'
    expect(parseAppMessage(`getInitData:${uuid}:${SID}`)).toEqual({ method: 'getInitData', params: [], callback: uuid, appSid: SID })
  })

  it('BX24-25 re-joins a params segment that contains colons', () => {
    const msg = parseAppMessage(`setTitle:{"title":"a:b::c","t":"12:30"}:cb1:${SID}`)
    expect(msg?.params).toEqual({ title: 'a:b::c', t: '12:30' })
    expect(msg?.callback).toBe('cb1')
  })

  it('BX24-25 parses the object form; empty params become []', () => {
    expect(parseAppMessage({ method: 'im:setTextareaContent', params: { text: 'hi' }, callback: 'c', appSid: SID })).toEqual({
      method: 'im:setTextareaContent', params: { text: 'hi' }, callback: 'c', appSid: SID,
    })
    expect(parseAppMessage({ method: 'x:y', params: '', callback: '', appSid: SID, requestId: 'r' })?.params).toEqual([])
  })

  it('hostile: malformed input is null (silently ignored), never a throw', () => {
    const bad: unknown[] = [
      null, undefined, 42, true, [], ['getInitData', '', 'cb', SID], 'getInitData', `getInitData:${SID}`, '',
      `:{}:cb:${SID}`, `setTitle:{bad json:cb:${SID}`, `setTitle:{"a":1:cb:${SID}`,
      { method: 5, appSid: SID }, { method: '', appSid: SID }, { method: 'x' }, { method: 'x', appSid: SID, callback: {} },
      new Uint8Array([1, 2]),
    ]
    for (const data of bad) expect(parseAppMessage(data), String(data)).toBeNull()
    expect(() => parseAppMessage('x:' + '['.repeat(100_000) + `:cb:${SID}`)).not.toThrow()
  })
})
