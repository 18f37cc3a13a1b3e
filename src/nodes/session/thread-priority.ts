/**
 * While a trajectory is paced, the session worker asks the OS to run its
 * thread ahead of ordinary work. When a CPU-bound process shares the
 * worker's core, a thread of equal weight that wakes for its next point may
 * wait out the other's time slice, hundreds of microseconds; a higher weight
 * lets it take the core at once. Linux applies a nice value to one thread
 * when given that thread's id. Raising priority needs root or CAP_SYS_NICE;
 * without them the thread simply keeps the priority it had.
 */

import { readlinkSync } from "node:fs";
import { getPriority, setPriority } from "node:os";

/** The nice value asked for while pacing: well ahead of ordinary processes, short of the real-time range. */
export const PACING_NICE = -10;

export interface ThreadPriority {
  /** The nice value the thread runs at now. */
  readonly nice: number;
  /** Puts the thread back at the priority it had. */
  restore(): void;
}

/** This thread's id on Linux; undefined where threads cannot be named apart. */
function threadId(): number | undefined {
  if (process.platform !== "linux") return undefined;
  try {
    const tid = Number(readlinkSync("/proc/thread-self").split("/").pop());
    return Number.isInteger(tid) && tid > 0 ? tid : undefined;
  } catch {
    return undefined;
  }
}

/** Raises the calling thread's priority where the OS allows it; undefined where it cannot even be read. */
export function raiseThreadPriority(nice = PACING_NICE): ThreadPriority | undefined {
  const tid = threadId();
  if (tid === undefined) return undefined;
  let before: number;
  try {
    before = getPriority(tid);
  } catch {
    return undefined;
  }
  if (nice < before) {
    try {
      setPriority(tid, nice);
    } catch {
      // Not permitted: the thread keeps its priority.
    }
  }
  const now = getPriority(tid);
  return {
    nice: now,
    restore(): void {
      if (now === before) return;
      try {
        setPriority(tid, before);
      } catch {
        // Lowering a thread's own priority is always allowed; nothing to do if the thread is gone.
      }
    },
  };
}
