/**
 * Trajectory runs inside the session worker, next to the socket: the pacer
 * writes each point with client.writeLine, so no point waits on Node-RED's
 * event loop. One run per session at a time, owned by the session's
 * TrajectoryHost; a run ends at once on abort and is never resumed.
 *
 * What happens when a run is aborted. The reason's row in ABORT_POLICY
 * (trajectory/abort.ts) decides it: ActiveRun.halt does, once per run, the
 * init, STOP control and clearing on reconnect that the row asks for, and
 * the run's result carries the row's meaning. The reasons, by where they
 * come from:
 * - "stop" (the node received "stop") and "closed" (the node was closed by
 *   a deploy): trajectory-node.ts, through the session's abortTrajectory,
 *   to TrajectoryHost.abort;
 * - "stopped": a STOP control or session request, before it is written
 *   (TrajectoryHost.stopping);
 * - "session_closed": the close request (TrajectoryHost.closing);
 * - "connection_lost": the client leaving ready (TrajectoryHost.stateChanged);
 * - "controller_silent": the liveness gate the runner checks before each
 *   point (TrajectoryHost.runOne);
 * - "late_tick" and "write_queue_full": the runner itself (trajectory/runner.ts);
 * - "point_refused" (stream mode) and "upload_refused" (buffered mode): a
 *   control_err during the run (TrajectoryHost.runOne), even one that
 *   comes after the last point was written, while the arm settles. The
 *   event names no request, so it ends the run whichever CONTROL it was;
 * - in buffered mode, "buffer_unknown", "buffer_ran_dry" and
 *   "write_queue_full" from the uploader (trajectory/buffered.ts).
 * A reason that comes while the run's MONITOR is still being armed ends the
 * run before its first point: nothing was written, so nothing is halted. A
 * "stop" or close while the node is still preparing the run (reading the
 * pose, building the plan) never reaches the worker; trajectory-node.ts
 * settles it.
 *
 * Liveness. CONTROL is never answered on success, so the only proof that the
 * controller still reads and runs this connection is what it sends back. A
 * run therefore keeps a MONITOR at LIVENESS_PERIOD_MS on the connection (the
 * user's own, sped up, or one of its own) and writes a point only while the
 * controller was heard within the silence window. Points written but not yet
 * taken by the controller are so bounded by that window, and a controller
 * that goes silent ends the run within it. When that MONITOR reads the joint
 * states, it is also the run's tracking (run-tracker.ts): a complete run
 * waits for the arm to settle on its last point before it answers.
 */

import type { OpenStreamClient } from "../../client/OpenStreamClient";
import type { MonitorRequest, StateChange } from "../../client/types";
import { Hi6Error } from "../../protocol/errors";
import { JOINT_STATES_PATH, TRAJ_INIT_PATH } from "../../protocol/openapi";
import { controlRecipe, encodeRecipe, StopTarget } from "../../protocol/recipes";
import { ABORT_POLICY, abortActions, AbortReason } from "../../trajectory/abort";
import { RunResult, runTrajectory, TrajectoryRun } from "../../trajectory/runner";
import { TimingStats } from "../../trajectory/stats";
import { GcSummary, GcWatch } from "./gc-watch";
import { RunTracker, TrackingSample } from "./run-tracker";
import { startBufferedRun } from "./buffered-run";
import { raiseThreadPriority, ThreadPriority } from "./thread-priority";
import type { TrajectoryRequest, WorkerEvents } from "./messages";

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
class LivenessMonitor {
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

  /** The request as it goes to the server during the run (its period at most the run's). */
  request<T extends MonitorRequest>(request: T, tag: unknown): T {
    if (request.period_ms <= LIVENESS_PERIOD_MS) {
      this.user = undefined;
      return request;
    }
    this.user = { request, tag };
    // Within PERIOD_MIN_MS..PERIOD_MAX_MS, so a checked request stays valid at the new period.
    return { ...request, period_ms: LIVENESS_PERIOD_MS };
  }

  /** False for a data event that no node asked for. */
  relay(): boolean {
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
  tracker: RunTracker | undefined;
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
    this.tracker?.interrupt(reason);
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

/**
 * The session's trajectory runs: the one in progress, and the moments of the
 * session a run must act on before the session's own work touches the wire
 * (a run ends before STOP or close goes out, so nothing of it is written
 * after them).
 */
export class TrajectoryHost {
  private active: ActiveRun | undefined;

  constructor(
    private readonly client: OpenStreamClient,
    private readonly progress: (p: WorkerEvents["trajectoryProgress"]) => void,
    private readonly tracking: (s: TrackingSample) => void = () => undefined,
  ) {
    client.on("state", (change) => this.stateChanged(change));
  }

  /** Throws at once when a run is in progress or the session is not ready, before anything is written. */
  run(p: TrajectoryRequest): Promise<RunResult> {
    if (this.active !== undefined) throw new Hi6Error("trajectory_busy", "a trajectory is already running on this session");
    if (this.client.state !== "ready") throw new Hi6Error("not_connected", `the session is ${this.client.state}; no point was sent`);
    return this.runOne(p);
  }

  /** The node's abort: only the run it started. */
  abort(tag: string, reason: AbortReason): void {
    if (this.active !== undefined && this.active.tag === tag) this.active.abort(reason);
  }

  /**
   * The MONITOR a flow asks for, as it goes to the server: while a run is in
   * progress that MONITOR is also the run's proof that the controller still
   * answers.
   */
  monitorRequest<T extends MonitorRequest>(request: T, tag: string): T {
    return this.active === undefined ? request : this.active.liveness.request(request, tag);
  }

  /** False for a data event that no node asked for (the run's own MONITOR, or one thinned to its user's period). */
  relays(): boolean {
    return this.active === undefined || this.active.liveness.relay();
  }

  /** A STOP is about to go out. */
  stopping(target: StopTarget): void {
    // Written before the STOP goes out, so the init reaches the controller ahead of it.
    if (target !== "monitor") this.active?.abort("stopped");
  }

  /** A STOP was answered (acked or nothing_to_stop): its effects on the server hold now. */
  stopped(target: StopTarget): void {
    // A STOP monitor from a flow ends the user's stream, not the run's proof of life.
    if (target === "monitor" && this.active !== undefined && this.client.state === "ready") {
      this.client.monitor({ url: JOINT_STATES_PATH, period_ms: LIVENESS_PERIOD_MS }, LIVENESS_TAG).catch(() => undefined);
    }
  }

  /** The session is about to close. */
  closing(): void {
    this.active?.abort("session_closed");
  }

  private stateChanged(change: StateChange): void {
    if (change.state !== "ready") this.active?.abort("connection_lost");
  }

  private async runOne(p: TrajectoryRequest): Promise<RunResult> {
    const client = this.client;
    const current = new ActiveRun(client, p.tag, p.stopOnAbort);
    this.active = current;
    let priority: ThreadPriority | undefined;
    // A point or batch the controller refuses (an alarm stopped the arm, a full buffer) leaves a gap in
    // the motion: whatever comes after it must not be played, and the run is not complete.
    const refusedReason: AbortReason = p.mode === "buffered" ? "upload_refused" : "point_refused";
    let refusal: Hi6Error | undefined;
    const refused = (): AbortReason | undefined => (refusal === undefined ? undefined : refusedReason);
    // control_err names no request, and during a run nearly every CONTROL is one of its points: any
    // control_err may be a refused point, so any one ends the run, whichever node's tag it was given.
    const onControlError = (err: Hi6Error): void => {
      if (refusal !== undefined) return;
      refusal = err;
      current.abort(refusedReason);
    };
    client.on("controlError", onControlError);
    try {
      try {
        await current.liveness.begin();
      } catch (err) {
        const e = err instanceof Hi6Error ? err : new Hi6Error("session_error", String(err));
        throw new Hi6Error("liveness_unavailable", `no MONITOR could be armed to watch the controller during the run (${e.code}: ${e.message}); no point was sent`);
      }
      // Only while pacing: the rest of the session's work has no deadline to keep. Raised before
      // the checks below, since it may wait for chrt, and an abort or a drop may come meanwhile.
      priority = await raiseThreadPriority(p.scheduling ?? "nice");
      if (current.early !== undefined) {
        return { sent: 0, total: p.count, aborted: true, reason: current.early, message: ABORT_POLICY[current.early].meaning, stats: new TimingStats(p.dt).summary() };
      }
      if (client.state !== "ready") throw new Hi6Error("not_connected", `the session is ${client.state}; no point was sent`);
      const windowNs = BigInt(p.maxSilenceMs > 0 ? Math.round(p.maxSilenceMs) : silenceWindowMs(p.lookAhead)) * 1_000_000n;
      const plan = { dt: p.dt, jointCount: p.jointCount, count: p.count, points: p.points };
      // After the liveness MONITOR is armed: that MONITOR is what the tracker reads.
      const tracker = new RunTracker(client, plan, {
        tag: p.tag,
        goalToleranceDeg: p.goalToleranceDeg ?? 0,
        goalTimeoutS: p.goalTimeoutS ?? 0,
        lookAhead: p.lookAhead,
        trackRateHz: p.trackRateHz ?? 0,
      }, this.tracking);
      current.tracker = tracker;
      const gate = (now: bigint): AbortReason | undefined => refused() ?? (now - client.lastHeardAt > windowNs ? "controller_silent" : undefined);
      const onProgress = (progress: { sent: number; total: number; p99_us: number }): void => this.progress({ tag: p.tag, ...progress });
      // Buffered mode has no pacer deadlines: the commanded schedule is timed from the first upload,
      // so its lag includes the controller's own start of playback.
      if (p.mode === "buffered") tracker.start(process.hrtime.bigint());
      const gc = new GcWatch();
      let result: RunResult;
      let collections: GcSummary;
      try {
        const run =
          p.mode === "buffered"
            ? startBufferedRun(client, plan, p, windowNs, refused, onProgress)
            : runTrajectory(plan, { write: (line) => client.writeLine(line, p.tag) }, {
                lookAhead: p.lookAhead,
                timeFromStart: p.timeFromStart,
                sendInit: p.sendInit,
                ...(p.initBody !== undefined && { initBody: p.initBody }),
                lateTicks: p.lateTicks,
                marginNs: BigInt(Math.round(p.marginUs * 1000)),
                margin: p.margin ?? "fixed",
                encoder: p.encoder ?? "template",
                gate,
                onProgress,
                onStart: (t0) => tracker.start(t0),
              });
        current.run = run;
        result = await run.done;
      } finally {
        collections = gc.stop();
      }
      Object.assign(result.stats, collections);
      result.stats.scheduling = priority === undefined ? "unknown" : priority.scheduling;
      // The arm is still a look-ahead behind the last point: the run's proof waits for it.
      if (result.reason === undefined) await tracker.settle();
      // Every point was written, and the controller refused one of the last: the arm stopped short.
      if (result.reason === undefined && refusal !== undefined) {
        result.aborted = true;
        result.reason = refusedReason;
      }
      Object.assign(result, tracker.finish(result.reason === undefined));
      if (priority !== undefined) result.stats.thread_nice = priority.nice;
      if (result.reason !== undefined) {
        result.halt = current.halt(result.reason);
        // The controller's reply belongs to the refusal only: a run that ended first for another reason does not carry it.
        result.message = ABORT_POLICY[result.reason].meaning + (result.reason === refusedReason && refusal !== undefined ? ` (${refusal.message})` : "");
      }
      return result;
    } finally {
      client.off("controlError", onControlError);
      // Not awaited: the result is ready now, and the thread gives the priority back on its own.
      void priority?.restore();
      current.tracker?.close();
      this.active = undefined;
      current.liveness.end();
    }
  }
}
