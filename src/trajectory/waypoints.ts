/**
 * Waypoints: a few poses joined by quintic time scaling, so that speed and
 * acceleration are zero at every waypoint and the motion has no jerk spikes.
 * Low-code users give three poses instead of thousands of points.
 */

import { Hi6Error } from "../protocol/errors";
import { checkJointCount, checkPlanLength, checkRowsWork, TrajectoryPlan } from "./plan";
import { CHUNK_POINTS, PlanWork, runAtOnce } from "./slices";

export interface WaypointOptions {
  waypoints: number[][];
  /** Total time for the whole path, shared by segments in proportion to their largest joint move. */
  duration_sec?: number;
  /** Peak joint speed in deg/s, one for all joints or one per joint; each segment is timed to respect it. */
  max_speed?: number | number[];
  dt: number;
  /** The robot's joint count, when known: waypoints of another length are refused before anything is built. */
  robotJoints?: number;
}

/** s(τ) = 10τ³ − 15τ⁴ + 6τ⁵: position 0→1 with zero speed and acceleration at both ends. */
export function quintic(tau: number): number {
  const t = Math.min(1, Math.max(0, tau));
  return t * t * t * (10 + t * (-15 + 6 * t));
}

/** The quintic's peak speed is 1.875 × (distance / duration). */
export const QUINTIC_PEAK_SPEED_FACTOR = 1.875;

function segmentDurations(rows: number[][], o: WaypointOptions): number[] {
  const n = rows[0]!.length;
  const moves = rows.slice(1).map((row, s) => row.map((q, j) => Math.abs(q - rows[s]![j]!)));
  if (o.duration_sec !== undefined) {
    const total = o.duration_sec;
    if (typeof total !== "number" || !Number.isFinite(total) || total <= 0) throw new Hi6Error("invalid_trajectory", "duration_sec must be a positive number");
    const largest = moves.map((m) => Math.max(...m));
    const sum = largest.reduce((a, b) => a + b, 0);
    return sum === 0 ? largest.map(() => total / largest.length) : largest.map((d) => (total * d) / sum);
  }
  if (o.max_speed !== undefined) {
    const limits = Array.isArray(o.max_speed) ? o.max_speed : new Array<number>(n).fill(o.max_speed);
    if (limits.length !== n || !limits.every((v) => typeof v === "number" && Number.isFinite(v) && v > 0)) {
      throw new Hi6Error("invalid_trajectory", `max_speed must be a positive number or ${n} positive numbers (deg/s)`);
    }
    return moves.map((m) => Math.max(...m.map((d, j) => (QUINTIC_PEAK_SPEED_FACTOR * d) / limits[j]!)));
  }
  throw new Hi6Error("invalid_trajectory", "waypoints need duration_sec or max_speed");
}

export function* waypointWork(o: WaypointOptions): PlanWork<TrajectoryPlan> {
  const rows = yield* checkRowsWork(o.waypoints, "waypoints");
  if (rows.length < 2) throw new Hi6Error("invalid_trajectory", "give at least two waypoints");
  const dt = o.dt;
  if (typeof dt !== "number" || !(dt > 0)) throw new Hi6Error("invalid_dt", "dt must be a positive number");
  const durations = segmentDurations(rows, o);
  const n = rows[0]!.length;
  checkJointCount(n, o.robotJoints);
  const ends: number[] = [];
  let total = 0;
  for (const d of durations) ends.push((total += d));
  const count = Math.max(2, Math.ceil(total / dt - 1e-9) + 1);
  checkPlanLength(count, () => `${Number(total.toPrecision(6))} s of waypoints / dt ${dt}`);
  const points = new Float64Array(count * n);
  let seg = 0;
  for (let k = 0; k < count; k++) {
    const t = Math.min(total, k * dt);
    while (seg < durations.length - 1 && t > ends[seg]!) seg++;
    const start = seg === 0 ? 0 : ends[seg - 1]!;
    const d = durations[seg]!;
    const s = k === count - 1 ? 1 : d > 0 ? quintic((t - start) / d) : 1;
    const a = rows[seg]!;
    const b = rows[seg + 1]!;
    for (let j = 0; j < n; j++) points[k * n + j] = a[j]! + (b[j]! - a[j]!) * s;
    if ((k + 1) % CHUNK_POINTS === 0) yield;
  }
  return { dt, jointCount: n, count, points };
}

export function waypointPlan(o: WaypointOptions): TrajectoryPlan {
  return runAtOnce(waypointWork(o));
}
