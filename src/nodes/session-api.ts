/**
 * The hi6-session config node's API for the nodes that use it, in the
 * manner of Node-RED's mqtt-broker: register/deregister, the recipes, and
 * event subscriptions that end when the user deregisters.
 */

import type { StateChange, StopResult } from "../client/types";
import type { ControlPayload, MonitorPayload, StopTarget } from "../protocol/recipes";
import type { Checked } from "../protocol/validate";
import type { Node, NodeAPI } from "./node-red";
import { StatusLine, view } from "./status";
import { Hi6Error } from "../protocol/errors";
import { attachError, errorText, flowError } from "./node-errors";
import type { SessionEvents } from "./session/proxy";
import type { TrajectoryRequest } from "./session/messages";
import type { AbortReason } from "../trajectory/abort";
import type { RunResult } from "../trajectory/runner";

/** Session events, plus `stopped`: a STOP was acked (or found nothing) and its local effects apply. */
export type SessionNodeEvents = SessionEvents & { stopped: { target: StopTarget } };
export type SessionEventName = keyof SessionNodeEvents;

/** What the session needs from a node that uses it. */
export type SessionUser = Pick<Node, "id" | "status">;

export interface SessionApi {
  readonly type: "hi6-session";
  /** Starts the session on the first user; shows the session state on the user. */
  register(user: SessionUser): void;
  /**
   * Removes the user and its subscriptions. The last one out closes the
   * session when it was `removed` (deleted); a user only restarted by a
   * deploy leaves the link up for its next instance.
   */
  deregister(user: SessionUser, done: () => void, removed?: boolean): void;
  /**
   * Events for this user. Tagged events (monitorAck, monitorReplaced,
   * monitorRearmed, controlError) and data reach only the user whose recipe
   * they belong to; the rest reach every subscriber.
   */
  onEvent<K extends SessionEventName>(user: SessionUser, name: K, listener: (payload: SessionNodeEvents[K]) => void): void;
  /** Starts the user's MONITOR with a request validated where it entered (validateMonitorPayload). */
  monitor(user: SessionUser, request: Checked<MonitorPayload>): Promise<{ periodMs: number }>;
  /** Throws Hi6Error on invalid input; otherwise the CONTROL goes out without waiting. */
  control(user: SessionUser, payload: ControlPayload): void;
  stop(user: SessionUser, target: StopTarget): Promise<StopResult>;
  /** Runs a trajectory in the session worker; its points are transferred, not copied. */
  trajectory(user: SessionUser, request: Omit<TrajectoryRequest, "tag">): Promise<RunResult>;
  /** Aborts this user's run, if it has one; nothing is written after it. */
  abortTrajectory(user: SessionUser, reason: AbortReason): void;
  /** The robot's joint positions now, in degrees, read over the controller's Open API HTTP port. */
  readPose(): Promise<number[]>;
  /** Whether a program is playing back on the controller, over its Open API (GET /project/rgen); "absent" on a 404. */
  readPlayback(): Promise<"playing" | "stopped" | "absent">;
  /** The latest state change, once the session has started. */
  readonly state: StateChange | undefined;
  /** The MAJOR this session sends, for messages that name it. */
  readonly major: number;
}

export function isSessionNode(node: unknown): node is SessionApi {
  const n = node as Partial<SessionApi> | null;
  return typeof n === "object" && n !== null && n.type === "hi6-session" && typeof n.register === "function";
}

/** The session a node's `session` property names, or undefined when it is missing or not a hi6-session. */
export function findSession(RED: NodeAPI, id: unknown): SessionApi | undefined {
  if (typeof id !== "string" || id === "") return undefined;
  const node = RED.nodes.getNode(id);
  return isSessionNode(node) ? node : undefined;
}

/**
 * The session a node's config names. Without one the node shows "not
 * connected", says why once in the log, and refuses every msg with
 * invalid_config, so a Catch node hears of each msg that went nowhere.
 */
export function sessionFor(RED: NodeAPI, id: unknown, line: StatusLine, node: Node): SessionApi | undefined {
  const session = findSession(RED, id);
  if (session !== undefined) return session;
  line.show(view("red", "ring", "node-red:common.status.not-connected"));
  const err = new Hi6Error("invalid_config", RED._("hi6-session.errors.noSession"));
  node.error(errorText(err));
  node.on("input", (msg, _send, done) => {
    attachError(msg, err);
    done(flowError(err));
  });
  return undefined;
}
