import { describe, expect, it } from 'vitest'
import { parseChannelIds, publicChannelSignature, signChannelId } from '../../src/push-server/channel-id'
import { captures } from '../pull/codecs/fixtures'

const ids = captures.websocket.channelIds
const sub = { signatureKey: ids.key, checkSignature: true, allowPrivatePublicPair: false }

describe('channel ids (PULL-54)', () => {
  it('signs as the captured server expects: id + "." + hex(HMAC-SHA1(key, id))', () => {
    expect(signChannelId(ids.A, ids.key)).toBe(ids.signedA)
  })

  it('PULL-54: accepts signed ids joined by "/", in order, each once', () => {
    const b = signChannelId(ids.B, ids.key)
    expect(parseChannelIds(`${ids.signedA}/${b}/${ids.signedA}`, sub)).toEqual({ ok: true, channels: [ids.A, ids.B], publicIds: [] })
  })

  it.each([
    ['wrong-sig', `${ids.A}.${'0'.repeat(40)}`],
    ['unsigned', ids.A],
    ['short-id', ids.A.slice(1)],
    ['sig-wrong-length', `${ids.A}.abc`],
    ['second-channel-bad', `${ids.signedA}/${ids.B}`],
    ['upper-case signature', `${ids.A}.${ids.signedA.split('.')[1]!.toUpperCase()}`],
    ['private:public on 1.x', `${ids.A}:${ids.B}.${'0'.repeat(40)}`],
    ['an empty part', `${ids.signedA}//${ids.signedA}`],
    ['a non-alphanumeric id', `${'-'.repeat(32)}`],
  ])('PULL-54: refuses %s when a key is set (captured: 400)', (_name, raw) => {
    expect(parseChannelIds(raw, sub)).toEqual({ ok: false, reason: 'invalid' })
  })

  it('reports a missing CHANNEL_ID apart from a bad one (two different 400 bodies)', () => {
    expect(parseChannelIds(null, sub)).toEqual({ ok: false, reason: 'missing' })
    expect(parseChannelIds('', sub)).toEqual({ ok: false, reason: 'missing' })
  })

  it('upper-case and non-hex alphanumeric ids are accepted (captured: held, not refused)', () => {
    const upper = ids.A.toUpperCase()
    expect(parseChannelIds(signChannelId(upper, ids.key), sub)).toMatchObject({ ok: true, channels: [upper] })
    const alnum = 'z'.repeat(32)
    expect(parseChannelIds(signChannelId(alnum, ids.key), sub)).toMatchObject({ ok: true, channels: [alnum] })
  })

  it('the pub endpoint checks the shape only: a wrong signature passes, a short id does not (captured)', () => {
    const pub = { checkSignature: false, allowPrivatePublicPair: false }
    expect(parseChannelIds(`${ids.A}.${'0'.repeat(40)}`, pub)).toEqual({ ok: true, channels: [ids.A], publicIds: [] })
    expect(parseChannelIds(ids.A.slice(1), pub)).toEqual({ ok: false, reason: 'invalid' })
  })

  it('without a key, signatures are neither required nor checked', () => {
    const open = { checkSignature: true, allowPrivatePublicPair: false }
    expect(parseChannelIds(`${ids.A}/${ids.B}.${'0'.repeat(40)}`, open)).toMatchObject({ ok: true, channels: [ids.A, ids.B] })
  })

  it('v4+ private:public pairs subscribe to both halves, signed over the pair', () => {
    const rules = { ...sub, allowPrivatePublicPair: true }
    const pair = signChannelId(`${ids.A}:${ids.B}`, ids.key)
    expect(parseChannelIds(pair, rules)).toEqual({ ok: true, channels: [ids.A, ids.B], publicIds: [ids.B] })
    expect(parseChannelIds(`${ids.A}:${ids.B}.${signChannelId(ids.A, ids.key).split('.')[1]}`, rules)).toEqual({ ok: false, reason: 'invalid' })
  })

  it('public channel signatures are HMAC-SHA1 over "public:" + id', () => {
    expect(publicChannelSignature(ids.B, ids.key)).toMatch(/^[0-9a-f]{40}$/)
    expect(publicChannelSignature(ids.B, ids.key)).not.toBe(signChannelId(ids.B, ids.key).split('.')[1])
  })
})
