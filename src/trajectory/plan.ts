/**
 * A trajectory ready to stream: one flat Float64Array of angles in degrees,
 * row-major, so a whole run crosses into the session worker in one transfer.
 */

import { Hi6Error } from "../protocol/errors";

export interface TrajectoryPlan {
  /** Seconds between points. */
  dt: number;
  jointCount: number;
  count: number;
  /** count × jointCount angles in degrees. */
  points: Float64Array;
}

export function pointAt(plan: TrajectoryPlan, index: number): number[] {
  const from = index * plan.jointCount;
  return Array.from(plan.points.subarray(from, from + plan.jointCount));
}

export function planFromRows(rows: number[][], dt: number): TrajectoryPlan {
  const jointCount = rows[0]?.length ?? 0;
  const points = new Float64Array(rows.length * jointCount);
  rows.forEach((row, i) => points.set(row, i * jointCount));
  return { dt, jointCount, count: rows.length, points };
}

/** Checks that `rows` is a non-empty, rectangular array of finite numbers, and returns it typed. */
export function checkRows(rows: unknown, what = "points"): number[][] {
  if (!Array.isArray(rows) || rows.length === 0) throw new Hi6Error("invalid_trajectory", `${what} must be a non-empty array of joint arrays`);
  const first: unknown = rows[0];
  if (!Array.isArray(first) || first.length === 0) throw new Hi6Error("invalid_trajectory", `${what}[0] must be an array of joint angles`);
  const joints = first.length;
  rows.forEach((row: unknown, i) => {
    if (!Array.isArray(row)) throw new Hi6Error("invalid_trajectory", `${what}[${i}] is not an array`);
    if (row.length !== joints) throw new Hi6Error("joint_count_mismatch", `point ${i} has ${row.length} joints; point 0 has ${joints}`);
    row.forEach((v: unknown, j) => {
      if (typeof v !== "number" || !Number.isFinite(v)) throw new Hi6Error("non_finite_value", `point ${i}, joint ${j + 1}: ${JSON.stringify(v) ?? String(v)} is not a finite number`);
    });
  });
  return rows as number[][];
}
