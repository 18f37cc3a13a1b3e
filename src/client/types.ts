/**
 * The public shape of OpenStreamClient: options, states and typed events.
 * The session worker and its main-thread proxy are built against this file.
 */

import type { Hi6Error } from "../protocol/errors";
import type { DataEvent, UnknownEvent } from "../protocol/events";
import type { JsonObject, StopTarget } from "../protocol/recipes";

/**
 * The states users see in a session's status. The connection's transition
 * table (connection-fsm.ts) is the only thing that moves between them, so
 * this list and that table change together. In short: idle → connecting →
 * handshaking → ready; a drop goes to backoff → reconnecting, or to
 * disconnected when reconnect is off; version_mismatch goes to failed and
 * retries only at the slow pace; close() ends in stopped.
 */
export type SessionState = "idle" | "connecting" | "handshaking" | "ready" | "backoff" | "reconnecting" | "disconnected" | "stopped" | "failed";

/** Why an attempt to connect, or a connection, failed. */
export type FailureCause =
  /** The host name did not resolve. */
  | "name_not_resolved"
  /** Nothing listens at the address. */
  | "refused"
  /** No route to the host, or the network timed the attempt out. */
  | "unreachable"
  /** No TCP connection within connectTimeoutMs. */
  | "connect_timeout"
  /** Connected, but HANDSHAKE got no answer in time. */
  | "no_handshake_answer"
  /** The server answered HANDSHAKE with an error or ok: false. */
  | "handshake_rejected"
  /** The server closed the connection before the handshake was done. */
  | "closed_by_peer"
  /** A ready connection dropped. */
  | "connection_lost"
  /** A MONITOR's data stopped while the link stayed open. */
  | "stalled";

export interface ConnectFailure {
  cause: FailureCause;
  /** host:port */
  address: string;
  /** The protocol or package code behind it. */
  code: string;
  message: string;
}

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  factor: number;
  /** Fraction of each delay that is randomised, 0..1. */
  jitter: number;
}

export interface ClientOptions {
  host: string;
  port: number;
  /** Protocol MAJOR sent in HANDSHAKE. Default 1. */
  major?: number;
  /** Reconnect with backoff after a drop. Default true. */
  reconnect?: boolean;
  connectTimeoutMs?: number;
  handshakeTimeoutMs?: number;
  /** How long MONITOR and STOP wait for their ack. Default 2000. */
  ackTimeoutMs?: number;
  backoff?: Partial<BackoffOptions>;
  /** Retry pace after a fatal error such as version_mismatch. Default 60000. */
  fatalRetryMs?: number;
  /** No data for this long while MONITOR is armed means a half-open link. Default max(5000, 20 × period). */
  stallTimeoutMs?: (periodMs: number) => number;
  /** Longest line accepted from the server. Default 1 MiB. */
  maxLineBytes?: number;
  /** Bytes the socket may hold unsent before writes are refused. Default 1 MiB. */
  writeQueueBytes?: number;
  keepAliveMs?: number;
  /**
   * Offered every line that starts as a data event does (DATA_LINE_PREFIX)
   * before it is parsed; returning true takes the line as it is, and the
   * client emits no data event for it (the line still counts as data, and
   * still feeds the stall watchdog). It lets a host parse data on another
   * thread than the one the socket is read on.
   */
  takeDataLine?: (line: string, receivedAt: bigint) => boolean;
}

/** What the client remembers about the active MONITOR, so it can re-arm it. */
export interface MonitorRequest {
  url: string;
  period_ms: number;
  args?: JsonObject;
}

export interface StateChange {
  state: SessionState;
  previous: SessionState;
  /** Server protocol version, once handshaked. */
  version?: string;
  /** Set in backoff and failed: when the next attempt starts. */
  retryInMs?: number;
  /** Why the state changed, when it was an error. */
  error?: Hi6Error;
  /** The typed cause of a failed attempt or a drop, in backoff, disconnected and failed. */
  failure?: ConnectFailure;
}

export interface StopResult {
  target: StopTarget;
  /** The server answered nothing_to_stop instead of stop_ack. */
  nothingToStop: boolean;
  /** Set when the controller did not support the target and STOP session was sent in its place. */
  via?: "session";
}

export interface ClientCounters {
  linesIn: number;
  dataEvents: number;
  garbageLines: number;
  unknownEvents: number;
  oversizeLines: number;
  reconnects: number;
}

/** Typed events of OpenStreamClient. `tag` is whatever the caller passed with its recipe. */
export interface ClientEvents {
  state: [change: StateChange];
  /** `receivedAt` is process.hrtime.bigint() when the chunk holding the line arrived. */
  data: [event: DataEvent, receivedAt: bigint];
  monitorAck: [tag: unknown];
  /** A newer MONITOR replaced the one sent with `tag`. */
  monitorReplaced: [tag: unknown];
  /** The active MONITOR was sent again after a reconnect. */
  monitorRearmed: [tag: unknown];
  /** A control_err or common error attributed to the latest CONTROL sender. */
  controlError: [error: Hi6Error, tag: unknown];
  /** A server error that belongs to no pending recipe. */
  serverError: [error: Hi6Error];
  /** Skipped input and other non-fatal conditions, with a catalogue code. */
  warning: [code: string, message: string];
  unknownEvent: [event: UnknownEvent];
  /** One attempt to connect and handshake failed; the state change that follows carries the same failure. */
  attemptFailed: [failure: ConnectFailure];
}
