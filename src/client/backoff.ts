/** Reconnect delays: exponential, capped, with jitter so many clients do not retry in step. */

import { BackoffOptions } from "./types";

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 500, maxMs: 15_000, factor: 2, jitter: 0.3 };

/** Delay before reconnect attempt `attempt` (0 for the first retry). */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number = Math.random): number {
  const base = Math.min(options.maxMs, options.initialMs * Math.pow(options.factor, attempt));
  const spread = base * options.jitter;
  return Math.round(Math.min(options.maxMs, Math.max(0, base - spread + 2 * spread * random())));
}
