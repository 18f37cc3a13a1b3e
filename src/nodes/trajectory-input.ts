/**
 * What a msg asks the trajectory node to do: stop, or build a plan from
 * points, a sine or waypoints. Shapes are checked here; values in the plan
 * builders and pre-flight.
 */

import { Hi6Error } from "../protocol/errors";
import type { JsonObject } from "../protocol/recipes";
import { isJsonObject } from "../protocol/validate";
import type { TrajectoryPlan } from "../trajectory/plan";
import { planFromPoints, sinePlan } from "../trajectory/sources";
import { waypointPlan } from "../trajectory/waypoints";
import type { NodeMessage } from "./node-red";

export type TrajectoryInput =
  | { kind: "stop" }
  | { kind: "points"; points: unknown; dt?: unknown }
  | { kind: "sine"; sine: JsonObject; dt?: unknown }
  | { kind: "waypoints"; spec: JsonObject; dt?: unknown };

export function parseTrajectoryInput(msg: NodeMessage): TrajectoryInput {
  const p = msg.payload;
  if (p === "stop" || msg.topic === "stop") return { kind: "stop" };
  if (Array.isArray(p)) return { kind: "points", points: p };
  if (isJsonObject(p)) {
    if (p.points !== undefined) return { kind: "points", points: p.points, dt: p.dt };
    if (isJsonObject(p.sine)) return { kind: "sine", sine: p.sine, dt: p.dt };
    if (p.waypoints !== undefined) return { kind: "waypoints", spec: p, dt: p.dt };
  }
  throw new Hi6Error("invalid_trajectory", 'msg.payload must be {points}, a number[][] , {sine}, {waypoints} or "stop"');
}

/** True when the input cannot be built without the robot's current pose. */
export function needsPose(input: TrajectoryInput): boolean {
  return input.kind === "sine" && input.sine.base === undefined;
}

function dtOf(input: Exclude<TrajectoryInput, { kind: "stop" }>, fallback: number): number {
  if (input.dt === undefined) return fallback;
  if (typeof input.dt !== "number" || !Number.isFinite(input.dt)) throw new Hi6Error("invalid_dt", `dt must be a number of seconds, not ${JSON.stringify(input.dt)}`);
  return input.dt;
}

export function buildPlan(input: Exclude<TrajectoryInput, { kind: "stop" }>, configDt: number, pose: number[] | undefined): TrajectoryPlan {
  const dt = dtOf(input, configDt);
  switch (input.kind) {
    case "points":
      return planFromPoints(input.points, dt);
    case "sine": {
      const s = input.sine;
      const base = s.base ?? pose;
      const opts = { base: base as number[], amplitude_deg: s.amplitude_deg as number, cycle_sec: s.cycle_sec as number, duration_sec: s.duration_sec as number, dt };
      return sinePlan(s.joints === undefined ? opts : { ...opts, joints: s.joints as number });
    }
    case "waypoints": {
      const w = input.spec;
      const opts: Parameters<typeof waypointPlan>[0] = { waypoints: w.waypoints as number[][], dt };
      if (w.duration_sec !== undefined) opts.duration_sec = w.duration_sec as number;
      if (w.max_speed !== undefined) opts.max_speed = w.max_speed as number | number[];
      return waypointPlan(opts);
    }
  }
}
