// Typed access to the push-server 1.x captures, and every text payload in them with what it must decode to.
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'

export interface Captures {
  websocket: {
    channelIds: { A: string; B: string; C: string; signedA: string; key: string }
    publishRequest: { path: string; body: string }
    frame: string
    frameParsed: { id: number; mid: string; channel: string; tag: string; time: string; text: Record<string, unknown> }
    viaSubPathWithBinaryModeAndTwoChannels: { frames: { data: string }[] }
    duplicateWhenSubscribedToBothChannels: { frames: { data: string }[] }
    batchingThreeQuickPublishes: { frames: number; data: string }[]
    catchUpWithMid: { lastMid: string; messages: { frames: string[]; data: string }[] }
    liveAfterCatchUp: { messages: { data: string }[] }
    verbatimBodies: { published: string[]; frames: string[] }
    badChannel: { rawResponse: string; cases: Record<string, { status: number; body: string }> }
  }
  longPolling: {
    resumeFromZeroMid: { status: number; rawHead: string; body: string }
    holdEmptyChannelNoMid: { status: number; rawHead: string }
    holdChannelWithMessagesNoMid: { status: number; rawHead: string }
    holdWithMid: { status: number; rawHead: string }
    messageDuringHold: { status: number; rawHead: string; body: string }
    messageDuringHoldOnSubPath: { body: string }
    twoChannelsMessageToBoth: { frames: number; body: string }
    resumeAfterFirstOfTwo: { all: string; afterFirst: { rawHead: string; body: string } }
    badChannel: Record<'wrongSig' | 'unsigned' | 'noChannel', { status: number; headers: [string, string][]; body: string }>
    options: { status: number; headers: [string, string][] }
    otherMethodsAndPaths: Record<string, number>
  }
  publish: {
    badChannel: Record<'shortId' | 'signedWithWrongSig' | 'noChannel' | 'emptyBody', { status: number; body: string }>
    messageExpiry: { publishWithHeader: string; beforeExpiry: { body: string; mids: string[] } }
    sizeLimit: { ascii1000001Bytes: { status: number; rawHead: string } }
  }
  stats: { channelStats: { body: string }; channelStatsUnknown: string }
}

export const captures: Captures = JSON.parse(
  readFileSync(resolve(__dirname, 'fixtures/push-server-1x-captures.json'), 'utf8'),
) as Captures

const ws = captures.websocket
const lp = captures.longPolling

/** Every well-formed text payload the server sent, named by where it sits in captures.json. */
export const wellFormedPayloads: [string, string][] = [
  ['websocket.frame', ws.frame],
  ['websocket.viaSubPathWithBinaryModeAndTwoChannels', ws.viaSubPathWithBinaryModeAndTwoChannels.frames[0]!.data],
  ['websocket.duplicateWhenSubscribedToBothChannels', ws.duplicateWhenSubscribedToBothChannels.frames[0]!.data],
  ...ws.batchingThreeQuickPublishes.map((b, i): [string, string] => [`websocket.batchingThreeQuickPublishes[${i}]`, b.data]),
  ['websocket.catchUpWithMid', ws.catchUpWithMid.messages[0]!.data],
  ['websocket.liveAfterCatchUp', ws.liveAfterCatchUp.messages[0]!.data],
  ['websocket.verbatimBodies.frames[2]', ws.verbatimBodies.frames[2]!],
  ['longPolling.resumeFromZeroMid', lp.resumeFromZeroMid.body],
  ['longPolling.messageDuringHold', lp.messageDuringHold.body],
  ['longPolling.messageDuringHoldOnSubPath', lp.messageDuringHoldOnSubPath.body],
  ['longPolling.twoChannelsMessageToBoth', lp.twoChannelsMessageToBoth.body],
  ['longPolling.resumeAfterFirstOfTwo.all', lp.resumeAfterFirstOfTwo.all],
  ['longPolling.resumeAfterFirstOfTwo.afterFirst', lp.resumeAfterFirstOfTwo.afterFirst.body],
  ['publish.messageExpiry.beforeExpiry', captures.publish.messageExpiry.beforeExpiry.body],
]

/** The frames of a payload as the raw JSON strings between the markers (an independent split for cross-checks). */
export function rawFrames(payload: string): string[] {
  return payload.split('#!NGINXNME!#').filter((s) => s.startsWith('#!NGINXNMS!#')).map((s) => s.slice(12))
}
