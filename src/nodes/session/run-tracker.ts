/**
 * The proof that the robot followed a run, taken in the session worker from
 * the MONITOR the run keeps on the connection anyway (see LivenessMonitor in
 * trajectory-host.ts): while that MONITOR reads the joint states, each of
 * its samples is compared with the commanded motion at the instant it
 * arrived. One connection carries one MONITOR, so a session whose MONITOR
 * reads another url has no tracking; a run that needs it (a goal tolerance)
 * is refused before its first point.
 *
 * After the last point the arm is still a look-ahead (and its servo lag)
 * behind, so a complete run settles: tracking goes on until the arm is at
 * the last point, within the goal tolerance, or the settle window ends.
 */

import type { OpenStreamClient } from "../../client/OpenStreamClient";
import type { MonitorRequest } from "../../client/types";
import { Hi6Error } from "../../protocol/errors";
import type { DataEvent } from "../../protocol/events";
import { JOINT_STATES_PATH } from "../../protocol/openapi";
import { isJsonObject } from "../../protocol/validate";
import { ABORT_POLICY, AbortReason } from "../../trajectory/abort";
import type { TrajectoryPlan } from "../../trajectory/plan";
import { pointAt } from "../../trajectory/plan";
import { checkGoal, GoalCheck, LAG_SEARCH_MARGIN_MS, reached, RunTracking, SampleClock, TrackingRecorder } from "../../trajectory/tracking";

/** Within this (deg) the arm is at the last point when no goal tolerance is set: the settling ends early. */
export const REACHED_DEG = 0.01;
/** Without a goal tolerance, how long after the look-ahead the settling waits at most, ms: a couple of MONITOR samples. */
export const SETTLE_TAIL_MS = 30;
/** The fastest tracking feed, Hz: what a chart can draw. */
export const MAX_TRACK_RATE_HZ = 20;

export interface TrackingOptions {
  tag: string;
  /** deg; 0 = no goal check. */
  goalToleranceDeg: number;
  /** s after the look-ahead the arm has to come within the goal tolerance. */
  goalTimeoutS: number;
  lookAhead: number;
  /** Feed samples per second, at most MAX_TRACK_RATE_HZ; 0 = no feed. */
  trackRateHz: number;
}

/** One sample of the feed: where the arm was told to be, where it was, and the difference, deg. */
export interface TrackingSample {
  tag: string;
  /** s after the first point's deadline. */
  t: number;
  desired: number[];
  actual: number[];
  /** actual − desired; the node's msg calls it `error` (a field of that name crossing the thread is taken for a Hi6Error). */
  deviation: number[];
}

/** True when the MONITOR's samples hold every joint's position, joint 1 first. */
export function readsJointStates(request: MonitorRequest | undefined, jointCount: number): boolean {
  if (request === undefined || request.url !== JOINT_STATES_PATH) return false;
  const start = request.args?.jno_start;
  const n = request.args?.jno_n;
  return (start === undefined || Number(start) === 1) && (n === undefined || Number(n) >= jointCount);
}

function positionOf(event: DataEvent, jointCount: number): number[] | undefined {
  const body = event.result;
  if (!isJsonObject(body) || !Array.isArray(body.position) || body.position.length !== jointCount) return undefined;
  const p = body.position as unknown[];
  return p.every((v) => typeof v === "number" && Number.isFinite(v)) ? (p as number[]) : undefined;
}

export class RunTracker {
  readonly available: boolean;
  private readonly recorder: TrackingRecorder;
  private readonly goal: number[];
  /** s after the first deadline at which the controller is due at the last point. */
  private readonly lastDue: number;
  private readonly periodNs: bigint;
  private readonly listener = (event: DataEvent, receivedAt: bigint): void => this.sample(event, receivedAt);
  private t0: bigint | undefined;
  private nextFeed = 0n;
  private settling: { tolerance: number; resolve: () => void; timer: NodeJS.Timeout } | undefined;
  private interrupted: AbortReason | undefined;
  private readonly clock = new SampleClock();

  constructor(
    private readonly client: OpenStreamClient,
    private readonly plan: TrajectoryPlan,
    private readonly o: TrackingOptions,
    private readonly feed: (s: TrackingSample) => void,
  ) {
    this.available = readsJointStates(client.activeMonitor, plan.jointCount);
    if (!this.available && o.goalToleranceDeg > 0) {
      throw new Hi6Error("tracking_unavailable", `the goal tolerance needs the joint states, but the session's MONITOR reads ${client.activeMonitor?.url ?? "nothing"}; stop that MONITOR or set Goal tolerance to 0. No point was sent`);
    }
    const settleS = o.lookAhead + (o.goalToleranceDeg > 0 ? o.goalTimeoutS : SETTLE_TAIL_MS / 1000);
    this.recorder = new TrackingRecorder(plan, (plan.count - 1) * plan.dt + settleS);
    this.goal = pointAt(plan, plan.count - 1);
    this.lastDue = (plan.count - 1) * plan.dt + o.lookAhead;
    const rate = Math.min(MAX_TRACK_RATE_HZ, Math.max(0, o.trackRateHz));
    this.periodNs = rate > 0 ? BigInt(Math.round(1e9 / rate)) : 0n;
    if (this.available) client.on("data", this.listener);
  }

  /** The first point's deadline: samples are timed from it. */
  start(t0: bigint): void {
    this.t0 = t0;
    this.nextFeed = t0;
  }

  /**
   * After a complete run: resolves once the arm is at the last point (within
   * the goal tolerance, or REACHED_DEG without one) or the settle window has
   * passed, or the run's session is interrupted (see interrupt).
   */
  settle(): Promise<void> {
    if (!this.available || this.interrupted !== undefined) return Promise.resolve();
    const tolerance = this.o.goalToleranceDeg > 0 ? this.o.goalToleranceDeg : REACHED_DEG;
    const waitMs = 1000 * this.o.lookAhead + (this.o.goalToleranceDeg > 0 ? 1000 * this.o.goalTimeoutS : SETTLE_TAIL_MS);
    // Settling starts at the last point's deadline; the writes of a run end about then.
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.endSettling(), Math.max(0, waitMs));
      this.settling = { tolerance, resolve, timer };
    });
  }

  /** A STOP, close or drop while the run settles: the settling ends now. */
  interrupt(reason: AbortReason): void {
    this.interrupted ??= reason;
    this.endSettling();
  }

  /** Stops listening; the summary, and the goal check when one is set and nobody ended the settling on purpose. */
  finish(completed: boolean): { tracking: RunTracking; goal?: GoalCheck } {
    this.close();
    const tracking: RunTracking = { available: this.available, ...this.recorder.summary(this.o.lookAhead + LAG_SEARCH_MARGIN_MS / 1000) };
    if (!this.available) tracking.note = `the session's MONITOR reads ${this.client.activeMonitor?.url ?? "nothing"}, not the joint states`;
    // An abort before the last point is the run's own reason; only one after it cut the settling short.
    else if (completed && this.interrupted !== undefined) tracking.note = `settling ended early: ${ABORT_POLICY[this.interrupted].meaning}`;
    const out: { tracking: RunTracking; goal?: GoalCheck } = { tracking };
    const deliberate = this.interrupted !== undefined && !ABORT_POLICY[this.interrupted].fault;
    if (completed && this.o.goalToleranceDeg > 0 && !deliberate) {
      // No sample at all fails the check: a goal that could not be seen was not reached.
      out.goal = checkGoal(tracking.final ?? [], this.goal, this.o.goalToleranceDeg);
    }
    return out;
  }

  close(): void {
    this.client.off("data", this.listener);
    this.endSettling();
  }

  private endSettling(): void {
    const s = this.settling;
    if (s === undefined) return;
    this.settling = undefined;
    clearTimeout(s.timer);
    s.resolve();
  }

  private sample(event: DataEvent, receivedAt: bigint): void {
    if (this.t0 === undefined || !readsJointStates(this.client.activeMonitor, this.plan.jointCount)) return;
    const actual = positionOf(event, this.plan.jointCount);
    if (actual === undefined) return;
    const t = Number(this.clock.sampledAt(event.ts, receivedAt) - this.t0) / 1e9;
    const compared = this.recorder.add(t, actual);
    if (compared === undefined) return;
    // Paced by arrival: the feed's rate is about the flow, not the controller.
    if (this.periodNs > 0n && receivedAt >= this.nextFeed) {
      this.nextFeed = receivedAt + this.periodNs;
      this.feed({ tag: this.o.tag, t: Math.round(t * 1e6) / 1e6, desired: compared.commanded, actual: [...actual], deviation: compared.error });
    }
    // Only once the controller has had the look-ahead to reach the last point: before it, the arm may pass the goal on its way.
    if (this.settling !== undefined && t >= this.lastDue && reached(actual, this.goal, this.settling.tolerance)) this.endSettling();
  }
}
