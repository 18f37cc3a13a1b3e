/**
 * Pre-flight: the whole trajectory is checked before its first point is
 * written, so a bad run sends nothing. Each failure names the point, the
 * joint and the code.
 */

import { Hi6Error } from "../protocol/errors";
import { TrajectoryPlan } from "./plan";

export const DT_MIN_S = 0.001;
export const DT_MAX_S = 1;
export const DEFAULT_START_TOLERANCE_DEG = 5;

export interface PreflightOptions {
  /** The robot's joint count, when known. */
  jointCount?: number;
  /** deg/s between consecutive points, for every joint; 0 or absent = off. */
  maxSpeed?: number;
  /** The robot's pose now, in degrees, when known. */
  currentPose?: number[];
  /** How far the first point may be from the current pose, in degrees; 0 = off. */
  startToleranceDeg?: number;
}

export function preflight(plan: TrajectoryPlan, o: PreflightOptions = {}): void {
  const { dt, jointCount: n, count, points } = plan;
  if (typeof dt !== "number" || !Number.isFinite(dt) || dt < DT_MIN_S || dt > DT_MAX_S) {
    throw new Hi6Error("invalid_dt", `dt must be between ${DT_MIN_S} and ${DT_MAX_S} s, not ${String(dt)}`);
  }
  if (count < 1 || n < 1 || points.length !== count * n) throw new Hi6Error("invalid_trajectory", "the trajectory has no points");
  if (o.jointCount !== undefined && n !== o.jointCount) {
    throw new Hi6Error("joint_count_mismatch", `point 0 has ${n} joints; the robot has ${o.jointCount}`);
  }
  for (let i = 0; i < points.length; i++) {
    if (!Number.isFinite(points[i]!)) {
      throw new Hi6Error("non_finite_value", `point ${Math.floor(i / n)}, joint ${(i % n) + 1}: ${points[i]} is not a finite number`);
    }
  }
  const maxSpeed = o.maxSpeed ?? 0;
  if (maxSpeed > 0) {
    const maxStep = maxSpeed * dt;
    for (let k = 1; k < count; k++) {
      for (let j = 0; j < n; j++) {
        const step = Math.abs(points[k * n + j]! - points[(k - 1) * n + j]!);
        if (step > maxStep + 1e-9) {
          throw new Hi6Error("max_speed_exceeded", `point ${k}, joint ${j + 1}: ${(step / dt).toFixed(1)} deg/s is over maxSpeed ${maxSpeed} deg/s`);
        }
      }
    }
  }
  const pose = o.currentPose;
  const tolerance = o.startToleranceDeg ?? DEFAULT_START_TOLERANCE_DEG;
  if (pose && tolerance > 0) {
    for (let j = 0; j < Math.min(n, pose.length); j++) {
      const gap = Math.abs(points[j]! - pose[j]!);
      if (gap > tolerance) {
        throw new Hi6Error("start_pose_far", `point 0, joint ${j + 1}: ${points[j]} deg is ${gap.toFixed(2)} deg from the current ${pose[j]} deg (tolerance ${tolerance} deg)`);
      }
    }
  }
}
