// A port that is already taken names the flag that moves it, instead of Node's bare EADDRINUSE.

export function portProblem(error: unknown, port: number, flag: string): Error {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  if (code === 'EADDRINUSE') {
    return new Error(`port ${port} is in use (another dev portal?): choose another with ${flag} N, or ${flag} 0 for any free port`)
  }
  if (code === 'EACCES') return new Error(`port ${port} needs privileges: choose another with ${flag} N (1024 or above)`)
  return error instanceof Error ? error : new Error(String(error))
}
