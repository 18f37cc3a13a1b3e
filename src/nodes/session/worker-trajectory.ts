/**
 * Trajectory runs inside the session worker, next to the socket: the pacer
 * writes each point with client.writeLine, so no point waits on Node-RED's
 * event loop. One run per session at a time; a run ends at once on abort,
 * STOP control or session, connection loss or close, and is never resumed.
 */

import type { StateChange } from "../../client/types";
import { Hi6Error } from "../../protocol/errors";
import { runTrajectory, TrajectoryRun } from "../../trajectory/runner";
import { raiseThreadPriority } from "./thread-priority";
import { handleCommand, handleRequest } from "./worker-dispatch";
import "./trajectory-messages";

let active: { run: TrajectoryRun; tag: string } | undefined;

/** Reasons that already stopped the control stream, or left no connection to stop it on. */
const NO_STOP_NEEDED = new Set(["stopped", "connection_lost", "closed"]);

handleRequest("trajectory", async (ctx, p) => {
  if (active !== undefined) throw new Hi6Error("trajectory_busy", "a trajectory is already running on this session");
  if (ctx.client.state !== "ready") throw new Hi6Error("not_connected", `the session is ${ctx.client.state}; no point was sent`);
  const plan = { dt: p.dt, jointCount: p.jointCount, count: p.count, points: p.points };
  // Only while pacing: the rest of the session's work has no deadline to keep.
  const priority = raiseThreadPriority();
  const run = runTrajectory(plan, { write: (line) => ctx.client.writeLine(line, p.tag) }, {
    lookAhead: p.lookAhead,
    timeFromStart: p.timeFromStart,
    sendInit: p.sendInit,
    marginNs: BigInt(Math.round(p.marginUs * 1000)),
    onProgress: (progress) => ctx.emit("trajectoryProgress", { tag: p.tag, ...progress }),
  });
  active = { run, tag: p.tag };
  const onState = (change: StateChange): void => {
    if (change.state !== "ready") run.abort("connection_lost");
  };
  const onStopping = (target: string): void => {
    if (target !== "monitor") run.abort("stopped");
  };
  const onClosing = (): void => run.abort("closed");
  ctx.client.on("state", onState);
  ctx.lifecycle.on("stopping", onStopping);
  ctx.lifecycle.on("closing", onClosing);
  try {
    const result = await run.done;
    if (priority !== undefined) result.stats.thread_nice = priority.nice;
    if (result.aborted && p.stopOnAbort && !NO_STOP_NEEDED.has(result.reason ?? "") && ctx.client.state === "ready") {
      await ctx.client.stop("control").catch(() => undefined);
    }
    return result;
  } finally {
    priority?.restore();
    ctx.client.off("state", onState);
    ctx.lifecycle.off("stopping", onStopping);
    ctx.lifecycle.off("closing", onClosing);
    active = undefined;
  }
});

handleCommand("abortTrajectory", (_ctx, { reason, tag }) => {
  if (active !== undefined && active.tag === tag) active.run.abort(reason);
});
