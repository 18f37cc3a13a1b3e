/**
 * One trajectory run: init, then one CONTROL insert_point per point on an
 * absolute schedule t0 + i·dt. A tick late by less than the look-ahead writes
 * every due point at once and keeps each point's time_from_start = i·dt, so
 * the timeline never stretches; the controller's buffer still held points.
 * A tick later than that means the buffer ran dry and the robot has stopped
 * or lurched: by default the run aborts (late_tick) instead of sending a
 * burst of catch-up points. Before each write a gate may end the run (the
 * session's liveness check). After abort() no point is written, ever.
 */

import { controlRecipe, encodeRecipe, JsonObject } from "../protocol/recipes";
import { TRAJ_INIT_PATH } from "../protocol/openapi";
import type { AbortReason } from "./abort";
import type { UploadStats } from "./buffered";
import { AdaptiveMargin } from "./margin";
import { DEFAULT_MARGIN_NS, Pacer } from "./pacer";
import type { TrajectoryPlan } from "./plan";
import { insertPointLine, PointLineTemplate } from "./point-line";
import { RunStats, TimingStats } from "./stats";
import type { GoalCheck, RunTracking } from "./tracking";

export { insertPointLine };

export interface PointWriter {
  /** False when the line cannot be written now: the run aborts with write_queue_full. */
  write(line: string): boolean;
}

export interface RunOptions {
  /** Seconds, sent as look_ahead_time. */
  lookAhead: number;
  timeFromStart: "elapsed" | "server";
  sendInit: boolean;
  /** Body of joint_traject_init; default {} (agility off). */
  initBody?: JsonObject;
  /** The spin margin; with `margin: "adaptive"`, where it starts. */
  marginNs?: bigint;
  /** "fixed" (default) spins marginNs before each deadline; "adaptive" follows the oversleeps this thread sees (margin.ts). */
  margin?: "fixed" | "adaptive";
  /** How each point's line is built: from a template (default), or through the recipe encoder per point. */
  encoder?: "template" | "recipe";
  /** Delay before the first point, so the init line is out first. Default 2 ms. */
  leadNs?: bigint;
  /** What a tick later than the look-ahead does: abort the run (default), or write every due point. */
  lateTicks?: "abort" | "catch_up";
  /** Checked before every write; a reason ends the run there. */
  gate?(now: bigint): AbortReason | undefined;
  onProgress?(p: { sent: number; total: number; p99_us: number }): void;
  /** The first point's deadline (process.hrtime.bigint()), once it is set: what tracking times its samples from. */
  onStart?(t0: bigint): void;
}

export interface RunResult {
  sent: number;
  total: number;
  aborted: boolean;
  reason?: AbortReason;
  /** After an abort: what ABORT_POLICY's meaning says happened. */
  message?: string;
  /** After an abort: what was done to the motion already sent (see trajectory/abort.ts). */
  halt?: { init: boolean; stop_control: boolean; clear_on_reconnect: boolean };
  stats: RunStats;
  /** How closely the robot followed: see trajectory/tracking.ts and nodes/session/run-tracker.ts. */
  tracking?: RunTracking;
  /** The final pose against the last point, when a goal tolerance is set. */
  goal?: GoalCheck;
  /** Buffered mode only: how the plan was uploaded (see trajectory/buffered.ts). */
  upload?: UploadStats;
}

export interface TrajectoryRun {
  done: Promise<RunResult>;
  /** The first reason wins; later calls only wake the pacer. */
  abort(reason: AbortReason): void;
  /** The reason the run was aborted with, once it was. */
  readonly reason: AbortReason | undefined;
}

const PROGRESS_INTERVAL_NS = 100_000_000n;

function turnEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export function runTrajectory(plan: TrajectoryPlan, writer: PointWriter, options: RunOptions): TrajectoryRun {
  const marginNs = options.marginNs ?? DEFAULT_MARGIN_NS;
  const pacer = new Pacer(options.margin === "adaptive" ? new AdaptiveMargin({ initialNs: marginNs }) : marginNs);
  let encode: (index: number) => string;
  if (options.encoder === "recipe") encode = (index) => insertPointLine(plan, index, options);
  else {
    const template = new PointLineTemplate(plan, options);
    encode = (index) => template.line(index);
  }
  let abortReason: AbortReason | undefined;
  const lateLimitNs = options.lateTicks === "catch_up" ? undefined : BigInt(Math.round(Math.max(0, options.lookAhead) * 1e9));

  const loop = async (): Promise<RunResult> => {
    const stats = new TimingStats(plan.dt);
    const periodNs = BigInt(Math.round(plan.dt * 1e9));
    let sent = 0;
    const result = (): RunResult => {
      const r: RunResult = { sent, total: plan.count, aborted: abortReason !== undefined, stats: { ...stats.summary(), margin_us: Number(pacer.marginNs) / 1000 } };
      if (abortReason !== undefined) r.reason = abortReason;
      return r;
    };
    if (options.sendInit && !writer.write(encodeRecipe(controlRecipe({ method: "POST", url: TRAJ_INIT_PATH, body: options.initBody ?? {} })))) {
      abortReason = "write_queue_full";
      return result();
    }
    await turnEventLoop();
    const t0 = process.hrtime.bigint() + (options.leadNs ?? 2_000_000n);
    let nextProgress = t0;
    options.onStart?.(t0);
    // Encoded ahead of its deadline, so the write itself is all that happens on time.
    let line = encode(0);
    let deadline = t0;
    while (sent < plan.count && abortReason === undefined) {
      pacer.waitUntil(deadline);
      // Everything due is written now; each point keeps its own deadline and time_from_start.
      let now = process.hrtime.bigint();
      while (sent < plan.count && abortReason === undefined && deadline <= now) {
        if (lateLimitNs !== undefined && now - deadline > lateLimitNs) {
          // The miss itself is counted, so late_max_us says how late the point that ended the run was.
          stats.record(now - deadline, now);
          abortReason = "late_tick";
          break;
        }
        const closed = options.gate?.(now);
        if (closed !== undefined) {
          abortReason = closed;
          break;
        }
        if (!writer.write(line)) {
          abortReason = "write_queue_full";
          break;
        }
        stats.record(now - deadline, now);
        sent += 1;
        deadline = t0 + BigInt(sent) * periodNs;
        if (sent < plan.count) line = encode(sent);
        now = process.hrtime.bigint();
      }
      if (options.onProgress && (now >= nextProgress || sent === plan.count)) {
        nextProgress = now + PROGRESS_INTERVAL_NS;
        options.onProgress({ sent, total: plan.count, p99_us: stats.percentileUs(0.99) });
      }
      // Let the worker's event loop turn: socket I/O and an abort message get their chance every tick.
      await turnEventLoop();
    }
    return result();
  };

  return {
    done: loop(),
    abort(reason: AbortReason): void {
      if (abortReason === undefined) abortReason = reason;
      pacer.interrupt();
    },
    get reason(): AbortReason | undefined {
      return abortReason;
    },
  };
}
