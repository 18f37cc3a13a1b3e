/**
 * Trajectory runs inside the session worker, next to the socket: the pacer
 * writes each point with client.writeLine, so no point waits on Node-RED's
 * event loop. One run per session at a time; a run ends at once on abort,
 * STOP control or session, connection loss, a silent controller or close,
 * and is never resumed.
 *
 * Liveness. CONTROL is never answered on success, so the only proof that the
 * controller still reads and runs this connection is what it sends back. A
 * run therefore keeps a MONITOR at LIVENESS_PERIOD_MS on the connection (the
 * user's own, sped up, or one of its own) and writes a point only while the
 * controller was heard within the silence window. Points written but not yet
 * taken by the controller are so bounded by that window, and a controller
 * that goes silent ends the run within it.
 *
 * What an abort leaves behind is decided by the table in trajectory/abort.ts.
 */

import type { OpenStreamClient } from "../../client/OpenStreamClient";
import type { MonitorRequest, StateChange } from "../../client/types";
import { Hi6Error } from "../../protocol/errors";
import type { DataEvent } from "../../protocol/events";
import { JOINT_STATES_PATH, TRAJ_INIT_PATH } from "../../protocol/openapi";
import { controlRecipe, encodeRecipe, StopTarget } from "../../protocol/recipes";
import { ABORT_POLICY, abortActions, AbortReason } from "../../trajectory/abort";
import { RunResult, runTrajectory, TrajectoryRun } from "../../trajectory/runner";
import { TimingStats } from "../../trajectory/stats";
import { raiseThreadPriority } from "./thread-priority";
import { handleCommand, handleRequest, MonitorGate, WorkerContext } from "./worker-dispatch";
import type { TrajectoryRequest } from "./trajectory-messages";
import "./trajectory-messages";

/** The MONITOR period a run needs: a few of them fit in the silence window. */
export const LIVENESS_PERIOD_MS = 10;
/** The shortest silence window; longer look-aheads widen it (look-ahead + SILENCE_MARGIN_MS). */
export const MIN_SILENCE_MS = 100;
export const SILENCE_MARGIN_MS = 60;
/** The tag of the MONITOR a run arms when the session has none. */
export const LIVENESS_TAG = "hi6-trajectory:liveness";

export const INIT_LINE = encodeRecipe(controlRecipe({ method: "POST", url: TRAJ_INIT_PATH, body: {} }));

export function silenceWindowMs(lookAheadS: number): number {
  return Math.max(MIN_SILENCE_MS, Math.round(lookAheadS * 1000) + SILENCE_MARGIN_MS);
}

/**
 * The session's MONITOR during a run: at most LIVENESS_PERIOD_MS apart. A
 * user's slower MONITOR is sped up and its data thinned back to the period
 * the user asked for; with none, the run arms its own and relays nothing.
 */
class LivenessMonitor implements MonitorGate {
  /** The user's MONITOR as they asked for it, while it runs faster for the run. */
  private user: { request: MonitorRequest; tag: unknown } | undefined;
  private lastRelayed = 0;

  constructor(private readonly client: OpenStreamClient) {}

  /** Resolves once the fast MONITOR is acked; rejects when it cannot be had. */
  async begin(): Promise<void> {
    const active = this.client.activeMonitor;
    if (active === undefined) {
      await this.client.monitor({ url: JOINT_STATES_PATH, period_ms: LIVENESS_PERIOD_MS }, LIVENESS_TAG);
      return;
    }
    if (active.period_ms <= LIVENESS_PERIOD_MS) return;
    const tag = this.client.activeMonitorTag;
    this.user = { request: active, tag };
    await this.client.monitor(this.request(active, tag), tag);
  }

  request(request: MonitorRequest, tag: unknown): MonitorRequest {
    if (request.period_ms <= LIVENESS_PERIOD_MS) {
      this.user = undefined;
      return request;
    }
    this.user = { request, tag };
    return { ...request, period_ms: LIVENESS_PERIOD_MS };
  }

  relay(_event: DataEvent): boolean {
    const tag = this.client.activeMonitorTag;
    if (tag === LIVENESS_TAG) return false;
    if (this.user === undefined || this.user.tag !== tag) return true;
    const now = performance.now();
    // Half a fast period of slack, so the thinned stream keeps the user's rate instead of dropping one in two.
    if (now - this.lastRelayed < this.user.request.period_ms - LIVENESS_PERIOD_MS / 2) return false;
    this.lastRelayed = now;
    return true;
  }

  /** Gives the session its MONITOR back as it was before the run. */
  end(): void {
    if (this.client.state !== "ready") return;
    const tag = this.client.activeMonitorTag;
    if (tag === LIVENESS_TAG) {
      this.client.stop("monitor").catch(() => undefined);
    } else if (this.user !== undefined && this.user.tag === tag) {
      this.client.monitor(this.user.request, tag).catch(() => undefined);
    }
  }
}

/** The run in progress and everything it must undo, owned in one place. */
class ActiveRun {
  private halted: NonNullable<RunResult["halt"]> | undefined;
  readonly liveness: LivenessMonitor;
  run: TrajectoryRun | undefined;
  /** An abort that came before the first point could be sent. */
  early: AbortReason | undefined;

  constructor(
    private readonly client: OpenStreamClient,
    readonly tag: string,
    private readonly stopOnAbort: boolean,
  ) {
    this.liveness = new LivenessMonitor(client);
  }

  /** Ends the run and, at once, does what the abort table says to the motion already sent. */
  abort(reason: AbortReason): void {
    if (this.run === undefined) {
      // Nothing was written yet: there is no motion to halt, only a run not to start.
      this.early ??= reason;
      return;
    }
    this.run.abort(reason);
    this.halt(this.run.reason ?? reason);
  }

  /** Once per run: the init, STOP control and reconnect clearing that `reason` calls for. */
  halt(reason: AbortReason): NonNullable<RunResult["halt"]> {
    if (this.halted !== undefined) return this.halted;
    const actions = abortActions(reason, this.stopOnAbort);
    const done = { init: false, stop_control: false, clear_on_reconnect: actions.clearOnReconnect };
    this.halted = done;
    if (actions.clearOnReconnect) this.client.sendFirstOnReady(INIT_LINE);
    if (actions.init) done.init = this.client.writeUrgent(INIT_LINE);
    if (actions.stopControl && this.client.state === "ready") {
      done.stop_control = true;
      // The ack proves the controller read the init before it: nothing stale is left to clear later.
      this.client.stop("control").then(
        () => this.client.cancelFirstOnReady(INIT_LINE),
        () => undefined,
      );
    }
    return done;
  }
}

let active: ActiveRun | undefined;

function onStateChange(change: StateChange): void {
  if (change.state !== "ready") active?.abort("connection_lost");
}

function onStopping(target: StopTarget): void {
  // Written before the STOP goes out, so the init reaches the controller ahead of it.
  if (target !== "monitor") active?.abort("stopped");
}

function onStopped(ctx: WorkerContext, target: StopTarget): void {
  // A STOP monitor from a flow ends the user's stream, not the run's proof of life.
  if (target === "monitor" && active !== undefined && ctx.client.state === "ready") {
    ctx.client.monitor({ url: JOINT_STATES_PATH, period_ms: LIVENESS_PERIOD_MS }, LIVENESS_TAG).catch(() => undefined);
  }
}

function onClosing(): void {
  active?.abort("session_closed");
}

async function runOne(ctx: WorkerContext, p: TrajectoryRequest): Promise<RunResult> {
  const client = ctx.client;
  const current = new ActiveRun(client, p.tag, p.stopOnAbort);
  active = current;
  ctx.monitorGate = current.liveness;
  const onStopped_ = (target: StopTarget): void => onStopped(ctx, target);
  client.on("state", onStateChange);
  ctx.lifecycle.on("stopping", onStopping);
  ctx.lifecycle.on("stopped", onStopped_);
  ctx.lifecycle.on("closing", onClosing);
  let priority: ReturnType<typeof raiseThreadPriority>;
  try {
    try {
      await current.liveness.begin();
    } catch (err) {
      const e = err instanceof Hi6Error ? err : new Hi6Error("session_error", String(err));
      throw new Hi6Error("liveness_unavailable", `no MONITOR could be armed to watch the controller during the run (${e.code}: ${e.message}); no point was sent`);
    }
    if (current.early !== undefined) {
      return { sent: 0, total: p.count, aborted: true, reason: current.early, message: ABORT_POLICY[current.early].meaning, stats: new TimingStats(p.dt).summary() };
    }
    if (client.state !== "ready") throw new Hi6Error("not_connected", `the session is ${client.state}; no point was sent`);
    const windowNs = BigInt(p.maxSilenceMs > 0 ? Math.round(p.maxSilenceMs) : silenceWindowMs(p.lookAhead)) * 1_000_000n;
    const plan = { dt: p.dt, jointCount: p.jointCount, count: p.count, points: p.points };
    // Only while pacing: the rest of the session's work has no deadline to keep.
    priority = raiseThreadPriority();
    const run = runTrajectory(plan, { write: (line) => client.writeLine(line, p.tag) }, {
      lookAhead: p.lookAhead,
      timeFromStart: p.timeFromStart,
      sendInit: p.sendInit,
      lateTicks: p.lateTicks,
      marginNs: BigInt(Math.round(p.marginUs * 1000)),
      gate: (now) => (now - client.lastHeardAt > windowNs ? "controller_silent" : undefined),
      onProgress: (progress) => ctx.emit("trajectoryProgress", { tag: p.tag, ...progress }),
    });
    current.run = run;
    const result = await run.done;
    if (priority !== undefined) result.stats.thread_nice = priority.nice;
    if (result.reason !== undefined) {
      result.halt = current.halt(result.reason);
      result.message = ABORT_POLICY[result.reason].meaning;
    }
    return result;
  } finally {
    priority?.restore();
    client.off("state", onStateChange);
    ctx.lifecycle.off("stopping", onStopping);
    ctx.lifecycle.off("stopped", onStopped_);
    ctx.lifecycle.off("closing", onClosing);
    ctx.monitorGate = undefined;
    active = undefined;
    current.liveness.end();
  }
}

handleRequest("trajectory", (ctx, p) => {
  if (active !== undefined) throw new Hi6Error("trajectory_busy", "a trajectory is already running on this session");
  if (ctx.client.state !== "ready") throw new Hi6Error("not_connected", `the session is ${ctx.client.state}; no point was sent`);
  return runOne(ctx, p);
});

handleCommand("abortTrajectory", (_ctx, { reason, tag }) => {
  if (active !== undefined && active.tag === tag) active.abort(reason);
});
