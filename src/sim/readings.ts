/**
 * Where the manual can be read two ways, the virtual controller can play
 * either, so the client is tested against every reading a real controller
 * might have. The defaults are the readings this package's design takes.
 */

export interface Readings {
  /**
   * How a CONTROL that breaks a payload rule is answered: the common error
   * line `{error, message}` (default), or `control_err {status, body}` as the
   * manual's CONTROL section shows for REST failures.
   */
  controlErrors?: "common" | "control_err";
  /** STOP targets this controller does not support, answered with invalid_target (the manual lets monitor and control be optional). */
  unsupportedStopTargets?: ("monitor" | "control")[];
  /**
   * The armed watchdog: closes the session when MONITOR
   * delivery has stalled for the stall timeout (default), or when the client
   * has sent no command for that long while a MONITOR is armed.
   */
  armedWatchdog?: "stalled_delivery" | "client_inactivity";
  /** After rx_buf_overflow: drop the line and go on (default), or close the connection. */
  rxOverflow?: "drop_line" | "close";
  /**
   * Whether a program is playing back in auto mode (GET /project/rgen
   * `is_playback`): "playing" (default), or "stopped", where every
   * trajectory insert is refused with alarm E01554 as a controller with no
   * job running (no `wait di1`) refuses it.
   */
  playback?: "playing" | "stopped";
  /** Whether GET /project/rgen is served (default), or answered 404 as by a controller that does not offer it. */
  rgen?: "served" | "absent";
  /**
   * ms, the servo's first-order time constant: how far the measured pose
   * trails the commanded one (default DEFAULT_SERVO_LAG_MS, 30; 0 copies
   * the command).
   */
  servoLagMs?: number;
  /** deg/s, the axis speed limit whose breach raises E159 (default DEFAULT_JOINT_SPEED_LIMIT_DEG_S, 250; 0 = none). */
  jointSpeedLimitDegS?: number;
  /**
   * Whether joint_traject_init takes the agility options (from controller
   * version 70.04-00): "supported" (default), or "unsupported", where a
   * body that sets them is answered 400 with err_msg.
   */
  agility?: "supported" | "unsupported";
}

export const READING_CHOICES = {
  controlErrors: ["common", "control_err"],
  armedWatchdog: ["stalled_delivery", "client_inactivity"],
  rxOverflow: ["drop_line", "close"],
  playback: ["playing", "stopped"],
  rgen: ["served", "absent"],
  agility: ["supported", "unsupported"],
} as const;
