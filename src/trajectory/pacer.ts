/**
 * The pacer: sleep until just before a deadline, then wait out the rest
 * precisely. Timers and setTimeout overshoot by a millisecond or more;
 * Atomics.wait sleeps the thread without the event loop, and the final few
 * hundred microseconds are spun on the high-resolution clock.
 */

export const DEFAULT_MARGIN_NS = 300_000n;

export class Pacer {
  /** A private cell that nobody notifies, except abort() to cut a sleep short. */
  private readonly cell = new Int32Array(new SharedArrayBuffer(4));

  constructor(readonly marginNs: bigint = DEFAULT_MARGIN_NS) {}

  /** Blocks the thread until `deadline` (process.hrtime.bigint() time); returns the time it woke. */
  waitUntil(deadline: bigint): bigint {
    const sleepNs = deadline - this.marginNs - process.hrtime.bigint();
    if (sleepNs > 0n) Atomics.wait(this.cell, 0, 0, Number(sleepNs) / 1e6);
    let now = process.hrtime.bigint();
    while (now < deadline && Atomics.load(this.cell, 0) === 0) now = process.hrtime.bigint();
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
