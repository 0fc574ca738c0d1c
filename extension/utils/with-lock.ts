// Without the Web Locks API (Node tests) contexts are one process, so an in-memory chain per name
// gives the same mutual exclusion. Module-level because two outbox instances in one context share
// one storage item, exactly as navigator.locks is shared by every context of the extension.
const memoryLocks = new Map<string, Promise<unknown>>();

/** Runs `fn` while holding the named lock, across every context of the extension where Web Locks exist. */
export async function withLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
  // The DOM typings wrap the callback's promise once more; awaiting flattens it.
  if (typeof navigator !== 'undefined' && navigator.locks) return await navigator.locks.request(name, fn);
  const previous = memoryLocks.get(name) ?? Promise.resolve();
  const run = previous.then(fn, fn);
  const tail = run.catch(() => undefined);
  memoryLocks.set(name, tail);
  void tail.then(() => {
    if (memoryLocks.get(name) === tail) memoryLocks.delete(name);
  });
  return run;
}
