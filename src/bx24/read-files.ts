// `<input type=file>` values in params are sent as [filename, base64] (spec §4.2). Reading is asynchronous, so it
// runs before encoding and hands encode-params a map from input node to its value.

import type { FileValue } from './encode-params'

interface FileInputLike { tagName: string; type: string; multiple?: boolean; files?: ArrayLike<Blob & { name: string }> | null }

function isFileInput(value: object): value is FileInputLike {
  const node = value as Partial<FileInputLike> & { nodeType?: unknown }
  return 'nodeType' in value && String(node.tagName ?? '').toUpperCase() === 'INPUT' && node.type === 'file'
}

/** File inputs anywhere in `params` (cycle-safe; encode-params reports cycles). */
export function findFileInputs(params: unknown): FileInputLike[] {
  const found: FileInputLike[] = []
  const seen = new Set<object>()
  const walk = (value: unknown, depth: number): void => {
    if (typeof value !== 'object' || value === null || seen.has(value) || depth > 64) return
    seen.add(value)
    if (isFileInput(value)) found.push(value)
    else if (!('nodeType' in value)) for (const key of Object.keys(value)) walk((value as Record<string, unknown>)[key], depth + 1)
  }
  walk(params, 0)
  return found
}

async function base64(blob: Blob): Promise<string> {
  const bytes = new Uint8Array(await blob.arrayBuffer())
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(binary)
}

export async function readFileInputs(inputs: FileInputLike[]): Promise<Map<object, FileValue>> {
  const values = new Map<object, FileValue>()
  for (const input of inputs) {
    const files = Array.from(input.files ?? [])
    const pairs: Array<[string, string]> = []
    for (const file of files) pairs.push([file.name, await base64(file)])
    if (pairs.length === 0) continue
    values.set(input, input.multiple ? pairs : pairs[0]!)
  }
  return values
}
