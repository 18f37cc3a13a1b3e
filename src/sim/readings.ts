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
}

export const READING_CHOICES = {
  controlErrors: ["common", "control_err"],
  armedWatchdog: ["stalled_delivery", "client_inactivity"],
  rxOverflow: ["drop_line", "close"],
} as const;
