// A request Node's HTTP parser cannot read (raw UTF-8 in the URL, a broken header, a head over the size limit)
// still gets an answer, as every request must; then the connection is closed.

import type { Duplex } from 'node:stream'

export function answerClientError(error: Error & { code?: string }, socket: Duplex & { bytesWritten?: number }): void {
  // Bytes after a `Connection: close` request (Node's own client sends an OPTIONS body that way, unframed): the
  // request before them is fine and its answer is on the way; the parser just stops reading.
  if (error.code === 'HPE_CLOSED_CONNECTION') return
  if (socket.writable && !socket.bytesWritten) {
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request'
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
  }
  socket.destroy()
}
