/**
 * At most one trajectory runs per controller in this process, however many
 * sessions point at it: two runs into one robot would interleave their
 * points. Sessions live in separate worker threads, so the lock is held
 * here, on the main thread, keyed by the controller's address.
 */

import { Hi6Error } from "../protocol/errors";

function keyOf(host: string, port: number): string {
  return `${host.trim().toLowerCase()}:${port}`;
}

export class ControllerLocks {
  private readonly holders = new Map<string, string>();

  /** Takes the controller for `owner`; throws trajectory_busy when another owner holds it. Returns the release. */
  acquire(host: string, port: number, owner: string): () => void {
    const key = keyOf(host, port);
    const holder = this.holders.get(key);
    if (holder !== undefined) {
      throw new Hi6Error("trajectory_busy", `a trajectory is already running on the controller at ${key} (node ${holder}); no point was sent`);
    }
    this.holders.set(key, owner);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (this.holders.get(key) === owner) this.holders.delete(key);
    };
  }

  isHeld(host: string, port: number): boolean {
    return this.holders.has(keyOf(host, port));
  }
}

/** The process's one set of locks: every session node shares it. */
export const controllerLocks = new ControllerLocks();
