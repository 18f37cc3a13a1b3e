/**
 * A promise that gives up waiting after `ms`. The promise itself is not
 * cancelled: whatever it settles to later is dropped, which is what a caller
 * with its own time limit wants from a server that may answer late or never.
 */

export function withDeadline<T>(promise: Promise<T>, ms: number, onTimeout: () => Error, timers?: Set<NodeJS.Timeout>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
    // An owner that clears the set on close cancels the deadline, so no timer outlives it.
    timers?.add(timer);
  });
  return Promise.race([promise, deadline]).finally(() => {
    clearTimeout(timer);
    if (timer !== undefined) timers?.delete(timer);
  });
}
