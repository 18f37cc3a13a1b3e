/**
 * Every message that crosses between a session's worker thread and the
 * Node-RED main thread: ToWorker one way, FromWorker the other. The set is
 * closed, so each direction is one union that the worker's and the proxy's
 * switches check for exhaustiveness; a new kind that one side forgets does
 * not compile.
 */

import type { ClientEvents, ClientOptions, ConnectFailure, SessionState, StopResult } from "../../client/types";
import { Hi6Error } from "../../protocol/errors";
import type { DataEvent, UnknownEvent } from "../../protocol/events";
import type { ControlPayload, MonitorPayload, StopTarget } from "../../protocol/recipes";
import type { Checked } from "../../protocol/validate";
import type { AbortReason } from "../../trajectory/abort";
import type { RunResult } from "../../trajectory/runner";
import type { DataBatching } from "./data-relay";
import type { PacingScheduling } from "./thread-priority";
import type { TrackingSample } from "./run-tracker";

/** Hi6Error as it crosses the thread: the shape of Hi6Error.toJSON(). */
export type ErrorJson = ReturnType<Hi6Error["toJSON"]>;

export function errorFromJson(json: ErrorJson): Hi6Error {
  const extra: { status?: number; body?: unknown; hint?: string } = {};
  if (json.status !== undefined) extra.status = json.status;
  if (json.body !== undefined) extra.body = json.body;
  if (json.hint !== undefined) extra.hint = json.hint;
  return new Hi6Error(json.code, json.message, extra);
}

/** Any thrown value as an ErrorJson, so that a bug in the worker still reaches the node as text. */
export function errorToJson(err: unknown): ErrorJson {
  if (err instanceof Hi6Error) return err.toJSON();
  const message = err instanceof Error ? err.message : String(err);
  return { code: "session_error", message };
}

/** What a session worker is started for; functions cannot cross the thread, so options that are functions stay behind. */
export interface WorkerInit {
  client: Omit<ClientOptions, "stallTimeoutMs" | "takeDataLine">;
  /**
   * How data crosses to the main thread (data-relay.ts): one batch per turn
   * unless asked, each event parsed in the worker unless `parse` is "main",
   * which sends data lines as text for the main thread to parse.
   */
  relay?: { batching?: DataBatching; parse?: "worker" | "main" };
}

/** workerData: the session's WorkerInit, and the shared counter its data batches are acknowledged in (data-relay.ts). */
export interface WorkerData extends WorkerInit {
  dataCredit: Int32Array;
}

export interface TrajectoryRequest {
  /** The plan's points: transferred, not copied, into the worker. */
  points: Float64Array;
  dt: number;
  jointCount: number;
  count: number;
  lookAhead: number;
  timeFromStart: "elapsed" | "server";
  sendInit: boolean;
  stopOnAbort: boolean;
  /** What a point due later than the look-ahead does: abort the run, or catch up. */
  lateTicks: "abort" | "catch_up";
  /** ms without a word from the controller that end the run; 0 = automatic (silenceWindowMs). */
  maxSilenceMs: number;
  marginUs: number;
  /** "adaptive": the spin margin starts at marginUs and follows the oversleeps the thread sees. Default "fixed". */
  margin?: "fixed" | "adaptive";
  /**
   * The pacing thread's scheduling while the run lasts (thread-priority.ts).
   * Default "nice". "fifo" (SCHED_FIFO, falling back to nice) is kept to be
   * measured: with it, the example trajectories in the end-to-end tests on
   * Node.js 24 ended with controller_silent, which is not understood yet.
   */
  scheduling?: PacingScheduling;
  /** How each point's line is built (trajectory/point-line.ts). Default "template". */
  encoder?: "template" | "recipe";
  tag: string;
  /** deg; the final pose must be this close to the last point (goal_tolerance_violated); 0 = no check. Absent = 0. */
  goalToleranceDeg?: number;
  /** s after the look-ahead the arm has to come within the goal tolerance. */
  goalTimeoutS?: number;
  /** Tracking feed samples per second (trajectoryTracking); 0 = no feed. Absent = 0. */
  trackRateHz?: number;
  /** stream: one insert_point per dt from the pacer; buffered: insert_points batches metered by the controller's buffer. Default stream. */
  mode?: "stream" | "buffered";
  /** Body of joint_traject_init: {} unless agility options are set. */
  initBody?: { agility_mode?: boolean; agility_freq?: number };
  /** The controller's Open API, where buffered mode reads the buffer level. */
  openApi?: { host: string; port: number };
}

/** Requests get exactly one reply: what goes in, and what the reply carries. */
export interface WorkerRequests {
  monitor: { params: { request: Checked<MonitorPayload>; tag: string }; result: { periodMs: number } };
  stop: { params: { target: StopTarget }; result: StopResult };
  /** Closes the client; the main side terminates the thread after the reply. */
  close: { params: { stopSession: boolean }; result: null };
  trajectory: { params: TrajectoryRequest; result: RunResult };
}

export type RequestKind = keyof WorkerRequests;

/** One request as it crosses, typed by its kind; `id` pairs it with its reply. */
export type Request<K extends RequestKind = RequestKind> = {
  [P in K]: { type: P; id: number; params: WorkerRequests[P]["params"] };
}[K];

/**
 * Commands get no reply: CONTROL has no ack to wait for (a failure comes
 * back as a controlError event), and an abort is answered by the run's own
 * reply.
 */
export type Command =
  | { type: "control"; payload: Checked<ControlPayload>; tag: string }
  | { type: "abortTrajectory"; reason: AbortReason; tag: string };

/** The main thread has routed a DataBatch while the worker waited for credit: it may post another. */
export interface DataAck {
  type: "dataAck";
}

export type ToWorker = Request | Command | DataAck;

export interface StateJson {
  state: SessionState;
  previous: SessionState;
  version?: string;
  retryInMs?: number;
  error?: ErrorJson;
  failure?: ConnectFailure;
}

/** One data event as it crosses the thread. */
export interface DataItem {
  event: DataEvent;
  /** process.hrtime.bigint() in the worker when the line's chunk arrived; the clock is shared by all threads. */
  receivedAt: bigint;
}

/** A data line the worker did not parse (relay parse "main"): the main thread parses it. */
export interface DataLineItem {
  line: string;
  receivedAt: bigint;
}

/**
 * The data events of one turn of the worker's loop, in arrival order. The
 * worker has at most a few batches unacknowledged (see data-relay.ts):
 * `dropped` counts the older events it let go while it waited, since the
 * last batch.
 */
export interface DataBatch {
  type: "data";
  items: (DataItem | DataLineItem)[];
  dropped: number;
}

/**
 * The client events the worker relays to the main thread, and the names the
 * main thread subscribes to. A client event is relayed by naming it here and
 * giving its payload in WorkerEvents; the compiler then asks for its
 * conversion in the worker and its case in the proxy.
 */
export const RELAYED_EVENTS = [
  "state",
  "data",
  "monitorAck",
  "monitorReplaced",
  "monitorRearmed",
  "controlError",
  "serverError",
  "warning",
  "unknownEvent",
] as const satisfies readonly (keyof ClientEvents)[];

export type RelayedEvent = (typeof RELAYED_EVENTS)[number];

/** A failed attempt reaches the main thread as the state change that follows it, which carries the same failure. */
type KeptInWorker = "attemptFailed";

/** Every event the main thread hears from a session: the relayed client events, and those of a trajectory run. */
export const SESSION_EVENTS = [...RELAYED_EVENTS, "trajectoryProgress", "trajectoryTracking"] as const;

export type EventName = (typeof SESSION_EVENTS)[number];

/** The payload of each event as it crosses the thread. */
export interface WorkerEvents {
  state: StateJson;
  /**
   * Data crosses in DataBatch messages, never as a lone event; the proxy
   * emits each event of a batch on its own, and the first one carries the
   * batch's `dropped` (the rest carry 0), so the drops are counted once.
   */
  data: DataItem & { dropped: number };
  monitorAck: { tag: unknown };
  monitorReplaced: { tag: unknown };
  monitorRearmed: { tag: unknown };
  controlError: { error: ErrorJson; tag: unknown };
  serverError: { error: ErrorJson };
  warning: { code: string; message: string };
  unknownEvent: { event: UnknownEvent };
  trajectoryProgress: { tag: string; sent: number; total: number; p99_us: number };
  trajectoryTracking: TrackingSample;
}

type Unplaced = Exclude<keyof ClientEvents, RelayedEvent | KeptInWorker> | Exclude<keyof WorkerEvents, EventName>;

/**
 * Compiles only while every client event is relayed or kept in the worker,
 * and every payload above belongs to a listed event, so neither list can
 * fall behind the client or the other.
 */
export const EVERY_EVENT_PLACED: [Unplaced] extends [never] ? true : Unplaced = true;

/** The events whose payload names the recipe's tag: they belong to the user who sent that recipe. */
type TaggedByPayload = { [K in EventName]: WorkerEvents[K] extends { tag: unknown } ? K : never }[EventName];

/**
 * The tagged events, which only the user whose tag they carry hears; every
 * other event reaches every user of the session (data goes to the MONITOR's
 * owner). Compiles only while this list is exactly the events whose payload
 * has a `tag`.
 */
export const TAGGED_EVENTS = ["monitorAck", "monitorReplaced", "monitorRearmed", "controlError", "trajectoryProgress", "trajectoryTracking"] as const satisfies readonly TaggedByPayload[];

type Untagged = Exclude<TaggedByPayload, (typeof TAGGED_EVENTS)[number]>;
export const EVERY_TAGGED_EVENT_LISTED: [Untagged] extends [never] ? true : Untagged = true;

/** Events that cross one at a time; data goes in batches under credit. */
export type PostedEventName = Exclude<EventName, "data">;

export type PostedEvent = { [K in PostedEventName]: { type: K; payload: WorkerEvents[K] } }[PostedEventName];

export type Reply = { type: "reply"; id: number; ok: true; value: WorkerRequests[RequestKind]["result"] } | { type: "reply"; id: number; ok: false; error: ErrorJson };

export type FromWorker = Reply | PostedEvent | DataBatch;
