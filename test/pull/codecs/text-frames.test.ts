import { describe, expect, it } from 'vitest'
import { decodeTextFrames, encodeTextFrame } from '../../../src/pull/codecs/text-frames'
import { captures, rawFrames, wellFormedPayloads } from './fixtures'

const ws = captures.websocket

function frame(json: string): string {
  return `#!NGINXNMS!#${json}#!NGINXNME!#`
}

const goodJson = (mid: string, n: number): string =>
  `{"id":${n},"mid":"${mid}","channel":"c","tag":"001","time":"t","text":{"module_id":"im","command":"message","params":{"n":${n}},"extra":{}}}`

describe('decodeTextFrames on the push-server 1.x captures', () => {
  it.each(wellFormedPayloads)('%s decodes every frame to its envelope and body', (_name, payload) => {
    const { messages, issues } = decodeTextFrames(payload)
    const raw = rawFrames(payload).map((json) => JSON.parse(json) as Record<string, unknown>)
    expect(issues).toEqual([])
    expect(raw.length).toBeGreaterThan(0)
    expect(messages).toHaveLength(raw.length)
    messages.forEach((message, i) => {
      const expected = raw[i]!
      expect(message).toEqual({
        mid: expected.mid,
        id: expected.id,
        channel: expected.channel,
        tag: expected.tag,
        time: expected.time,
        text: { extra: {}, ...(expected.text as object) },
      })
      // The 1.x mid: 10 digits of unix time, then the 16-digit counter that is also `id`.
      expect(message.mid).toMatch(/^\d{26}$/)
      expect(Number.parseInt(message.mid!.slice(10), 10)).toBe(message.id)
      expect(message.tag).toMatch(/^\d{3}$/)
      expect(new Date(message.time!).toUTCString()).toBe(message.time)
    })
  })

  it('websocket.frame equals the capture\'s own frameParsed', () => {
    const { messages } = decodeTextFrames(ws.frame)
    expect(messages).toEqual([ws.frameParsed])
  })

  it('a reconnect with mid delivers all missed messages from one frame, in order', () => {
    const catchUp = ws.catchUpWithMid.messages[0]!
    expect(decodeTextFrames(catchUp.data).messages.map((m) => m.mid)).toEqual(catchUp.frames)
  })

  it('two messages batched into one WebSocket frame decode as two', () => {
    const batched = ws.batchingThreeQuickPublishes[1]!
    expect(decodeTextFrames(batched.data).messages.map((m) => m.text.params.n)).toEqual([12, 13])
  })

  it('a non-JSON published body (spliced verbatim) is reported as bad JSON, not thrown', () => {
    const { messages, issues } = decodeTextFrames(ws.verbatimBodies.frames[0]!)
    expect(messages).toEqual([])
    expect(issues).toEqual([{ kind: 'bad-json', message: expect.stringContaining('frame 0'), index: 0 }])
  })

  it('a JSON string body is reported with its mid, so the session can still move on', () => {
    const { messages, issues } = decodeTextFrames(ws.verbatimBodies.frames[1]!)
    expect(messages).toEqual([])
    expect(issues).toMatchObject([{ kind: 'bad-shape', mid: '17954246100000000000000010' }])
  })

  it('replacement patterns and non-ASCII in a body survive', () => {
    expect(decodeTextFrames(ws.verbatimBodies.frames[2]!).messages[0]!.text.params).toEqual({ s: 'привет ✓ $& $1' })
  })
})

describe('fixture coverage', () => {
  it('every string in captures.json that holds a frame is among the payloads tested above', () => {
    const found: string[] = []
    const walk = (value: unknown): void => {
      if (typeof value === 'string') {
        if (value.includes('#!NGINXNMS!#')) found.push(value)
      } else if (value && typeof value === 'object') Object.values(value).forEach(walk)
    }
    walk(captures)
    const tested = new Set([...wellFormedPayloads.map(([, payload]) => payload), ws.verbatimBodies.frames[0]!, ws.verbatimBodies.frames[1]!])
    expect(found.length).toBe(17)
    expect(found.filter((payload) => !tested.has(payload))).toEqual([])
  })
})

describe('decodeTextFrames on hostile payloads', () => {
  it('PULL-33: several frames in one payload, malformed JSON in the middle skipped, the rest decoded', () => {
    const payload = frame(goodJson('1'.padStart(26, '0'), 1)) + frame('{"mid":"x",') + frame(goodJson('2'.padStart(26, '0'), 2))
    const { messages, issues } = decodeTextFrames(payload)
    expect(messages.map((m) => m.text.params.n)).toEqual([1, 2])
    expect(issues).toMatchObject([{ kind: 'bad-json', index: 1 }])
  })

  it.each([
    ['an empty payload', ''],
    ['plain text', 'hello'],
    ['an unterminated frame', '#!NGINXNMS!#{"mid":"1"}'],
    ['binary garbage', '\u0000\u0001\uFFFD\u0002'],
  ])('PULL-33: %s has no frames and is reported as no-frames (the client clears session.mid)', (_name, payload) => {
    expect(decodeTextFrames(payload)).toEqual({ messages: [], issues: [{ kind: 'no-frames', message: expect.any(String) }] })
  })

  it('an empty frame is skipped silently, as Bitrix does, and is not "no frames"', () => {
    expect(decodeTextFrames('#!NGINXNMS!##!NGINXNME!#')).toEqual({ messages: [], issues: [] })
  })

  it('text between frames is ignored', () => {
    const { messages } = decodeTextFrames('junk' + frame(goodJson('3'.padStart(26, '0'), 3)) + '\n')
    expect(messages).toHaveLength(1)
  })

  it('a frame whose spliced body contains line breaks still decodes', () => {
    const pretty = '{"mid":"1","text":{\n  "module_id": "im",\n  "command": "x"\n}}'
    expect(decodeTextFrames(frame(pretty)).messages).toEqual([{ mid: '1', text: { module_id: 'im', command: 'x', extra: {} } }])
  })

  it.each([
    ['an array envelope', '[1,2]', 'envelope is not an object'],
    ['a body that is a string', '{"mid":"1","text":"im"}', 'body is not an object'],
    ['a body without module_id', '{"mid":"1","text":{"command":"x"}}', 'module_id'],
    ['a numeric module_id', '{"mid":"1","text":{"module_id":7,"command":"x"}}', 'module_id'],
  ])('%s (Bitrix throws on module_id.toLowerCase()) is reported as bad-shape and the next frame still arrives', (_name, json, reason) => {
    const { messages, issues } = decodeTextFrames(frame(json) + frame(goodJson('4'.padStart(26, '0'), 4)))
    expect(issues).toMatchObject([{ kind: 'bad-shape', index: 0, message: expect.stringContaining(reason) }])
    expect(messages.map((m) => m.id)).toEqual([4])
  })

  it.each([
    ['params that are a string', '"p"', 'p'],
    ['params that are a number', '5', 5],
    ['params that are a PHP list', '[1,{"a":2}]', [1, { a: 2 }]],
    ['params that are an empty PHP array', '[]', []],
    ['params that are null', 'null', null],
  ])('PULL-61 %s are passed on as published, as Bitrix does', (_name, params, expected) => {
    const { messages, issues } = decodeTextFrames(frame(`{"mid":"1","text":{"module_id":"im","command":"x","params":${params}}}`))
    expect(issues).toEqual([])
    expect(messages[0]!.text.params).toEqual(expected)
  })

  it('PULL-61 missing params stay missing, a body without command is still a message, a numeric mid is kept as its digits', () => {
    const { messages, issues } = decodeTextFrames(frame('{"mid":12,"text":{"module_id":"im"}}') + frame('{"mid":"2","text":{"module_id":"im","command":"y"}}'))
    expect(issues).toEqual([])
    expect(messages).toEqual([{ mid: '12', text: { module_id: 'im', extra: {} } }, { mid: '2', text: { module_id: 'im', command: 'y', extra: {} } }])
    expect('params' in messages[1]!.text).toBe(false)
  })

  it('PULL-61 a falsy extra becomes {} and any other extra stays as sent (Bitrix: `if (!message.extra) message.extra = {}`)', () => {
    const extraOf = (extra: string) => decodeTextFrames(frame(`{"mid":"1","text":{"module_id":"im","command":"x","extra":${extra}}}`)).messages[0]!.text.extra
    expect(extraOf('null')).toEqual({})
    expect(extraOf('0')).toEqual({})
    expect(extraOf('""')).toEqual({})
    expect(extraOf('[]')).toEqual([])
    expect(extraOf('[1]')).toEqual([1])
    expect(extraOf('"s"')).toBe('s')
  })

  it('a frame without mid gives mid null (no dedupe), as on nginx push-stream servers', () => {
    expect(decodeTextFrames(frame('{"text":{"module_id":"im","command":"x"}}')).messages[0]!.mid).toBeNull()
  })

  it('module_id keeps its case: lower-casing is the dispatcher\'s job', () => {
    expect(decodeTextFrames(frame('{"mid":"1","text":{"module_id":"IM","command":"Msg"}}')).messages[0]!.text.module_id).toBe('IM')
  })

  it('a 1 MB frame decodes', () => {
    const big = 'я'.repeat(1_000_000)
    const { messages } = decodeTextFrames(frame(`{"mid":"1","text":{"module_id":"im","command":"x","params":{"s":"${big}"}}}`))
    expect(messages[0]!.text.params.s).toHaveLength(1_000_000)
  })

  it('stays linear on many start markers without an end marker', () => {
    const hostile = '#!NGINXNMS!#'.repeat(200_000) + frame(goodJson('5'.padStart(26, '0'), 5)).slice(0, -1)
    const started = performance.now()
    expect(decodeTextFrames(hostile).issues).toMatchObject([{ kind: 'no-frames' }])
    expect(performance.now() - started).toBeLessThan(1000)
  })

  it('an end marker without a start, then a real frame: the real frame is found', () => {
    expect(decodeTextFrames('#!NGINXNME!#' + frame(goodJson('6'.padStart(26, '0'), 6))).messages.map((m) => m.id)).toEqual([6])
  })

  it('issues never carry the frame text (it may hold channel signatures)', () => {
    const secret = 'ec36ef3ac13bbed7d1982ad9ac3abe2a.7f966f1d80f32f3afe8e427c5a192079cbfd33ec'
    const { issues } = decodeTextFrames(frame(`{"channel":"${secret}"`))
    expect(JSON.stringify(issues)).not.toContain(secret)
  })
})

describe('encodeTextFrame', () => {
  it('rebuilds the captured frame byte for byte from its fields and the published body', () => {
    const p = ws.frameParsed
    const encoded = encodeTextFrame({ id: p.id, mid: p.mid, channel: p.channel, tag: p.tag, time: p.time, text: ws.publishRequest.body })
    expect(encoded).toBe(ws.frame)
  })

  it.each([0, 1, 2])('rebuilds verbatimBodies.frames[%i] from its published body', (i) => {
    const captured = ws.verbatimBodies.frames[i]!
    const head = JSON.parse(rawFrames(captured)[0]!.replace(/,"text":[\s\S]*$/, '}')) as Record<string, string | number>
    const encoded = encodeTextFrame({
      id: head.id as number, mid: head.mid as string, channel: head.channel as string, tag: head.tag as string,
      time: head.time as string, text: ws.verbatimBodies.published[i]!,
    })
    expect(encoded).toBe(captured)
  })

  it('round-trips through decodeTextFrames', () => {
    const text = '{"module_id":"im","command":"message","params":{"a":[1,{"b":null}]},"extra":{"revision_web":19}}'
    const encoded = encodeTextFrame({ id: 42, mid: '17000000000000000000000042', channel: 'c'.repeat(32), tag: '007', time: 'Tue, 14 Nov 2023 22:13:20 GMT', text })
    expect(decodeTextFrames(encoded).messages).toEqual([
      { id: 42, mid: '17000000000000000000000042', channel: 'c'.repeat(32), tag: '007', time: 'Tue, 14 Nov 2023 22:13:20 GMT', text: JSON.parse(text) },
    ])
  })
})
