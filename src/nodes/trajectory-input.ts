/**
 * What a msg asks the trajectory node to do: stop, or build a plan from
 * points, a sine, waypoints or recorded samples. Shapes are checked here; values in the plan
 * builders and pre-flight.
 */

import { Hi6Error } from "../protocol/errors";
import type { JsonObject } from "../protocol/recipes";
import { isJsonObject } from "../protocol/validate";
import type { TrajectoryPlan } from "../trajectory/plan";
import { DT_MAX_S, DT_MIN_S } from "../trajectory/preflight";
import type { PlanWork } from "../trajectory/slices";
import { pointsWork, sineWork } from "../trajectory/sources";
import { samplesWork } from "../trajectory/samples";
import { waypointWork } from "../trajectory/waypoints";
import type { NodeMessage } from "./node-red";

export type TrajectoryInput =
  | { kind: "stop" }
  | { kind: "points"; points: unknown; dt?: unknown }
  | { kind: "sine"; sine: JsonObject; dt?: unknown }
  | { kind: "waypoints"; spec: JsonObject; dt?: unknown }
  | { kind: "samples"; samples: unknown; dt?: unknown };

export type PlanInput = Exclude<TrajectoryInput, { kind: "stop" }>;

export function parseTrajectoryInput(msg: NodeMessage): TrajectoryInput {
  const p = msg.payload;
  if (p === "stop" || msg.topic === "stop") return { kind: "stop" };
  if (Array.isArray(p)) return { kind: "points", points: p };
  if (isJsonObject(p)) {
    if (p.points !== undefined) return { kind: "points", points: p.points, dt: p.dt };
    if (isJsonObject(p.sine)) return { kind: "sine", sine: p.sine, dt: p.dt };
    if (p.waypoints !== undefined) return { kind: "waypoints", spec: p, dt: p.dt };
    if (p.samples !== undefined) return { kind: "samples", samples: p.samples, dt: p.dt };
  }
  throw new Hi6Error("invalid_trajectory", 'msg.payload must be {points}, a number[][] , {sine}, {waypoints}, {samples} or "stop"');
}

/** True when the input cannot be built without the robot's current pose. */
export function needsPose(input: TrajectoryInput): boolean {
  return input.kind === "sine" && input.sine.base === undefined;
}

/** The run's dt: the msg's, else the node's; checked here because it decides how many points a duration makes. */
export function dtOf(input: PlanInput, fallback: number): number {
  const dt = input.dt === undefined ? fallback : input.dt;
  if (typeof dt !== "number" || !Number.isFinite(dt) || dt < DT_MIN_S || dt > DT_MAX_S) {
    throw new Hi6Error("invalid_dt", `dt must be between ${DT_MIN_S} and ${DT_MAX_S} s, not ${JSON.stringify(dt) ?? String(dt)}`);
  }
  return dt;
}

/**
 * The plan for an input as resumable work (see slices.ts). `pose` stands in
 * for a sine's missing base; `robotJoints` is the joint count every plan
 * must have, checked before anything is allocated.
 */
export function planWork(input: PlanInput, dt: number, pose: number[] | undefined, robotJoints: number): PlanWork<TrajectoryPlan> {
  switch (input.kind) {
    case "points":
      return pointsWork(input.points, dt, robotJoints);
    case "sine": {
      const s = input.sine;
      const base = s.base ?? pose;
      const opts = { base: base as number[], amplitude_deg: s.amplitude_deg as number, cycle_sec: s.cycle_sec as number, duration_sec: s.duration_sec as number, dt, robotJoints };
      return sineWork(s.joints === undefined ? opts : { ...opts, joints: s.joints as number });
    }
    case "waypoints": {
      const w = input.spec;
      const opts: Parameters<typeof waypointWork>[0] = { waypoints: w.waypoints as number[][], dt, robotJoints };
      if (w.duration_sec !== undefined) opts.duration_sec = w.duration_sec as number;
      if (w.max_speed !== undefined) opts.max_speed = w.max_speed as number | number[];
      return waypointWork(opts);
    }
    case "samples":
      return samplesWork(input.samples, dt, robotJoints);
  }
}
