// Promises BX24 hands out when no callback is given. Apps call `BX24.callMethod('tasks.task.add', {...})` without a
// callback and never look at the result, as they did with the real library (which returned nothing, or a thenable
// nobody had to handle). Such a call must not turn a REST error into an "Uncaught (in promise)" report. The promise
// itself is marked handled; a chain the app builds from it (`.then(f)` with no catch) still reports its own
// rejection, as any promise does.

const ignore = (): void => {}

export function quietPromise<T>(executor: (resolve: (value: T) => void, reject: (reason: unknown) => void) => void): Promise<T> {
  const promise = new Promise<T>(executor)
  promise.catch(ignore)
  return promise
}
