/**
 * What the trajectory node asks of the controller before and at the start
 * of a run: that a program is playing back, and the agility options of
 * joint_traject_init.
 */

import { Hi6Error } from "../protocol/errors";
import { RGEN_PATH } from "../protocol/openapi";
import type { SessionApi } from "./session-api";

export const AGILITY_FREQ_MIN = 0;
export const AGILITY_FREQ_MAX = 500;

export type AgilityBody = { agility_mode?: boolean; agility_freq?: number };

/**
 * The agility options as the node's config sets them, or undefined when
 * none is set: then the init body stays {} and a controller older than
 * 70.04-00, which knows no agility, takes it as before.
 */
export function agilityBody(mode: unknown, freq: unknown): AgilityBody | undefined {
  const body: AgilityBody = {};
  if (mode === "on" || mode === true) body.agility_mode = true;
  else if (mode === "off" || mode === false) body.agility_mode = false;
  else if (mode !== undefined && mode !== "") throw new Hi6Error("invalid_config", `agilityMode must be on, off or empty, not ${JSON.stringify(mode)}`);
  if (freq !== undefined && freq !== "") {
    const f = typeof freq === "string" ? Number(freq) : freq;
    if (typeof f !== "number" || !Number.isInteger(f) || f < AGILITY_FREQ_MIN || f > AGILITY_FREQ_MAX) {
      throw new Hi6Error("invalid_config", `agilityFreq must be a whole number from ${AGILITY_FREQ_MIN} to ${AGILITY_FREQ_MAX} (Hz), not ${JSON.stringify(freq)}`);
    }
    body.agility_freq = f;
  }
  return Object.keys(body).length > 0 ? body : undefined;
}

/**
 * Refuses the run unless a program is playing back, since the controller
 * would otherwise raise E01554 at the first point. Fails closed: a read
 * that fails refuses the run. One answer lets it go on: 404, from a
 * controller that does not offer /project/rgen at all; there the check
 * cannot be made, and the controller's own E01554 is the guard left.
 */
export async function ensurePlayback(session: SessionApi): Promise<void> {
  let state: "playing" | "stopped" | "absent";
  try {
    state = await session.readPlayback();
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new Hi6Error("readiness_unavailable", `whether a program is playing back could not be read (${reason}); no point was sent. Check the session's REST port (restPort) and that the controller's Open API answers GET ${RGEN_PATH}`);
  }
  if (state === "stopped") {
    throw new Hi6Error(
      "controller_not_ready",
      "no program is playing back on the controller, which would refuse the motion with alarm E01554; no point was sent. Load a job that waits for the motion (for example one whose only step is wait di1), switch to auto mode and start it, then send the trajectory again",
    );
  }
}
