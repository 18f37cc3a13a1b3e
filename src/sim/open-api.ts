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
import { ALARMS, Alarm, VirtualRobot } from "./robot";
import type { Readings } from "./readings";
import type { FaultOptions } from "./session-output";

export interface RestReply {
  status: number;
  /** Absent when the reply has no body. */
  body?: unknown;
}

export const MAX_INSERT_POINTS = 2048;
/** The agility frequency's range for joint_traject_init. */
export const AGILITY_FREQ_MAX = 500;

/**
 * `err_code` of a refused `joint_traject_insert_points`, answered with
 * HTTP 403, as the public Open API documents them.
 */
export const INSERT_POINTS_ERR = {
  jointNamesMissing: -2,
  jointNamesInvalid: -3,
  pointsMissing: -4,
  pointsNotObject: -5,
  tooFewPoints: -6,
  tooManyPoints: -7,
  pointsExceedBuffer: -8,
  pointNotObject: -9,
  positionsMissing: -10,
  positionsInvalid: -11,
  timeMissing: -12,
  timeInvalid: -13,
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

  /** `readings` is read at each request, so a change of readings applies at once. */
  constructor(
    readonly robot: VirtualRobot,
    private readonly readings: Readings = {},
    private readonly faults: FaultOptions = {},
  ) {
    this.route("GET", JOINT_STATES_PATH, (args) => {
      const s = robot.jointStates(intArg(args, "jno_start", 1), intArg(args, "jno_n", robot.jointCount));
      return { status: 200, body: { _type: "JObject", ...s } };
    });
    this.route("GET", TRAJ_BUF_AVAIL_PATH, () =>
      this.faults.bufAvailFails ? { status: 500, body: { error: "internal" } } : { status: 200, body: { _type: "JObject", val: robot.bufferAvailable } },
    );
    this.route("GET", RGEN_PATH, () =>
      this.readings.rgen === "absent" ? { status: 404, body: { error: "not_found", path: RGEN_PATH } } : { status: 200, body: { _type: "JObject", is_playback: this.playing } },
    );
    this.route("POST", TRAJ_INIT_PATH, (_args, body) => this.init(body));
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

  private get playing(): boolean {
    return this.readings.playback !== "stopped";
  }

  /** Why the arm takes no point now: no program playing back, or an alarm that stopped it. */
  private refusal(): RestReply | undefined {
    const alarm: Alarm | undefined = !this.playing ? ALARMS.notPlayback : this.robot.alarm;
    return alarm === undefined ? undefined : { status: 403, body: { alarm: alarm.code, message: alarm.text } };
  }

  private init(body: unknown): RestReply {
    const b = body === undefined || body === null ? {} : body;
    if (!isJsonObject(b)) return { status: 400, body: { err_msg: "the body must be an object" } };
    const agility: { agility_mode?: boolean; agility_freq?: number } = {};
    for (const key of Object.keys(b)) {
      if (key !== "agility_mode" && key !== "agility_freq") return { status: 400, body: { err_msg: `unknown key ${key}` } };
      if (this.readings.agility === "unsupported") return { status: 400, body: { err_msg: `${key} needs controller version 70.04-00 or later` } };
    }
    if (b.agility_mode !== undefined) {
      if (typeof b.agility_mode !== "boolean") return { status: 400, body: { err_msg: "agility_mode must be true or false" } };
      agility.agility_mode = b.agility_mode;
    }
    if (b.agility_freq !== undefined) {
      const f = b.agility_freq;
      if (typeof f !== "number" || !Number.isInteger(f) || f < 0 || f > AGILITY_FREQ_MAX) return { status: 400, body: { err_msg: `agility_freq must be a whole number from 0 to ${AGILITY_FREQ_MAX}` } };
      agility.agility_freq = f;
    }
    this.robot.initTrajectory(agility);
    return { status: 200 };
  }

  private insertPoint(body: unknown): RestReply {
    if (!isJsonObject(body)) return { status: 400, body: { error: "body must be an object" } };
    const { point, interval, time_from_start: tfs, look_ahead_time: lookAhead } = body;
    if (!finiteNumbers(point, this.robot.jointCount)) {
      return { status: 400, body: { error: `point must hold ${this.robot.jointCount} finite numbers (degrees)` } };
    }
    if (typeof interval !== "number" || !(interval > 0)) return { status: 400, body: { error: "interval must be a positive number" } };
    const refused = this.refusal();
    if (refused) return refused;
    const t = typeof tfs === "number" && Number.isFinite(tfs) ? tfs : -1;
    const la = typeof lookAhead === "number" && lookAhead >= 0 ? lookAhead : 0;
    if (!this.robot.insertPoint(point, t, interval, la)) return { status: 403, body: { err_code: INSERT_POINTS_ERR.pointsExceedBuffer, message: "the trajectory buffer is full" } };
    return { status: 200 };
  }

  /** `joint_traject_insert_points`: checked in the order of the documented err_codes, then queued whole or not at all. */
  private insertPoints(body: unknown): RestReply {
    const E = INSERT_POINTS_ERR;
    const fail = (err_code: number, message: string): RestReply => ({ status: 403, body: { err_code, message } });
    const n = this.robot.jointCount;
    const b = isJsonObject(body) ? body : {};
    const names = b.joint_names;
    if (names === undefined) return fail(E.jointNamesMissing, "joint_names is missing");
    if (!Array.isArray(names) || names.length !== n || names.some((name, i) => name !== `j${i + 1}`)) {
      return fail(E.jointNamesInvalid, `joint_names must be ${JSON.stringify(Array.from({ length: n }, (_, i) => `j${i + 1}`))}, in that order`);
    }
    const points = b.points;
    if (points === undefined) return fail(E.pointsMissing, "points is missing");
    if (!isJsonObject(points)) return fail(E.pointsNotObject, "points must be an object keyed point_1, point_2, ...");
    const count = Object.keys(points).length;
    if (count < 2) return fail(E.tooFewPoints, "a trajectory needs at least 2 points");
    if (count > MAX_INSERT_POINTS) return fail(E.tooManyPoints, `at most ${MAX_INSERT_POINTS} points per request`);
    if (count > this.robot.bufferAvailable) return fail(E.pointsExceedBuffer, `${count} points, and the buffer has room for ${this.robot.bufferAvailable}`);
    const degrees: number[][] = [];
    const times: number[] = [];
    let previous = this.robot.lastTimeFromStart;
    for (let k = 1; k <= count; k++) {
      const p = points[`point_${k}`];
      if (!isJsonObject(p)) return fail(E.pointNotObject, `point_${k} is not an object`);
      if (p.positions === undefined) return fail(E.positionsMissing, `point_${k} has no positions`);
      if (!finiteNumbers(p.positions, n)) return fail(E.positionsInvalid, `point_${k}.positions must be ${n} numbers (radians)`);
      const t = p.time_from_start;
      if (t === undefined) return fail(E.timeMissing, `point_${k} has no time_from_start`);
      if (typeof t !== "number" || !Number.isFinite(t) || t < 0 || (previous !== undefined && !(t > previous))) {
        return fail(E.timeInvalid, `point_${k}.time_from_start must be a number of 0 or more, after the point before it`);
      }
      previous = t;
      degrees.push(p.positions.map((rad) => (rad * 180) / Math.PI));
      times.push(t);
    }
    const refused = this.refusal();
    if (refused) return refused;
    this.robot.insertPoints(degrees, times);
    return { status: 200, body: { _type: "JObject" } };
  }
}
