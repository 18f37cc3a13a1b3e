/**
 * While a trajectory is paced, the session worker asks the OS to run its
 * thread ahead of ordinary work. When a CPU-bound process shares the
 * worker's core, a thread of equal weight that wakes for its next point may
 * wait out the other's time slice, hundreds of microseconds; a higher weight
 * lets it take the core at once, and a real-time policy (SCHED_FIFO) lets it
 * preempt every ordinary thread the moment it wakes.
 *
 * Linux applies both to one thread when given that thread's id: the nice
 * value through setpriority, the policy through `chrt` (util-linux), since
 * Node.js has no call for sched_setscheduler. Both need root or
 * CAP_SYS_NICE (SCHED_FIFO also works up to RLIMIT_RTPRIO without them);
 * without the right the thread keeps what it had, and `scheduling` says so.
 */

import { execFile } from "node:child_process";
import { readFileSync, readlinkSync } from "node:fs";
import { getPriority, setPriority } from "node:os";

/** The nice value asked for while pacing: well ahead of ordinary processes, short of the real-time range. */
export const PACING_NICE = -10;
/**
 * The SCHED_FIFO priority asked for: above every ordinary thread, below the
 * kernel's own real-time threads (interrupt threads run at 50), so the
 * pacer never holds off the network stack that carries its points.
 */
export const PACING_RT_PRIORITY = 10;

/** What a run asks for: real-time first, then nice; nice only; or nothing. */
export type PacingScheduling = "fifo" | "nice" | "none";

export interface ThreadPriority {
  /** The nice value the thread runs at now. */
  readonly nice: number;
  /** "fifo <priority>", "rr <priority>" or "nice <n>": what the thread runs with now. */
  readonly scheduling: string;
  /** Puts the thread back at the priority it had; the policy once chrt has run. */
  restore(): Promise<void>;
}

export interface RaiseOptions {
  nice?: number;
  rtPriority?: number;
  /** The chrt program; a test may name one that does not exist. */
  chrt?: string;
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

const POLICY_NAMES: Record<number, string> = { 1: "fifo", 2: "rr" };

/** The thread's scheduling as /proc shows it: policy (field 41) and real-time priority (field 40). */
export function describeScheduling(tid: number, nice: number): string {
  try {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
    // Fields after the command name, which is in parentheses: field n is at index n − 3.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const policy = POLICY_NAMES[Number(fields[38])];
    if (policy !== undefined) return `${policy} ${Number(fields[37])}`;
  } catch {
    // The thread is gone or /proc is not mounted: it is described by its nice value alone.
  }
  return `nice ${nice}`;
}

/** Longest wait for chrt; past it the run goes ahead with whatever scheduling the thread has. */
export const CHRT_TIMEOUT_MS = 1000;

/**
 * Runs chrt without blocking the thread: a child started synchronously from
 * a worker thread can hold that thread for seconds, and the end of one
 * started asynchronously is not always heard in a worker that shares the
 * process with busy threads. So this resolves when chrt has exited, failed
 * to start, or CHRT_TIMEOUT_MS have passed, whichever is first; the thread's
 * scheduling is read afterwards, so none of those needs telling apart.
 */
function chrt(program: string, args: string[]): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, CHRT_TIMEOUT_MS);
    const done = (): void => {
      clearTimeout(timer);
      resolve();
    };
    try {
      const child = execFile(program, args, { timeout: CHRT_TIMEOUT_MS }, done);
      child.on("error", done);
    } catch {
      // Not installed or not startable: the thread keeps its policy.
      done();
    }
  });
}

/** Raises and restores one after the other, so a run that starts while the last one's restore is under way still gets its raise. */
let settled: Promise<void> = Promise.resolve();

/**
 * Raises the calling thread's priority where the OS allows it; undefined
 * where it cannot even be read. With "fifo", the nice value is raised too,
 * so a thread refused the real-time policy still runs ahead at nice.
 */
export function raiseThreadPriority(ask: PacingScheduling = "fifo", o: RaiseOptions = {}): Promise<ThreadPriority | undefined> {
  const raised = settled.then(() => raise(ask, o));
  settled = raised.then(() => undefined);
  return raised;
}

async function raise(ask: PacingScheduling, o: RaiseOptions): Promise<ThreadPriority | undefined> {
  const tid = threadId();
  if (tid === undefined) return undefined;
  const nice = o.nice ?? PACING_NICE;
  const program = o.chrt ?? "chrt";
  let before: number;
  try {
    before = getPriority(tid);
  } catch {
    return undefined;
  }
  const policyBefore = describeScheduling(tid, before);
  if (ask !== "none" && nice < before) {
    try {
      setPriority(tid, nice);
    } catch {
      // Not permitted: the thread keeps its priority.
    }
  }
  const realtimeBefore = !policyBefore.startsWith("nice");
  if (ask === "fifo" && !realtimeBefore) await chrt(program, ["-f", "-p", String(o.rtPriority ?? PACING_RT_PRIORITY), String(tid)]);
  const now = getPriority(tid);
  const scheduling = describeScheduling(tid, now);
  const raisedToRealtime = !realtimeBefore && !scheduling.startsWith("nice");
  return {
    nice: now,
    scheduling,
    restore(): Promise<void> {
      if (now !== before) {
        try {
          setPriority(tid, before);
        } catch {
          // Lowering a thread's own priority is always allowed; nothing to do if the thread is gone.
        }
      }
      if (!raisedToRealtime) return Promise.resolve();
      const back = settled.then(() => chrt(program, ["-o", "-p", "0", String(tid)]));
      settled = back;
      return back;
    },
  };
}
