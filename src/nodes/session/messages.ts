/**
 * Every message that crosses between a session's worker thread and the
 * Node-RED main thread. Both sides are typed from these maps; a worker
 * module that adds a kind of request (a trajectory run, for one) extends
 * WorkerRequests, WorkerCommands and WorkerEvents by declaration merging and
 * registers its handler in the worker's dispatch table.
 */

import type { ClientOptions, ConnectFailure, MonitorRequest, SessionState, StopResult } from "../../client/types";
import { Hi6Error } from "../../protocol/errors";
import type { DataEvent, UnknownEvent } from "../../protocol/events";
import type { ControlPayload, StopTarget } from "../../protocol/recipes";

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

/** workerData: functions cannot cross the thread, so options that are functions stay behind. */
export interface WorkerInit {
  client: Omit<ClientOptions, "stallTimeoutMs">;
  /** The controller's Open API HTTP port, for requests that read state over HTTP. */
  restPort: number;
}

/** What the worker is started with: the session's WorkerInit, and the shared counter its data batches are acknowledged in (data-relay.ts). */
export interface WorkerData extends WorkerInit {
  dataCredit: Int32Array;
}

/** Requests that get exactly one reply, by kind: what goes in and what comes back. */
export interface WorkerRequests {
  monitor: { params: { request: MonitorRequest; tag: string }; result: { periodMs: number; warnings: string[] } };
  stop: { params: { target: StopTarget }; result: StopResult };
  /** Closes the client; the main side terminates the thread after the reply. */
  close: { params: { stopSession: boolean }; result: null };
}

/** Fire-and-forget commands: no reply; a failure comes back as an event. */
export interface WorkerCommands {
  control: { payload: ControlPayload; tag: string };
}

export type RequestKind = keyof WorkerRequests;
export type CommandKind = keyof WorkerCommands;

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

/**
 * The data events of one turn of the worker's loop, in arrival order. The
 * worker has at most a few batches unacknowledged (see data-relay.ts):
 * `dropped` counts the older events it let go while it waited, since the
 * last batch.
 */
export interface DataBatch {
  type: "data";
  items: DataItem[];
  dropped: number;
}

/** The main thread has routed a DataBatch while the worker waited for credit: it may post another. */
export interface DataAck {
  type: "dataAck";
}

/** Events the worker posts without being asked, by name. */
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
}

export type EventName = keyof WorkerEvents;
/** Events that cross one at a time; data goes in batches under credit. */
export type PostedEventName = Exclude<EventName, "data">;

export type ToWorker =
  | { type: "request"; id: number; kind: RequestKind; params: WorkerRequests[RequestKind]["params"] }
  | { type: "command"; kind: CommandKind; params: WorkerCommands[CommandKind] }
  | DataAck;

export type FromWorker =
  | { type: "reply"; id: number; ok: true; value: unknown }
  | { type: "reply"; id: number; ok: false; error: ErrorJson }
  | { type: "event"; name: PostedEventName; payload: WorkerEvents[PostedEventName] }
  | DataBatch;
