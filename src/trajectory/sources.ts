/**
 * Where points come from: an explicit list, or a sine around a base pose.
 * Shape errors are reported with the point and joint they concern.
 */

import { Hi6Error } from "../protocol/errors";
import { checkRows, planFromRows, TrajectoryPlan } from "./plan";

function positive(name: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isFinite(v) || v <= 0) throw new Hi6Error("invalid_trajectory", `${name} must be a positive number, not ${JSON.stringify(v)}`);
  return v;
}

export function planFromPoints(points: unknown, dt: number): TrajectoryPlan {
  return planFromRows(checkRows(points), dt);
}

export interface SineOptions {
  base: number[];
  amplitude_deg: number;
  cycle_sec: number;
  duration_sec: number;
  /** How many joints, from the first, move; the rest hold the base. Default all. */
  joints?: number;
  dt: number;
}

/** Point k at t = k·dt: base + A·sin(2πt / cycle) on the moving joints. */
export function sinePlan(o: SineOptions): TrajectoryPlan {
  const base = checkRows([o.base], "base")[0]!;
  const amplitude = o.amplitude_deg;
  if (typeof amplitude !== "number" || !Number.isFinite(amplitude)) throw new Hi6Error("invalid_trajectory", "amplitude_deg must be a finite number");
  const cycle = positive("cycle_sec", o.cycle_sec);
  const duration = positive("duration_sec", o.duration_sec);
  const dt = positive("dt", o.dt);
  const moving = o.joints ?? base.length;
  if (!Number.isInteger(moving) || moving < 0 || moving > base.length) throw new Hi6Error("invalid_trajectory", `joints must be an integer from 0 to ${base.length}`);
  const count = Math.floor(duration / dt + 1e-9) + 1;
  const n = base.length;
  const points = new Float64Array(count * n);
  const omega = (2 * Math.PI) / cycle;
  for (let k = 0; k < count; k++) {
    const offset = amplitude * Math.sin(omega * k * dt);
    for (let j = 0; j < n; j++) points[k * n + j] = j < moving ? base[j]! + offset : base[j]!;
  }
  return { dt, jointCount: n, count, points };
}
