/**
 * The trajectory's messages between the main thread and the session worker,
 * added to the worker's message maps by declaration merging.
 */

import type { AbortReason } from "../../trajectory/abort";
import type { RunResult } from "../../trajectory/runner";

export interface TrajectoryRequest {
  /** The plan's points: transferred, not copied, into the worker. */
  points: Float64Array;
  dt: number;
  jointCount: number;
  count: number;
  lookAhead: number;
  timeFromStart: "elapsed" | "server";
  sendInit: boolean;
  stopOnAbort: boolean;
  /** What a point due later than the look-ahead does: abort the run, or catch up. */
  lateTicks: "abort" | "catch_up";
  /** ms without a word from the controller that end the run; 0 = automatic (silenceWindowMs). */
  maxSilenceMs: number;
  marginUs: number;
  tag: string;
}

declare module "./messages" {
  interface WorkerRequests {
    trajectory: { params: TrajectoryRequest; result: RunResult };
  }
  interface WorkerCommands {
    abortTrajectory: { reason: AbortReason; tag: string };
  }
  interface WorkerEvents {
    trajectoryProgress: { tag: string; sent: number; total: number; p99_us: number };
  }
}
