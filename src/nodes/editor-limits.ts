/**
 * Every bound the editor dialogs check, by node type. The dialogs
 * (nodes/<type>.html) hold a copy in their `LIMITS` object, since Node-RED
 * serves that file as written; test/nodes/editor-limits.test.js checks each
 * copy against this table, which takes the protocol's and the trajectory
 * checks' own constants where the runtime has them.
 */

import { PERIOD_MAX_MS, PERIOD_MIN_MS, URL_MAX_LENGTH } from "../protocol/validate";
import { DT_MAX_S, DT_MIN_S } from "../trajectory/preflight";
import { MAX_TRACK_RATE_HZ } from "./session/run-tracker";

export const PORT_MIN = 1;
export const PORT_MAX = 65535;
export const MAJOR_MIN = 0;

export const EDITOR_LIMITS = {
  "hi6-session": { PORT_MIN, PORT_MAX, MAJOR_MIN },
  "hi6-monitor": { PERIOD_MIN_MS, PERIOD_MAX_MS, URL_MAX_LENGTH, INTERVAL_MIN_MS: 1, QUEUE_MIN: 1 },
  // CONTROL has no url length limit (see checkUrl), so its dialog has none either.
  "hi6-control": {},
  "hi6-trajectory": {
    DT_MIN_S,
    DT_MAX_S,
    // The bounds below guard against typing slips; the runtime takes any value within them.
    LOOK_AHEAD_MAX_S: 10,
    MAX_SILENCE_MAX_MS: 60000,
    MAX_SPEED_MAX_DEG_S: 100000,
    MAX_ACCEL_MAX_DEG_S2: 10000000,
    START_TOLERANCE_MAX_DEG: 360,
    MARGIN_MAX_US: 5000,
    GOAL_TOLERANCE_MAX_DEG: 360,
    GOAL_TIMEOUT_MAX_S: 60,
    MAX_TRACK_RATE_HZ,
  },
  "hi6-stop": {},
} as const;
