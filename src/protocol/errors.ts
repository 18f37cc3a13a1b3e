/**
 * The error catalogue: every code the Open Stream server can send, plus the
 * codes this package raises on its own side. Each entry says what the code
 * means, whether the session survives it, and what the client does about it,
 * so that nodes can show one clear sentence and the code.
 */

export type Severity = "recoverable" | "fatal";

/** What the client does when it meets the code. */
export type ClientAction =
  /** Report it to whoever sent the recipe; the session carries on. */
  | "report"
  /** Drop the socket and reconnect with backoff. */
  | "reconnect"
  /** The server is closing the session itself: reconnect quietly once it has. */
  | "await_close"
  /** Handshake again; a recipe sent before the handshake is reported. */
  | "rehandshake"
  /** Send STOP and try again once. */
  | "stop_and_retry"
  /** This controller does not take the STOP's target: STOP session instead, reconnect, re-arm what still runs. */
  | "stop_session_instead"
  /** Stop fast retries; retry only at the slow fatal pace. */
  | "stop_retrying"
  /** Benign; log at most a warning. */
  | "ignore";

/** The recipes whose answer a server code can be; see `recipes` below. */
export type RecipeKind = "handshake" | "monitor" | "control" | "stop";

export interface ErrorInfo {
  readonly code: string;
  readonly meaning: string;
  readonly severity: Severity;
  readonly action: ClientAction;
  /** HTTP status the manual pairs with the code, where it gives one. */
  readonly httpStatus?: number;
  /** True for codes raised by this package rather than by the server. */
  readonly local?: boolean;
  /**
   * The recipes whose tables in the manual list the code. Events carry no
   * request id, so this is what tells a CONTROL's error from the answer to a
   * MONITOR awaiting its ack. Absent: any recipe can draw it.
   */
  readonly recipes?: readonly RecipeKind[];
  /** The code concerns the session as a whole: when no recipe awaits it, it is never one CONTROL sender's. */
  readonly session?: true;
}

const HS: readonly RecipeKind[] = ["handshake"];
const MON: readonly RecipeKind[] = ["monitor"];
const CTL: readonly RecipeKind[] = ["control"];
const STP: readonly RecipeKind[] = ["stop"];
const MON_CTL: readonly RecipeKind[] = ["monitor", "control"];

const entries: ErrorInfo[] = [
  // Protocol and session errors.
  { code: "invalid_ndjson", meaning: "The server could not parse a line as one JSON object.", severity: "recoverable", action: "report", session: true },
  { code: "rx_buf_overflow", meaning: "The server's receive buffer overflowed: a line was too long or came in too large a burst.", severity: "recoverable", action: "report", session: true },
  { code: "handshake_required", meaning: "A recipe was sent before HANDSHAKE succeeded.", severity: "recoverable", action: "rehandshake", httpStatus: 412, session: true },
  { code: "version_mismatch", meaning: "The protocol MAJOR version differs between client and server.", severity: "fatal", action: "stop_retrying", httpStatus: 400, recipes: HS },
  { code: "busy_session_active", meaning: "HANDSHAKE met a session that already has an active MONITOR or CONTROL.", severity: "recoverable", action: "reconnect", httpStatus: 409, recipes: HS },
  { code: "session_timeout", meaning: "The server's watchdog closed an idle or stalled session.", severity: "recoverable", action: "await_close", recipes: [], session: true },
  // Command and payload validation errors.
  { code: "invalid_cmd", meaning: "The recipe's cmd is not one the server supports.", severity: "recoverable", action: "report" },
  { code: "invalid_payload", meaning: "The recipe's payload is not a JSON object.", severity: "recoverable", action: "report" },
  { code: "missing_field", meaning: "A required field is missing.", severity: "recoverable", action: "report" },
  { code: "invalid_type", meaning: "A field has the wrong type.", severity: "recoverable", action: "report" },
  { code: "invalid_value", meaning: "A field's value is outside the allowed values.", severity: "recoverable", action: "report" },
  // HANDSHAKE.
  { code: "missing_major", meaning: "HANDSHAKE has no major.", severity: "recoverable", action: "report", httpStatus: 400, recipes: HS },
  { code: "invalid_major_type", meaning: "HANDSHAKE major is not an integer.", severity: "recoverable", action: "report", httpStatus: 400, recipes: HS },
  { code: "invalid_version", meaning: "HANDSHAKE major is negative.", severity: "recoverable", action: "report", httpStatus: 400, recipes: HS },
  { code: "handshake_rejected", meaning: "The server rejected HANDSHAKE in the session's current state.", severity: "recoverable", action: "reconnect", recipes: HS },
  // MONITOR.
  { code: "missing_url", meaning: "The recipe has no url.", severity: "recoverable", action: "report", httpStatus: 400, recipes: MON_CTL },
  { code: "invalid_url", meaning: "The url must be a string that starts with / and has no spaces.", severity: "recoverable", action: "report", httpStatus: 400, recipes: MON_CTL },
  { code: "url_too_long", meaning: "A MONITOR url is longer than 2048 characters.", severity: "recoverable", action: "report", httpStatus: 400, recipes: MON },
  { code: "missing_method", meaning: "The recipe has no method.", severity: "recoverable", action: "report", httpStatus: 400, recipes: MON_CTL },
  { code: "invalid_method", meaning: "The method is not allowed here: MONITOR takes GET, CONTROL takes POST, PUT or DELETE.", severity: "recoverable", action: "report", httpStatus: 400, recipes: MON_CTL },
  { code: "missing_period_ms", meaning: "MONITOR has no period_ms.", severity: "recoverable", action: "report", httpStatus: 400, recipes: MON },
  { code: "invalid_period", meaning: "MONITOR period_ms is not an integer, or lies outside what the server accepts.", severity: "recoverable", action: "report", httpStatus: 400, recipes: MON },
  { code: "invalid_args", meaning: "args must be a JSON object of plain JSON data.", severity: "recoverable", action: "report", httpStatus: 400, recipes: MON_CTL },
  { code: "monitor_already_active", meaning: "A MONITOR is already active on this session.", severity: "recoverable", action: "stop_and_retry", recipes: MON },
  { code: "monitor_internal_error", meaning: "The server failed to call the monitored REST service.", severity: "recoverable", action: "report", recipes: MON },
  // CONTROL.
  { code: "control_err", meaning: "The CONTROL's REST call failed with an HTTP error status.", severity: "recoverable", action: "report", recipes: CTL },
  { code: "invalid_body", meaning: "The CONTROL body must be a JSON object or array of plain JSON data: no NaN, Infinity, Map, Buffer, Date or the like.", severity: "recoverable", action: "report", httpStatus: 400, recipes: CTL },
  { code: "method_not_allowed", meaning: "The REST path does not accept this method.", severity: "recoverable", action: "report", recipes: CTL },
  { code: "control_busy", meaning: "CONTROL is unavailable: another control is active.", severity: "recoverable", action: "report", recipes: CTL },
  // STOP.
  { code: "missing_target", meaning: "STOP has no target.", severity: "recoverable", action: "report", httpStatus: 400, recipes: STP },
  // The client never sends a target outside the three, so from a server it means the target is unsupported there.
  { code: "invalid_target", meaning: "The STOP target must be session, control or monitor, and the controller must support it.", severity: "recoverable", action: "stop_session_instead", httpStatus: 400, recipes: STP },
  { code: "nothing_to_stop", meaning: "There was nothing to stop.", severity: "recoverable", action: "ignore", recipes: STP },
  { code: "stop_failed", meaning: "The server failed to clean up; reconnecting is recommended.", severity: "recoverable", action: "reconnect", recipes: STP },

  // Raised by this package.
  { code: "line_too_long", meaning: "The server sent more than the line limit (this package's own, 1 MiB by default; the manual sets none) without a newline; the line was dropped.", severity: "recoverable", action: "report", local: true },
  { code: "garbage_line", meaning: "The server sent a line that is not a JSON object; it was skipped.", severity: "recoverable", action: "ignore", local: true },
  { code: "handshake_timeout", meaning: "The server did not answer HANDSHAKE in time.", severity: "recoverable", action: "reconnect", local: true },
  { code: "ack_timeout", meaning: "The server did not acknowledge the recipe in time.", severity: "recoverable", action: "report", local: true },
  { code: "stall_detected", meaning: "MONITOR is armed but no data arrived for too long; the connection is treated as half-open.", severity: "recoverable", action: "reconnect", local: true },
  { code: "connection_lost", meaning: "The TCP connection closed or failed.", severity: "recoverable", action: "reconnect", local: true },
  { code: "not_connected", meaning: "The session is not ready: it is connecting, retrying or closed.", severity: "recoverable", action: "report", local: true },
  { code: "write_queue_full", meaning: "The server is not reading fast enough and the bounded write queue is full.", severity: "recoverable", action: "report", local: true },
  { code: "session_closed", meaning: "The session was closed.", severity: "recoverable", action: "report", local: true },
  { code: "invalid_config", meaning: "The node's configuration is invalid.", severity: "fatal", action: "report", local: true },
  { code: "rest_failed", meaning: "The HTTP request to the controller's Open API failed.", severity: "recoverable", action: "report", local: true },
  // Trajectory pre-flight and run control.
  { code: "invalid_trajectory", meaning: "The trajectory input is not one the node understands.", severity: "recoverable", action: "report", local: true },
  { code: "invalid_dt", meaning: "dt must be between 0.001 and 1 s.", severity: "recoverable", action: "report", local: true },
  { code: "joint_count_mismatch", meaning: "A point does not have one value per robot joint.", severity: "recoverable", action: "report", local: true },
  { code: "non_finite_value", meaning: "A point holds a value that is not a finite number.", severity: "recoverable", action: "report", local: true },
  { code: "max_speed_exceeded", meaning: "A joint would move faster than maxSpeed between two points.", severity: "recoverable", action: "report", local: true },
  { code: "start_pose_far", meaning: "The first point is too far from the robot's current pose.", severity: "recoverable", action: "report", local: true },
  { code: "trajectory_busy", meaning: "A trajectory is already running on this node, or on the same controller through another session.", severity: "recoverable", action: "report", local: true },
  { code: "liveness_unavailable", meaning: "No MONITOR could be armed to watch the controller during the run, so the run was refused.", severity: "recoverable", action: "report", local: true },
  { code: "trajectory_aborted", meaning: "The trajectory run was aborted before its last point.", severity: "recoverable", action: "report", local: true },
  { code: "pose_unavailable", meaning: "The robot's pose could not be read over the Open API, and the run needs it: for the start check or for a sine without base.", severity: "recoverable", action: "report", local: true },
  { code: "max_accel_exceeded", meaning: "A joint would accelerate faster than maxAccel across three consecutive points.", severity: "recoverable", action: "report", local: true },
  { code: "trajectory_too_long", meaning: "The trajectory has more points than one plan may hold; split it into several runs.", severity: "recoverable", action: "report", local: true },
  { code: "goal_tolerance_violated", meaning: "Every point was sent, but the robot's final pose is farther from the last point than the goal tolerance.", severity: "recoverable", action: "report", local: true },
  { code: "tracking_unavailable", meaning: "The goal tolerance needs the joint states, but the session's MONITOR reads another url, so the run was refused.", severity: "recoverable", action: "report", local: true },
  { code: "invalid_samples", meaning: "Recorded samples must be a non-empty array of {t, position}, with t in seconds.", severity: "recoverable", action: "report", local: true },
  { code: "non_monotonic_time", meaning: "A recorded sample's time is earlier than the one before it.", severity: "recoverable", action: "report", local: true },
];

const byCode = new Map<string, ErrorInfo>(entries.map((e) => [e.code, e]));

export const ERROR_CATALOGUE: ReadonlyMap<string, ErrorInfo> = byCode;

/** Catalogue entry for a code; unknown server codes are treated as recoverable reports. */
export function describeError(code: string): ErrorInfo {
  return byCode.get(code) ?? { code, meaning: "The server reported an error this package does not know.", severity: "recoverable", action: "report" };
}

export function isFatal(code: string): boolean {
  return describeError(code).severity === "fatal";
}

/** An error that carries the protocol's code, for callers and Catch nodes alike. */
export class Hi6Error extends Error {
  readonly code: string;
  readonly status?: number;
  readonly body?: unknown;
  readonly hint?: string;

  constructor(code: string, message?: string, extra: { status?: number; body?: unknown; hint?: string } = {}) {
    super(message ?? describeError(code).meaning);
    this.name = "Hi6Error";
    this.code = code;
    if (extra.status !== undefined) this.status = extra.status;
    if (extra.body !== undefined) this.body = extra.body;
    if (extra.hint !== undefined) this.hint = extra.hint;
  }

  /** The plain shape that goes into `msg.error`. */
  toJSON(): { code: string; message: string; status?: number; body?: unknown; hint?: string } {
    const out: { code: string; message: string; status?: number; body?: unknown; hint?: string } = { code: this.code, message: this.message };
    if (this.status !== undefined) out.status = this.status;
    if (this.body !== undefined) out.body = this.body;
    if (this.hint !== undefined) out.hint = this.hint;
    return out;
  }
}
