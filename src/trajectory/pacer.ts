/**
 * The pacer: sleep until just before a deadline, then wait out the rest
 * precisely. Timers and setTimeout overshoot by a millisecond or more;
 * Atomics.wait sleeps the thread without the event loop, and the final few
 * hundred microseconds (the spin margin, see margin.ts) are spun on the
 * high-resolution clock.
 */

import { FixedMargin, SpinMargin } from "./margin";

export const DEFAULT_MARGIN_NS = 300_000n;

/** The clock and the sleep the pacer uses; tests give their own to check the logic without wall-clock time. */
export interface PacerClock {
  /** process.hrtime.bigint() time. */
  now(): bigint;
  /** Sleeps up to `ms` unless `cell[0]` stops being 0. */
  sleep(cell: Int32Array, ms: number): void;
}

export const SYSTEM_CLOCK: PacerClock = {
  now: () => process.hrtime.bigint(),
  sleep: (cell, ms) => {
    Atomics.wait(cell, 0, 0, ms);
  },
};

export class Pacer {
  /** A private cell that nobody notifies, except abort() to cut a sleep short. */
  private readonly cell = new Int32Array(new SharedArrayBuffer(4));
  readonly margin: SpinMargin;

  constructor(
    margin: bigint | SpinMargin = DEFAULT_MARGIN_NS,
    private readonly clock: PacerClock = SYSTEM_CLOCK,
  ) {
    this.margin = typeof margin === "bigint" ? new FixedMargin(margin) : margin;
  }

  /** The spin margin the next wait will use. */
  get marginNs(): bigint {
    return this.margin.marginNs;
  }

  /** Blocks the thread until `deadline` (process.hrtime.bigint() time); returns the time it woke. */
  waitUntil(deadline: bigint): bigint {
    const wakeAt = deadline - this.margin.marginNs;
    const sleepNs = wakeAt - this.clock.now();
    if (sleepNs > 0n) {
      this.clock.sleep(this.cell, Number(sleepNs) / 1e6);
      // An interrupted sleep says nothing about how late the OS wakes this thread.
      if (Atomics.load(this.cell, 0) === 0) this.margin.observe(this.clock.now() - wakeAt);
    }
    let now = this.clock.now();
    while (now < deadline && Atomics.load(this.cell, 0) === 0) now = this.clock.now();
    return now;
  }

  /** Wakes a sleeping waitUntil at once, from any thread that shares the pacer. */
  interrupt(): void {
    Atomics.store(this.cell, 0, 1);
    Atomics.notify(this.cell, 0);
  }

  reset(): void {
    Atomics.store(this.cell, 0, 0);
  }
}
