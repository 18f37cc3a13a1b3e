/**
 * The insert_point line of each tick, built from a template. Encoding a
 * recipe per point builds a payload object, walks it twice to refuse
 * non-JSON values and stringifies it: a few kilobytes of garbage per tick,
 * which the pacing thread's GC must collect between deadlines. The template
 * is the same line with everything that never changes in a run encoded
 * once; per point only time_from_start and the joint values are written.
 * The result is byte for byte what encodeRecipe gives (a test checks it).
 */

import { Hi6Error } from "../protocol/errors";
import { controlRecipe, encodeRecipe } from "../protocol/recipes";
import { TRAJ_INSERT_POINT_PATH } from "../protocol/openapi";
import { pointAt, TrajectoryPlan } from "./plan";

export interface PointLineOptions {
  lookAhead: number;
  timeFromStart: "elapsed" | "server";
}

/** One point's line through the recipe encoder: the reference the template must match. */
export function insertPointLine(plan: TrajectoryPlan, index: number, o: PointLineOptions): string {
  const tfs = o.timeFromStart === "server" ? -1 : Math.round(index * plan.dt * 1e9) / 1e9;
  return encodeRecipe(
    controlRecipe({
      method: "POST",
      url: TRAJ_INSERT_POINT_PATH,
      body: { interval: plan.dt, time_from_start: tfs, look_ahead_time: o.lookAhead, point: pointAt(plan, index) },
    }),
  );
}

export class PointLineTemplate {
  private readonly head: string;
  private readonly middle: string;

  /** Throws what encodeRecipe would for a dt or look-ahead that is not plain JSON data. */
  constructor(
    private readonly plan: TrajectoryPlan,
    private readonly o: PointLineOptions,
  ) {
    // The constant parts go through the recipe encoder once, so they are refused or encoded exactly as it would.
    const probe = encodeRecipe(
      controlRecipe({ method: "POST", url: TRAJ_INSERT_POINT_PATH, body: { interval: plan.dt, time_from_start: 0, look_ahead_time: o.lookAhead, point: [] } }),
    );
    const tfsAt = probe.indexOf('"time_from_start":') + '"time_from_start":'.length;
    this.head = probe.slice(0, tfsAt);
    this.middle = probe.slice(tfsAt + 1, probe.indexOf('"point":[') + '"point":['.length);
  }

  line(index: number): string {
    const { plan } = this;
    const tfs = this.o.timeFromStart === "server" ? -1 : Math.round(index * plan.dt * 1e9) / 1e9;
    let out = this.head + tfs + this.middle;
    const from = index * plan.jointCount;
    for (let j = 0; j < plan.jointCount; j++) {
      const v = plan.points[from + j]!;
      if (!Number.isFinite(v)) throw new Hi6Error("invalid_body", `body.point[${j}]: ${v} is not a finite number (point ${index})`);
      out += j === 0 ? String(v) : "," + v;
    }
    return out + "]}}}\n";
  }
}
