/**
 * Why a trajectory run ended early, and what the session does about the
 * motion it leaves behind. Points already in the controller's buffer are
 * executed unless `joint_traject_init` clears them, and STOP control only
 * ends the CONTROL's execution state, so an abort that must halt the robot
 * sends both: init first, to drop the queued points at once, then STOP
 * control. One table decides it for every reason, so no reason can mean
 * two things.
 */

export const ABORT_REASONS = [
  "stop",
  "stopped",
  "closed",
  "session_closed",
  "connection_lost",
  "controller_silent",
  "late_tick",
  "write_queue_full",
  "point_refused",
  "buffer_unknown",
  "buffer_ran_dry",
  "upload_refused",
] as const;

export type AbortReason = (typeof ABORT_REASONS)[number];

export type When = "always" | "if_stop_on_abort" | "never";

export interface AbortPolicy {
  /**
   * Write `joint_traject_init` on this connection at once, so the points
   * queued in the controller are dropped. "always" where the controller's
   * state is in doubt; "if_stop_on_abort" where the user chose the abort
   * and the node's Stop on abort setting says whether the buffered points
   * (at most the look-ahead's worth) may play out.
   */
  init: When;
  /** Send STOP control after the init. "never" where a STOP is on its way already. */
  stopControl: When;
  /** The next connection clears the controller's buffer before anything else is sent. */
  clearOnReconnect: boolean;
  /** A failure, raised to Catch nodes as trajectory_aborted; the rest were asked for. */
  fault: boolean;
  /** What happened, in one phrase, for the log. */
  meaning: string;
}

export const ABORT_POLICY: { readonly [R in AbortReason]: AbortPolicy } = {
  stop: { init: "if_stop_on_abort", stopControl: "if_stop_on_abort", clearOnReconnect: false, fault: false, meaning: 'the node received "stop"' },
  stopped: { init: "always", stopControl: "never", clearOnReconnect: true, fault: false, meaning: "a STOP control or session was sent on the session" },
  closed: { init: "if_stop_on_abort", stopControl: "if_stop_on_abort", clearOnReconnect: false, fault: false, meaning: "the trajectory node was closed by a deploy" },
  session_closed: { init: "always", stopControl: "never", clearOnReconnect: true, fault: false, meaning: "the session was closed; STOP session follows" },
  connection_lost: { init: "never", stopControl: "never", clearOnReconnect: true, fault: true, meaning: "the connection to the controller was lost" },
  controller_silent: { init: "always", stopControl: "always", clearOnReconnect: true, fault: true, meaning: "the controller stopped answering on the connection" },
  late_tick: { init: "always", stopControl: "always", clearOnReconnect: true, fault: true, meaning: "a point fell due later than the look-ahead: the controller's buffer had run dry" },
  write_queue_full: { init: "always", stopControl: "always", clearOnReconnect: true, fault: true, meaning: "the controller stopped reading: the write queue is full" },
  point_refused: { init: "always", stopControl: "always", clearOnReconnect: true, fault: true, meaning: "the controller refused a CONTROL during the run, taken as a refused point (an alarm stopped the arm, or its buffer was full): the motion would have a gap" },
  // Buffered mode (trajectory/buffered.ts).
  buffer_unknown: { init: "always", stopControl: "always", clearOnReconnect: true, fault: true, meaning: "the controller's buffer level could not be read, so no more could be uploaded safely" },
  buffer_ran_dry: { init: "always", stopControl: "always", clearOnReconnect: true, fault: true, meaning: "the controller's buffer was found empty before the upload ended: it ran dry, or an alarm dropped it" },
  upload_refused: { init: "always", stopControl: "always", clearOnReconnect: true, fault: true, meaning: "the controller refused a CONTROL during the run, taken as a refused batch of points: the motion would have a gap" },
};

function applies(when: When, stopOnAbort: boolean): boolean {
  return when === "always" || (when === "if_stop_on_abort" && stopOnAbort);
}

/** What an abort for `reason` does on the open connection, given the node's Stop on abort setting. */
export function abortActions(reason: AbortReason, stopOnAbort: boolean): { init: boolean; stopControl: boolean; clearOnReconnect: boolean } {
  const p = ABORT_POLICY[reason];
  return { init: applies(p.init, stopOnAbort), stopControl: applies(p.stopControl, stopOnAbort), clearOnReconnect: p.clearOnReconnect };
}
