/**
 * The pacer: sleep until just before a deadline, then wait out the rest
 * precisely. Timers and setTimeout overshoot by a millisecond or more;
 * Atomics.wait sleeps the thread without the event loop, and the final few
 * hundred microseconds (the spin margin, see margin.ts) are spun on the
 * high-resolution clock.
 */

import { FixedMargin, SpinMargin } from "./margin";

export const DEFAULT_MARGIN_NS = 300_000n;

/** Loads of the abort cell between two readings of the clock while spinning: about 1 µs, a tenth of the readings of a spin that reads it back to back. */
const SPIN_CHECKS = 50;

/** The clock and the sleep the pacer uses; tests give their own to check the logic without wall-clock time. */
export interface PacerClock {
  /** process.hrtime.bigint() time. */
  now(): bigint;
  /** Sleeps up to `ms` unless `cell[0]` stops being 0. */
  sleep(cell: Int32Array, ms: number): void;
  /** Busy-waits until `deadline` or until `cell[0]` stops being 0; returns the time it stopped, never before the deadline unless cut short. */
  spin(deadline: bigint, cell: Int32Array): bigint;
}

export const SYSTEM_CLOCK: PacerClock = {
  now: () => process.hrtime.bigint(),
  sleep: (cell, ms) => {
    Atomics.wait(cell, 0, 0, ms);
  },
  spin: (deadline, cell) => {
    // Every reading of the clock allocates (a BigInt from process.hrtime.bigint(), a boxed
    // number from performance.now()), and a spin of a few hundred µs that reads it back to back
    // makes thousands a tick: enough garbage for the young generation to collect many times a
    // second, each collection a pause of the pacing thread. So the clock is read once per
    // SPIN_CHECKS loads of the cell (about a µs), as performance.now(), which reads the
    // same monotonic clock. Its end is worked out from a reading taken after `start`, so it
    // falls at or after the deadline, never before.
    const start = process.hrtime.bigint();
    if (start >= deadline) return start;
    const endMs = performance.now() + Number(deadline - start) / 1e6;
    while (Atomics.load(cell, 0) === 0 && performance.now() < endMs) {
      for (let i = 0; i < SPIN_CHECKS && Atomics.load(cell, 0) === 0; i++);
    }
    return process.hrtime.bigint();
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
    return this.clock.spin(deadline, this.cell);
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
