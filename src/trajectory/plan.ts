/**
 * A trajectory ready to stream: one flat Float64Array of angles in degrees,
 * row-major, so a whole run crosses into the session worker in one transfer.
 */

import { Hi6Error } from "../protocol/errors";
import { CHUNK_POINTS, PlanWork, runAtOnce } from "./slices";

export interface TrajectoryPlan {
  /** Seconds between points. */
  dt: number;
  jointCount: number;
  count: number;
  /** count × jointCount angles in degrees. */
  points: Float64Array;
}

/**
 * Most points in one plan. A six-joint plan of this size is 48 MB of
 * Float64Array (count × joints × 8 bytes), built and checked in about a
 * second of sliced work, and streams for 33 minutes at dt = 2 ms (17 at
 * 1 ms): longer than one motion should run without a flow deciding again,
 * and small enough that a plan stays well inside the package's memory bound.
 */
export const MAX_PLAN_POINTS = 1_000_000;

/** 1000000 as "1,000,000"; toLocaleString would load the ICU data on its first call, tens of ms of a flow's time. */
function grouped(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+$)/g, ",");
}

/** Refuses a plan of `count` points (NaN and Infinity included) before anything is allocated for it; `why` says where the count comes from. */
export function checkPlanLength(count: number, why: () => string): void {
  if (count <= MAX_PLAN_POINTS) return;
  const shown = Number.isSafeInteger(count) ? grouped(count) : "too many";
  throw new Hi6Error("trajectory_too_long", `the trajectory would have ${shown} points (${why()}); a plan holds at most ${grouped(MAX_PLAN_POINTS)}: split it into several runs`);
}

/** Refuses a plan of another joint count than the robot's before it is built. */
export function checkJointCount(jointCount: number, robotJoints: number | undefined): void {
  if (robotJoints !== undefined && jointCount !== robotJoints) {
    throw new Hi6Error("joint_count_mismatch", `point 0 has ${jointCount} joints; the robot has ${robotJoints}`);
  }
}

export function pointAt(plan: TrajectoryPlan, index: number): number[] {
  const from = index * plan.jointCount;
  return Array.from(plan.points.subarray(from, from + plan.jointCount));
}

export function* planFromRowsWork(rows: number[][], dt: number): PlanWork<TrajectoryPlan> {
  checkPlanLength(rows.length, () => "one per row");
  const jointCount = rows[0]?.length ?? 0;
  const points = new Float64Array(rows.length * jointCount);
  for (let i = 0; i < rows.length; i++) {
    points.set(rows[i]!, i * jointCount);
    if ((i + 1) % CHUNK_POINTS === 0) yield;
  }
  return { dt, jointCount, count: rows.length, points };
}

export function planFromRows(rows: number[][], dt: number): TrajectoryPlan {
  return runAtOnce(planFromRowsWork(rows, dt));
}

/** Checks that `rows` is a non-empty, rectangular array of finite numbers, and returns it typed. */
export function* checkRowsWork(rows: unknown, what = "points"): PlanWork<number[][]> {
  if (!Array.isArray(rows) || rows.length === 0) throw new Hi6Error("invalid_trajectory", `${what} must be a non-empty array of joint arrays`);
  // The length is all it takes to refuse a list that is too long: nothing in it is read.
  checkPlanLength(rows.length, () => `${what} has ${grouped(rows.length)} entries`);
  const first: unknown = rows[0];
  if (!Array.isArray(first) || first.length === 0) throw new Hi6Error("invalid_trajectory", `${what}[0] must be an array of joint angles`);
  const joints = first.length;
  for (let i = 0; i < rows.length; i++) {
    const row: unknown = rows[i];
    if (!Array.isArray(row)) throw new Hi6Error("invalid_trajectory", `${what}[${i}] is not an array`);
    if (row.length !== joints) throw new Hi6Error("joint_count_mismatch", `point ${i} has ${row.length} joints; point 0 has ${joints}`);
    for (let j = 0; j < joints; j++) {
      const v: unknown = row[j];
      if (typeof v !== "number" || !Number.isFinite(v)) throw new Hi6Error("non_finite_value", `point ${i}, joint ${j + 1}: ${JSON.stringify(v) ?? String(v)} is not a finite number`);
    }
    if ((i + 1) % CHUNK_POINTS === 0) yield;
  }
  return rows as number[][];
}

export function checkRows(rows: unknown, what = "points"): number[][] {
  return runAtOnce(checkRowsWork(rows, what));
}
