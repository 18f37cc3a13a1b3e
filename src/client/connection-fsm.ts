/**
 * The connection's states and every transition between them, in one table.
 * Pure: the client looks a transition up, announces the new state, then runs
 * the row's actions. An event with no row from the current state is ignored,
 * which is how a command that needs no new connection (start() while ready)
 * or a late callback from a connection already given up stays harmless.
 */

import type { SessionState } from "./types";

export type ConnectionEvent =
  /** A command needs the session and none is open or being opened. */
  | "open"
  /** The retry timer fired, or the watchdog closed a connection that followed failed attempts. */
  | "retry"
  /** The server's idle watchdog closed a quiet session: reconnect at once, as a first attempt. */
  | "watchdogClosed"
  /** The TCP connection is up. */
  | "tcpConnected"
  /** The server accepted the HANDSHAKE. */
  | "handshakeDone"
  /** The connection closed or failed, and reconnect is on. */
  | "dropped"
  /** The connection closed or failed, and reconnect is off. */
  | "droppedNoRetry"
  /** The server refused us for good (version_mismatch), and reconnect is on. */
  | "fatal"
  /** The server refused us for good, and reconnect is off. */
  | "fatalNoRetry"
  /** STOP session was acknowledged: the connection is let go until the next command. */
  | "released"
  /** close(): the client is done for good. */
  | "close";

export type ConnectionAction =
  /** Open a new TCP connection. */
  | "dial"
  /** Send HANDSHAKE on the new connection. */
  | "handshake"
  /** Send the stored MONITOR again if this connection has not had it. */
  | "rearmMonitor"
  /** Send the recipes that waited for a ready session. */
  | "pumpAcks"
  /** Start the timer whose end fires "retry". */
  | "scheduleRetry";

export interface Transition {
  from: SessionState;
  event: ConnectionEvent;
  to: SessionState;
  actions: readonly ConnectionAction[];
}

export const SESSION_STATES: readonly SessionState[] = ["idle", "connecting", "handshaking", "ready", "backoff", "reconnecting", "disconnected", "stopped", "failed"];

export const CONNECTION_EVENTS: readonly ConnectionEvent[] = ["open", "retry", "watchdogClosed", "tcpConnected", "handshakeDone", "dropped", "droppedNoRetry", "fatal", "fatalNoRetry", "released", "close"];

const DIAL = ["dial"] as const;
const NONE = [] as const;

export const TRANSITIONS: readonly Transition[] = [
  // A command opens the session; anywhere else one is open, on its way, or will be retried.
  { from: "idle", event: "open", to: "connecting", actions: DIAL },
  { from: "disconnected", event: "open", to: "connecting", actions: DIAL },

  // Any attempt after a failed one is a reconnect, including the slow retry after a fatal refusal.
  { from: "backoff", event: "retry", to: "reconnecting", actions: DIAL },
  { from: "failed", event: "retry", to: "reconnecting", actions: DIAL },
  // The watchdog can speak during a HANDSHAKE that follows failed attempts; that attempt failed too.
  { from: "handshaking", event: "retry", to: "reconnecting", actions: DIAL },

  // The idle watchdog's close is routine: no backoff and no error. Only a connection that reads lines hears it.
  { from: "handshaking", event: "watchdogClosed", to: "connecting", actions: DIAL },
  { from: "ready", event: "watchdogClosed", to: "connecting", actions: DIAL },

  { from: "connecting", event: "tcpConnected", to: "handshaking", actions: ["handshake"] },
  { from: "reconnecting", event: "tcpConnected", to: "handshaking", actions: ["handshake"] },

  { from: "handshaking", event: "handshakeDone", to: "ready", actions: ["rearmMonitor", "pumpAcks"] },

  { from: "connecting", event: "dropped", to: "backoff", actions: ["scheduleRetry"] },
  { from: "reconnecting", event: "dropped", to: "backoff", actions: ["scheduleRetry"] },
  { from: "handshaking", event: "dropped", to: "backoff", actions: ["scheduleRetry"] },
  { from: "ready", event: "dropped", to: "backoff", actions: ["scheduleRetry"] },

  { from: "connecting", event: "droppedNoRetry", to: "disconnected", actions: NONE },
  { from: "reconnecting", event: "droppedNoRetry", to: "disconnected", actions: NONE },
  { from: "handshaking", event: "droppedNoRetry", to: "disconnected", actions: NONE },
  { from: "ready", event: "droppedNoRetry", to: "disconnected", actions: NONE },

  // Only a HANDSHAKE's answer can refuse us for good.
  { from: "handshaking", event: "fatal", to: "failed", actions: ["scheduleRetry"] },
  { from: "handshaking", event: "fatalNoRetry", to: "failed", actions: NONE },

  // Only a ready session can have its STOP session acknowledged.
  { from: "ready", event: "released", to: "idle", actions: NONE },

  { from: "idle", event: "close", to: "stopped", actions: NONE },
  { from: "connecting", event: "close", to: "stopped", actions: NONE },
  { from: "handshaking", event: "close", to: "stopped", actions: NONE },
  { from: "ready", event: "close", to: "stopped", actions: NONE },
  { from: "backoff", event: "close", to: "stopped", actions: NONE },
  { from: "reconnecting", event: "close", to: "stopped", actions: NONE },
  { from: "disconnected", event: "close", to: "stopped", actions: NONE },
  { from: "failed", event: "close", to: "stopped", actions: NONE },
];

const byKey = new Map<string, Transition>(TRANSITIONS.map((t) => [`${t.from} ${t.event}`, t]));

/** The row for `event` in `state`, or undefined when the table ignores that event there. */
export function transition(state: SessionState, event: ConnectionEvent): Transition | undefined {
  return byKey.get(`${state} ${event}`);
}
