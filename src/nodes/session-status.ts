/**
 * What each session state looks like on the nodes that use the session:
 * yellow ring while connecting or handshaking, green dot when ready, red
 * ring when disconnected or waiting to retry, red dot when fatal. A failed
 * attempt names its cause in a word (the log says the rest, see
 * session-warnings.ts).
 */

import type { FailureCause, StateChange } from "../client/types";
import { StatusView, view } from "./status";

/** The status key of each failure cause while the session waits to retry. */
export const CAUSE_STATUS: { readonly [C in FailureCause]: string } = {
  name_not_resolved: "hi6-session.status.noHost",
  refused: "hi6-session.status.refused",
  unreachable: "hi6-session.status.unreachable",
  connect_timeout: "hi6-session.status.timeout",
  no_handshake_answer: "hi6-session.status.timeout",
  handshake_rejected: "hi6-session.status.rejected",
  closed_by_peer: "hi6-session.status.hungUp",
  connection_lost: "hi6-session.status.lost",
  stalled: "hi6-session.status.stalled",
};

/** The server's version named in a version_mismatch, when the server gave one. */
export function serverVersion(change: StateChange): string | undefined {
  if (change.version !== undefined) return change.version;
  const text = `${change.error?.message ?? ""} ${change.error?.hint ?? ""}`;
  // The client's own major is in the text too: only a number the server claims counts.
  const m = /\bversion\s+v?(\d+\.\d+(?:\.\d+)?)/i.exec(text) ?? /\bserver\s+(?:major\s+|version\s+)?v?(\d+(?:\.\d+){0,2})\b/i.exec(text);
  return m?.[1];
}

export function sessionStateView(change: StateChange, major: number): StatusView {
  switch (change.state) {
    case "idle":
    case "connecting":
    case "reconnecting":
      return view("yellow", "ring", "node-red:common.status.connecting");
    case "handshaking":
      return view("yellow", "ring", "hi6-session.status.handshaking");
    case "ready":
      return view("green", "dot", "hi6-session.status.ready", { version: change.version ?? "?" });
    case "backoff": {
      if (change.retryInMs === undefined) return view("red", "ring", "node-red:common.status.disconnected");
      const seconds = Math.max(1, Math.ceil(change.retryInMs / 1000));
      if (change.error?.code === "busy_session_active") return view("red", "ring", "hi6-session.status.busy", { seconds });
      if (change.error?.code === "stall_detected") return view("red", "ring", CAUSE_STATUS.stalled, { seconds });
      if (change.failure !== undefined) return view("red", "ring", CAUSE_STATUS[change.failure.cause], { seconds });
      return view("red", "ring", "hi6-session.status.retrying", { seconds });
    }
    case "disconnected":
      return view("red", "ring", "node-red:common.status.disconnected");
    case "failed":
      if (change.error?.code === "version_mismatch") {
        return view("red", "dot", "hi6-session.status.versionMismatch", { client: String(major), server: serverVersion(change) ?? "?" });
      }
      return view("red", "dot", "hi6-session.status.failed", { code: change.error?.code ?? "failed" });
    case "stopped":
      if (change.error !== undefined && change.error.code !== "session_closed") return view("red", "ring", "node-red:common.status.disconnected");
      return view("grey", "ring", "hi6-session.status.closed");
  }
}
