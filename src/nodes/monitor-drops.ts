/**
 * The monitor's account of samples lost on the way to the flow: a running
 * total for the status, and a warning that names how many, at most once per
 * period so a flood cannot flood the log as well. Drops that arrive inside
 * the quiet period are reported when it ends, so the last of them is never
 * left unsaid.
 */

import { Throttle } from "../client/throttle";

/** At most one drop warning per monitor in this long. */
export const DROP_WARN_EVERY_MS = 5000;

export class DropReport {
  /** Samples lost since the monitor's MONITOR was started. */
  total = 0;
  private unreported = 0;
  private readonly throttle: Throttle;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly warn: (count: number) => void,
    everyMs = DROP_WARN_EVERY_MS,
  ) {
    this.throttle = new Throttle(everyMs);
  }

  add(count: number): void {
    if (count <= 0) return;
    this.total += count;
    this.unreported += count;
    if (this.timer !== undefined) return;
    const wait = this.throttle.wait();
    if (wait <= 0) {
      this.report();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.report();
    }, wait);
  }

  /** A new MONITOR: its losses are counted afresh. */
  restart(): void {
    this.total = 0;
  }

  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.unreported = 0;
  }

  private report(): void {
    const count = this.unreported;
    this.unreported = 0;
    this.throttle.mark();
    if (count > 0) this.warn(count);
  }
}
