/**
 * Pre-flight: the whole trajectory is checked before its first point is
 * written, so a bad run sends nothing. Each failure names the point, the
 * joint and the code.
 */

import { Hi6Error } from "../protocol/errors";
import { checkPlanLength, TrajectoryPlan } from "./plan";
import { CHUNK_POINTS, PlanWork, runAtOnce } from "./slices";

export const DT_MIN_S = 0.001;
export const DT_MAX_S = 1;
export const DEFAULT_START_TOLERANCE_DEG = 5;
/**
 * deg/s. HD Hyundai does not publish one speed for all its arms; the
 * slowest main axes it publishes for an arm driven by Hi6 are HX400's
 * 85 deg/s (J1 to J3); small arms' main axes run 180 to 410 deg/s (HH020,
 * HH7). 60 deg/s stays under the slowest of them with a margin, so a
 * default flow can move none of them at its full speed.
 */
export const DEFAULT_MAX_SPEED_DEG_S = 60;
/**
 * deg/s². Joint acceleration limits are not published for these arms, so
 * the default follows from the speed default: 300 deg/s² brings a joint from
 * rest to 60 deg/s in 0.2 s. It passes the vendor example's own sine
 * (5 deg, 1 s cycle: about 200 deg/s²) and refuses a reversal or kink at
 * speed, which shows up as thousands of deg/s² in one dt.
 */
export const DEFAULT_MAX_ACCEL_DEG_S2 = 300;

export interface PreflightOptions {
  /** The robot's joint count, when known. */
  jointCount?: number;
  /** deg/s between consecutive points, for every joint; 0 = off. Default DEFAULT_MAX_SPEED_DEG_S. */
  maxSpeed?: number;
  /**
   * deg/s² across three consecutive points (their second difference over
   * dt²), for every joint; 0 = off. Default DEFAULT_MAX_ACCEL_DEG_S2.
   */
  maxAccel?: number;
  /** The robot's pose now, in degrees, when known. */
  currentPose?: number[];
  /** How far the first point may be from the current pose, in degrees; 0 = off. */
  startToleranceDeg?: number;
}

/** Room for rounding in the points themselves, so a plan exactly at a limit passes. */
const SLACK = 1e-9;

function limit(value: number | undefined, fallback: number, name: string): number {
  const v = value ?? fallback;
  if (typeof v !== "number" || Number.isNaN(v) || v < 0) throw new Hi6Error("invalid_config", `${name} must be 0 (off) or a positive number, not ${String(v)}`);
  return v;
}

/**
 * The checks as resumable work, for plans large enough to be checked in
 * slices. Speed is the first difference of consecutive points; acceleration
 * the second difference of three, so it starts at point 2: the step from
 * rest into the first points and the stop after the last are not counted,
 * because the plan cannot know how the controller blends into and out of
 * it, and a sine starts at its full slope by design. Those steps are bounded
 * by maxSpeed, and the gap from the pose to point 0 by startTolerance.
 */
export function* preflightWork(plan: TrajectoryPlan, o: PreflightOptions = {}): PlanWork<void> {
  const { dt, jointCount: n, count, points } = plan;
  if (typeof dt !== "number" || !Number.isFinite(dt) || dt < DT_MIN_S || dt > DT_MAX_S) {
    throw new Hi6Error("invalid_dt", `dt must be between ${DT_MIN_S} and ${DT_MAX_S} s, not ${String(dt)}`);
  }
  if (count < 1 || n < 1 || points.length !== count * n) throw new Hi6Error("invalid_trajectory", "the trajectory has no points");
  checkPlanLength(count, () => "as given");
  if (o.jointCount !== undefined && n !== o.jointCount) {
    throw new Hi6Error("joint_count_mismatch", `point 0 has ${n} joints; the robot has ${o.jointCount}`);
  }
  const maxSpeed = limit(o.maxSpeed, DEFAULT_MAX_SPEED_DEG_S, "maxSpeed");
  const maxAccel = limit(o.maxAccel, DEFAULT_MAX_ACCEL_DEG_S2, "maxAccel");
  const pose = o.currentPose;
  const tolerance = o.startToleranceDeg ?? DEFAULT_START_TOLERANCE_DEG;
  if (pose && tolerance > 0) {
    for (let j = 0; j < Math.min(n, pose.length); j++) {
      const gap = Math.abs(points[j]! - pose[j]!);
      if (!(gap <= tolerance)) {
        throw new Hi6Error("start_pose_far", `point 0, joint ${j + 1}: ${points[j]} deg is ${gap.toFixed(2)} deg from the current ${pose[j]} deg (tolerance ${tolerance} deg)`);
      }
    }
  }
  const maxStep = maxSpeed * dt + SLACK;
  const maxBend = maxAccel * dt * dt + SLACK;
  for (let k = 0; k < count; k++) {
    const row = k * n;
    for (let j = 0; j < n; j++) {
      const q = points[row + j]!;
      if (!Number.isFinite(q)) throw new Hi6Error("non_finite_value", `point ${k}, joint ${j + 1}: ${q} is not a finite number`);
      if (k === 0) continue;
      const back = points[row - n + j]!;
      if (maxSpeed > 0 && Math.abs(q - back) > maxStep) {
        throw new Hi6Error("max_speed_exceeded", `point ${k}, joint ${j + 1}: ${(Math.abs(q - back) / dt).toFixed(1)} deg/s is over maxSpeed ${maxSpeed} deg/s`);
      }
      if (k === 1 || maxAccel === 0) continue;
      const bend = Math.abs(q - 2 * back + points[row - 2 * n + j]!);
      if (bend > maxBend) {
        throw new Hi6Error("max_accel_exceeded", `point ${k}, joint ${j + 1}: ${(bend / (dt * dt)).toFixed(1)} deg/s² is over maxAccel ${maxAccel} deg/s²`);
      }
    }
    if ((k + 1) % CHUNK_POINTS === 0) yield;
  }
}

export function preflight(plan: TrajectoryPlan, o: PreflightOptions = {}): void {
  runAtOnce(preflightWork(plan, o));
}
