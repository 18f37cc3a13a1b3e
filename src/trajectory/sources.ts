/**
 * Where points come from: an explicit list, or a sine around a base pose.
 * Shape errors are reported with the point and joint they concern. Each
 * source knows how many points it will make before it allocates them, and
 * refuses a plan that is too long (trajectory_too_long) or of another joint
 * count than the robot's first.
 */

import { Hi6Error } from "../protocol/errors";
import { checkJointCount, checkPlanLength, checkRows, checkRowsWork, planFromRowsWork, TrajectoryPlan } from "./plan";
import { CHUNK_POINTS, PlanWork, runAtOnce } from "./slices";

function positive(name: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isFinite(v) || v <= 0) throw new Hi6Error("invalid_trajectory", `${name} must be a positive number, not ${JSON.stringify(v)}`);
  return v;
}

export function* pointsWork(points: unknown, dt: number, robotJoints?: number): PlanWork<TrajectoryPlan> {
  const rows = yield* checkRowsWork(points);
  checkJointCount(rows[0]!.length, robotJoints);
  return yield* planFromRowsWork(rows, dt);
}

export function planFromPoints(points: unknown, dt: number, robotJoints?: number): TrajectoryPlan {
  return runAtOnce(pointsWork(points, dt, robotJoints));
}

export interface SineOptions {
  base: number[];
  amplitude_deg: number;
  cycle_sec: number;
  duration_sec: number;
  /** How many joints, from the first, move; the rest hold the base. Default all. */
  joints?: number;
  dt: number;
  /** The robot's joint count, when known: a base of another length is refused before anything is built. */
  robotJoints?: number;
}

/** Points in a sine of `duration` s at `dt`: one at t = 0 and one per dt after it. */
export function sinePointCount(duration: number, dt: number): number {
  return Math.floor(duration / dt + 1e-9) + 1;
}

/** Point k at t = k·dt: base + A·sin(2πt / cycle) on the moving joints. */
export function* sineWork(o: SineOptions): PlanWork<TrajectoryPlan> {
  const amplitude = o.amplitude_deg;
  if (typeof amplitude !== "number" || !Number.isFinite(amplitude)) throw new Hi6Error("invalid_trajectory", "amplitude_deg must be a finite number");
  const cycle = positive("cycle_sec", o.cycle_sec);
  const duration = positive("duration_sec", o.duration_sec);
  const dt = positive("dt", o.dt);
  const count = sinePointCount(duration, dt);
  checkPlanLength(count, () => `duration_sec ${duration} / dt ${dt}`);
  const base = checkRows([o.base], "base")[0]!;
  checkJointCount(base.length, o.robotJoints);
  const moving = o.joints ?? base.length;
  if (!Number.isInteger(moving) || moving < 0 || moving > base.length) throw new Hi6Error("invalid_trajectory", `joints must be an integer from 0 to ${base.length}`);
  const n = base.length;
  const points = new Float64Array(count * n);
  const omega = (2 * Math.PI) / cycle;
  for (let k = 0; k < count; k++) {
    const offset = amplitude * Math.sin(omega * k * dt);
    for (let j = 0; j < n; j++) points[k * n + j] = j < moving ? base[j]! + offset : base[j]!;
    if ((k + 1) % CHUNK_POINTS === 0) yield;
  }
  return { dt, jointCount: n, count, points };
}

export function sinePlan(o: SineOptions): TrajectoryPlan {
  return runAtOnce(sineWork(o));
}
