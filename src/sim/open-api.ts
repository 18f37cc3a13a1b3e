/**
 * The subset of the Hi6 Open API the simulator serves. One router answers
 * plain HTTP requests and the REST calls that MONITOR and CONTROL make.
 */

import {
  JOINT_STATES_PATH,
  RGEN_PATH,
  TRAJ_BUF_AVAIL_PATH,
  TRAJ_INIT_PATH,
  TRAJ_INSERT_POINT_PATH,
  TRAJ_INSERT_POINTS_PATH,
} from "../protocol/openapi";
import { isJsonObject } from "../protocol/validate";
import { VirtualRobot } from "./robot";

export interface RestReply {
  status: number;
  /** Absent when the reply has no body. */
  body?: unknown;
}

export const MAX_INSERT_POINTS = 2048;

/**
 * Result codes of `joint_traject_insert_points`, as this simulator returns
 * them in `{result}` with HTTP 400. 0 is success.
 */
export const INSERT_POINTS_RESULT = {
  ok: 0,
  bodyNotObject: -2,
  pointsMissing: -3,
  pointsEmpty: -4,
  tooManyPoints: -5,
  pointNotArray: -6,
  jointCountMismatch: -7,
  nonFiniteValue: -8,
  invalidInterval: -9,
  invalidLookAhead: -10,
  bufferFull: -11,
  notPlayback: -12,
  internal: -13,
} as const;

type Handler = (args: Record<string, unknown>, body: unknown) => RestReply;

function finiteNumbers(v: unknown, length: number): v is number[] {
  return Array.isArray(v) && v.length === length && v.every((x) => typeof x === "number" && Number.isFinite(x));
}

function intArg(args: Record<string, unknown>, key: string, fallback: number): number {
  const raw = args[key];
  const n = typeof raw === "string" ? Number(raw) : raw;
  return typeof n === "number" && Number.isInteger(n) ? n : fallback;
}

export class OpenApi {
  private readonly routes = new Map<string, Map<string, Handler>>();

  constructor(readonly robot: VirtualRobot) {
    this.route("GET", JOINT_STATES_PATH, (args) => {
      const s = robot.jointStates(intArg(args, "jno_start", 1), intArg(args, "jno_n", robot.jointCount));
      return { status: 200, body: { _type: "JObject", ...s } };
    });
    this.route("GET", TRAJ_BUF_AVAIL_PATH, () => ({ status: 200, body: { val: robot.bufferAvailable } }));
    this.route("GET", RGEN_PATH, () => ({ status: 200, body: { is_playback: true } }));
    this.route("POST", TRAJ_INIT_PATH, () => {
      robot.initTrajectory();
      return { status: 200 };
    });
    this.route("POST", TRAJ_INSERT_POINT_PATH, (_args, body) => this.insertPoint(body));
    this.route("POST", TRAJ_INSERT_POINTS_PATH, (_args, body) => this.insertPoints(body));
  }

  private route(method: string, path: string, handler: Handler): void {
    let byMethod = this.routes.get(path);
    if (!byMethod) this.routes.set(path, (byMethod = new Map()));
    byMethod.set(method, handler);
  }

  handle(method: string, path: string, args: Record<string, unknown> = {}, body?: unknown): RestReply {
    const byMethod = this.routes.get(path);
    if (!byMethod) return { status: 404, body: { error: "not_found", path } };
    const handler = byMethod.get(method);
    if (!handler) return { status: 405, body: { error: "method_not_allowed", allowed: [...byMethod.keys()] } };
    return handler(args, body);
  }

  private insertPoint(body: unknown): RestReply {
    if (!isJsonObject(body)) return { status: 400, body: { error: "body must be an object" } };
    const { point, interval, time_from_start: tfs, look_ahead_time: lookAhead } = body;
    if (!finiteNumbers(point, this.robot.jointCount)) {
      return { status: 400, body: { error: `point must hold ${this.robot.jointCount} finite numbers (degrees)` } };
    }
    if (typeof interval !== "number" || !(interval > 0)) return { status: 400, body: { error: "interval must be a positive number" } };
    const t = typeof tfs === "number" && Number.isFinite(tfs) ? tfs : -1;
    const la = typeof lookAhead === "number" && lookAhead >= 0 ? lookAhead : 0;
    if (!this.robot.insertPoint(point, t, interval, la)) return { status: 503, body: { error: "trajectory buffer full" } };
    return { status: 200 };
  }

  private insertPoints(body: unknown): RestReply {
    const R = INSERT_POINTS_RESULT;
    const fail = (result: number, message: string): RestReply => ({ status: 400, body: { result, message } });
    if (!isJsonObject(body)) return fail(R.bodyNotObject, "body must be an object");
    const { points, interval, look_ahead_time: lookAhead } = body;
    if (!Array.isArray(points)) return fail(R.pointsMissing, "points must be an array");
    if (points.length === 0) return fail(R.pointsEmpty, "points is empty");
    if (points.length > MAX_INSERT_POINTS) return fail(R.tooManyPoints, `at most ${MAX_INSERT_POINTS} points`);
    const dt = interval === undefined ? 0.002 : interval;
    if (typeof dt !== "number" || !(dt > 0)) return fail(R.invalidInterval, "interval must be a positive number");
    const la = lookAhead === undefined ? 0 : lookAhead;
    if (typeof la !== "number" || !(la >= 0)) return fail(R.invalidLookAhead, "look_ahead_time must be 0 or more");
    for (let i = 0; i < points.length; i++) {
      const p: unknown = points[i];
      if (!Array.isArray(p)) return fail(R.pointNotArray, `point ${i} is not an array`);
      if (p.length !== this.robot.jointCount) return fail(R.jointCountMismatch, `point ${i} has ${p.length} joints`);
      if (!finiteNumbers(p, this.robot.jointCount)) return fail(R.nonFiniteValue, `point ${i} holds a value that is not finite`);
    }
    if (this.robot.bufferAvailable < points.length) return fail(R.bufferFull, "trajectory buffer full");
    for (const p of points as number[][]) this.robot.insertPoint(p.map((rad) => (rad * 180) / Math.PI), -1, dt, la);
    return { status: 200, body: { result: R.ok } };
  }
}
