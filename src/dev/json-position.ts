// Where a JSON text first goes wrong, as a character offset: V8's messages name it only sometimes ("at position N"),
// so the dev portal finds it itself to point at a line and column of a bad --seed file.

const WS = new Set([' ', '\t', '\n', '\r'])
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y

/** Offset of the first character that makes `text` invalid JSON (text.length for a premature end), or -1 if valid. */
export function jsonErrorOffset(text: string): number {
  let i = 0
  const skip = () => {
    while (i < text.length && WS.has(text[i]!)) i++
  }
  const match = (re: RegExp): boolean => {
    re.lastIndex = i
    const m = re.exec(text)
    if (!m) return false
    i += m[0].length
    return true
  }
  /** `"key":` with the whitespace around it; false where it goes wrong. */
  const key = (): boolean => {
    skip()
    if (!match(STRING)) return false
    skip()
    if (text[i] !== ':') return false
    i++
    return true
  }
  // Containers still open: 'O' an object, 'A' an array.
  const stack: string[] = []
  let wantValue = true
  for (;;) {
    skip()
    if (wantValue) {
      const c = text[i]
      if (c === undefined) return i
      if (c === '{') {
        i++
        skip()
        if (text[i] === '}') {
          i++
          wantValue = false
        } else {
          stack.push('O')
          if (!key()) return i
        }
        continue
      }
      if (c === '[') {
        i++
        skip()
        if (text[i] === ']') {
          i++
          wantValue = false
        } else stack.push('A')
        continue
      }
      if (c === '"') {
        if (!match(STRING)) return text.indexOf('"', i + 1) < 0 ? text.length : i
      } else if (text.startsWith('true', i)) i += 4
      else if (text.startsWith('false', i)) i += 5
      else if (text.startsWith('null', i)) i += 4
      else if (!match(NUMBER)) return i
      wantValue = false
      continue
    }
    const top = stack[stack.length - 1]
    if (top === undefined) return i === text.length ? -1 : i
    const c = text[i]
    if (c === undefined) return i
    if (c === ',') {
      i++
      if (top === 'O' && !key()) return i
      wantValue = true
    } else if ((c === '}' && top === 'O') || (c === ']' && top === 'A')) {
      i++
      stack.pop()
    } else return i
  }
}
