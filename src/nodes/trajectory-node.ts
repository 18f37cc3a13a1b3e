/**
 * hi6-trajectory: builds a plan from the msg, checks all of it before the
 * first point, and hands it to the session worker, whose pacer streams the
 * points. Output 1 gets the run's result once; output 2 gets progress.
 */

import { Hi6Error } from "../protocol/errors";
import { ABORT_POLICY, AbortReason } from "../trajectory/abort";
import type { RunResult } from "../trajectory/runner";
import { TimingStats } from "../trajectory/stats";
import { DEFAULT_MAX_ACCEL_DEG_S2, DEFAULT_MAX_SPEED_DEG_S, DEFAULT_START_TOLERANCE_DEG, preflightWork } from "../trajectory/preflight";
import { DEFAULT_MARGIN_NS } from "../trajectory/pacer";
import { runInSlices } from "../trajectory/slices";
import { MAX_TRACK_RATE_HZ } from "./session/run-tracker";
import type { Node, NodeAPI, NodeDef, NodeDone, NodeMessage, NodeSend } from "./node-red";
import { asHi6Error, attachError, flowError } from "./node-errors";
import { numberSetting } from "./number-setting";
import { SessionApi, sessionFor } from "./session-api";
import { count, duration, StatusLine, view } from "./status";
import { AgilityBody, agilityBody, ensurePlayback } from "./controller-setup";
import { dtOf, needsPose, parseTrajectoryInput, planWork, PlanInput } from "./trajectory-input";

export interface TrajectoryNodeDef extends NodeDef {
  session?: string;
  dt?: number | string;
  lookAhead?: number | string;
  timeFromStart?: string;
  sendInit?: boolean;
  stopOnAbort?: boolean;
  maxSpeed?: number | string;
  maxAccel?: number | string;
  startTolerance?: number | string;
  margin?: number | string;
  lateTicks?: string;
  maxSilence?: number | string;
  goalTolerance?: number | string;
  goalTimeout?: number | string;
  trackRate?: number | string;
  mode?: string;
  agilityMode?: string | boolean;
  agilityFreq?: number | string;
}

/** s after the look-ahead the arm has to come within the goal tolerance. */
const DEFAULT_GOAL_TIMEOUT_S = 1;
/** Tracking msgs per second on output 3. */
const DEFAULT_TRACK_RATE_HZ = 10;

/** The robot's joint count when its pose cannot be read. */
const DEFAULT_JOINT_COUNT = 6;

function num(v: unknown, fallback: number): number {
  return numberSetting(v) ?? fallback;
}

/**
 * A safety limit from the node's config. 0 is off, as saved; a flow saved
 * before the property existed, or a value that is no limit at all
 * (negative, not a number), gets the default: a check never turns itself off.
 */
function limitSetting(v: unknown, fallback: number): number {
  const n = num(v, fallback);
  return n >= 0 ? n : fallback;
}

export class TrajectoryNode {
  private readonly line: StatusLine;
  private running = false;
  /** A "stop" or close that came while the run was still being prepared (pose, plan, checks). */
  private cancelled: AbortReason | undefined;
  private readonly cfg: {
    dt: number;
    lookAhead: number;
    timeFromStart: "elapsed" | "server";
    sendInit: boolean;
    stopOnAbort: boolean;
    lateTicks: "abort" | "catch_up";
    maxSilenceMs: number;
    maxSpeed: number;
    maxAccel: number;
    startTolerance: number;
    marginUs: number;
    goalToleranceDeg: number;
    goalTimeoutS: number;
    trackRateHz: number;
    mode: "stream" | "buffered";
    /** joint_traject_init's agility options when the node sets any; a bad value, raised at each input. */
    agility: AgilityBody | Hi6Error | undefined;
  };

  constructor(
    RED: NodeAPI,
    private readonly node: Node,
    def: TrajectoryNodeDef,
  ) {
    this.line = new StatusLine(node);
    this.cfg = {
      dt: num(def.dt, 0.002),
      lookAhead: num(def.lookAhead, 0.04),
      timeFromStart: def.timeFromStart === "server" ? "server" : "elapsed",
      sendInit: def.sendInit !== false,
      stopOnAbort: def.stopOnAbort !== false,
      // Catching up after the controller's buffer ran dry sends a burst of stale motion: only on request.
      lateTicks: def.lateTicks === "catch_up" ? "catch_up" : "abort",
      // Empty or 0: the window follows the look-ahead (see silenceWindowMs).
      maxSilenceMs: Math.max(0, num(def.maxSilence, 0)),
      maxSpeed: limitSetting(def.maxSpeed, DEFAULT_MAX_SPEED_DEG_S),
      maxAccel: limitSetting(def.maxAccel, DEFAULT_MAX_ACCEL_DEG_S2),
      startTolerance: limitSetting(def.startTolerance, DEFAULT_START_TOLERANCE_DEG),
      marginUs: num(def.margin, Number(DEFAULT_MARGIN_NS) / 1000),
      // Off unless set: a flow saved before the property existed keeps ending its runs as it did.
      goalToleranceDeg: Math.max(0, num(def.goalTolerance, 0)),
      goalTimeoutS: Math.max(0, num(def.goalTimeout, DEFAULT_GOAL_TIMEOUT_S)),
      trackRateHz: Math.min(MAX_TRACK_RATE_HZ, Math.max(0, num(def.trackRate, DEFAULT_TRACK_RATE_HZ))),
      mode: def.mode === "buffered" ? "buffered" : "stream",
      agility: configured(() => agilityBody(def.agilityMode, def.agilityFreq)),
    };
    const session = sessionFor(RED, def.session, this.line, node);
    if (session === undefined) return;
    session.register(this.line.user(node.id));
    session.onEvent(node, "trajectoryProgress", (p) => {
      // Buffered mode has no pacer, so no lateness to show: only how much is uploaded.
      const pct = percent(p.sent, p.total);
      this.line.show(this.cfg.mode === "buffered" ? view("blue", "dot", "hi6-trajectory.status.uploading", { pct }) : view("blue", "dot", "hi6-trajectory.status.sending", { pct, p99: duration(p.p99_us) }));
      node.send([null, { payload: { sent: p.sent, total: p.total, p99_us: p.p99_us } }, null]);
    });
    session.onEvent(node, "trajectoryTracking", (s) => {
      node.send([null, null, { topic: "tracking", payload: { t: s.t, desired: s.desired, actual: s.actual, error: s.deviation } }]);
    });
    node.on("input", (msg, send, done) => {
      this.input(session, msg, send, done).catch((err: unknown) => done(flowError(asHi6Error(err))));
    });
    node.on("close", (removed, done) => {
      // Only this node goes: the session stays, so the abort table's STOP for a closed node applies.
      if (this.running) this.abort(session, "closed");
      session.deregister(node, done, removed);
    });
  }

  private async input(session: SessionApi, msg: NodeMessage, send: NodeSend, done: NodeDone): Promise<void> {
    let input;
    try {
      input = parseTrajectoryInput(msg);
    } catch (err) {
      return this.reject(msg, asHi6Error(err), done);
    }
    if (input.kind === "stop") {
      if (this.running) this.abort(session, "stop");
      return done();
    }
    if (this.running) return this.reject(msg, new Hi6Error("trajectory_busy", "a trajectory is already running on this node; send \"stop\" first"), done);
    this.running = true;
    this.cancelled = undefined;
    try {
      if (this.cfg.agility instanceof Hi6Error) throw this.cfg.agility;
      const dt = dtOf(input, this.cfg.dt);
      let pose: number[] | undefined;
      if (needsPose(input) || this.cfg.startTolerance > 0) {
        this.line.show(view("yellow", "ring", "hi6-trajectory.status.reading"));
        pose = await this.readPose(session, input);
      }
      const robotJoints = pose?.length ?? DEFAULT_JOINT_COUNT;
      // Up to a million points: built and checked in slices, so other flows keep running meanwhile.
      const plan = await runInSlices(planWork(input, dt, pose, robotJoints));
      await runInSlices(
        preflightWork(plan, {
          jointCount: robotJoints,
          maxSpeed: this.cfg.maxSpeed,
          maxAccel: this.cfg.maxAccel,
          ...(pose !== undefined && { currentPose: pose }),
          startToleranceDeg: this.cfg.startTolerance,
        }),
      );
      // Not asked once the run is cancelled: it would not start anyway.
      if (this.cancelled === undefined) await ensurePlayback(session);
      // Reading the pose and building the plan take time: a "stop" or close meanwhile ends the run before its first point.
      if (this.cancelled === undefined) this.line.show(view("blue", "ring", "hi6-trajectory.status.starting", { total: count(plan.count) }));
      const result = this.cancelled !== undefined ? notStarted(plan.count, plan.dt, this.cancelled) : await session.trajectory(this.node, {
        points: plan.points,
        dt: plan.dt,
        jointCount: plan.jointCount,
        count: plan.count,
        lookAhead: this.cfg.lookAhead,
        timeFromStart: this.cfg.timeFromStart,
        sendInit: this.cfg.sendInit,
        stopOnAbort: this.cfg.stopOnAbort,
        lateTicks: this.cfg.lateTicks,
        maxSilenceMs: this.cfg.maxSilenceMs,
        marginUs: this.cfg.marginUs,
        goalToleranceDeg: this.cfg.goalToleranceDeg,
        goalTimeoutS: this.cfg.goalTimeoutS,
        trackRateHz: this.cfg.trackRateHz,
        mode: this.cfg.mode,
        ...(this.cfg.agility !== undefined && { initBody: this.cfg.agility }),
      });
      // A closed node has no one to tell.
      if (this.cancelled === "closed") return done();
      this.finished(result);
      send([{ ...msg, payload: result }, null, null]);
      if (result.reason !== undefined && ABORT_POLICY[result.reason].fault) {
        // A run the user did not end is a failure Catch nodes must hear of, beside the result msg.
        const err = new Hi6Error("trajectory_aborted", `${result.message ?? ABORT_POLICY[result.reason].meaning}; ${result.sent} of ${result.total} points were sent (${result.reason})`);
        attachError(msg, err);
        done(flowError(err));
        return;
      }
      const missed = goalMissed(result);
      if (missed !== undefined) {
        attachError(msg, missed);
        done(flowError(missed));
        return;
      }
      done();
    } catch (err) {
      this.reject(msg, asHi6Error(err), done);
    } finally {
      this.running = false;
    }
  }

  /** Fails closed: a run that needs the pose does not start without it. */
  private async readPose(session: SessionApi, input: PlanInput): Promise<number[]> {
    try {
      return await session.readPose();
    } catch (err) {
      const needs = [
        ...(this.cfg.startTolerance > 0 ? ["the start check needs it (set Start tolerance to 0 to turn that check off)"] : []),
        ...(needsPose(input) ? ["a sine without base needs it (or give sine.base)"] : []),
      ];
      const reason = err instanceof Error ? err.message : String(err);
      throw new Hi6Error("pose_unavailable", `the robot's pose could not be read (${reason}); ${needs.join(", and ")}. Check the session's REST port (restPort) and that the controller's Open API answers on it`);
    }
  }

  /** Ends this node's run: in the worker once it streams, or before it starts while it is prepared. */
  private abort(session: SessionApi, reason: AbortReason): void {
    this.cancelled ??= reason;
    session.abortTrajectory(this.node, reason);
  }

  private finished(r: RunResult): void {
    if (!r.aborted && r.upload !== undefined) this.line.show(view("green", "dot", "hi6-trajectory.status.doneBuffered", { low: duration(r.upload.lowest_buffer_ms * 1000) }));
    else if (!r.aborted) this.line.show(view("green", "dot", "hi6-trajectory.status.done", { p99: duration(r.stats.late_p99_us) }));
    else if (r.reason !== undefined && ABORT_POLICY[r.reason].fault) this.line.fail(view("red", "ring", "hi6-trajectory.status.aborted", { reason: r.reason, pct: percent(r.sent, r.total) }));
    else this.line.show(view("yellow", "ring", "hi6-trajectory.status.stopped", { pct: percent(r.sent, r.total) }));
  }

  private reject(msg: NodeMessage, err: Hi6Error, done: NodeDone): void {
    attachError(msg, err);
    this.line.fail(view("red", "ring", "hi6-trajectory.status.error", { code: err.code }));
    done(flowError(err));
  }
}

function percent(sent: number, total: number): number {
  return total > 0 ? Math.floor((100 * sent) / total) : 0;
}

/** A run that sent every point but left the arm outside the goal tolerance: a failure for Catch nodes, like an abort. */
function goalMissed(r: RunResult): Hi6Error | undefined {
  const g = r.goal;
  if (g === undefined || g.ok) return undefined;
  const j = g.joint ?? 0;
  const off = g.error_deg[j - 1];
  const how = off === undefined || !Number.isFinite(off) ? "was not seen at the end of the run" : `ended ${Number(off.toFixed(3))} deg from the last point`;
  return new Hi6Error("goal_tolerance_violated", `joint ${j} ${how} (goal tolerance ${g.tolerance_deg} deg)`);
}

/** A config value's check, its error kept to be raised on each input instead of thrown at deploy. */
function configured<T>(check: () => T): T | Hi6Error {
  try {
    return check();
  } catch (err) {
    return asHi6Error(err);
  }
}

/** The result of a run ended before its first point was sent. */
function notStarted(total: number, dt: number, reason: AbortReason): RunResult {
  return { sent: 0, total, aborted: true, reason, message: ABORT_POLICY[reason].meaning, stats: new TimingStats(dt).summary() };
}

export function registerTrajectoryNode(RED: NodeAPI): void {
  RED.nodes.registerType("hi6-trajectory", function (this: Node, def: TrajectoryNodeDef) {
    RED.nodes.createNode(this, def);
    new TrajectoryNode(RED, this, def);
  });
}
