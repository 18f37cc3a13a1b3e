/**
 * The spin margin: how long before a deadline the pacer stops sleeping and
 * starts spinning. A sleep wakes late by however long the OS takes to run
 * the thread again; the margin must cover that, or the write is late. Every
 * microsecond of margin beyond it is a microsecond of a core spent spinning.
 *
 * A fixed margin is a guess made for every machine at once. The adaptive one
 * follows what this thread sees: it keeps the last few hundred oversleeps
 * (wake time − asked wake time) and sets the margin to a high quantile of
 * them plus headroom, within bounds. A rare stall (a vCPU pause of several
 * milliseconds) is no oversleep a margin could cover, so it is one sample of
 * hundreds and does not make every later tick spin for milliseconds.
 */

/** What the pacer needs of a margin: the current value, and each sleep's oversleep. */
export interface SpinMargin {
  /** Nanoseconds before the deadline at which the spin starts. */
  readonly marginNs: bigint;
  /** One sleep woke `oversleepNs` after the time it asked for (negative: early). */
  observe(oversleepNs: bigint): void;
}

export class FixedMargin implements SpinMargin {
  constructor(readonly marginNs: bigint) {}
  observe(): void {}
}

export interface AdaptiveMarginOptions {
  /** The margin until enough sleeps were seen. */
  initialNs: bigint;
  /** Never less: a sleep's wake-up always costs something. */
  minNs?: bigint;
  /** Never more: past this, spinning costs more than the lateness it saves. */
  maxNs?: bigint;
  /** Oversleeps kept. */
  window?: number;
  /** The quantile of the window the margin covers. */
  quantile?: number;
  /** Headroom over that quantile, as a factor and a constant. */
  factor?: number;
  headroomNs?: bigint;
  /** The margin is recomputed after this many new oversleeps. */
  every?: number;
}

export const ADAPTIVE_MIN_NS = 50_000n;
export const ADAPTIVE_MAX_NS = 1_000_000n;

export class AdaptiveMargin implements SpinMargin {
  private current: bigint;
  private readonly minNs: number;
  private readonly maxNs: number;
  private readonly quantile: number;
  private readonly factor: number;
  private readonly headroomNs: number;
  private readonly every: number;
  /** Ring of oversleeps in ns; a copy is sorted in a second array, so observing allocates nothing. */
  private readonly ring: Float64Array;
  private readonly sorted: Float64Array;
  private filled = 0;
  private next = 0;
  private sinceUpdate = 0;

  constructor(o: AdaptiveMarginOptions) {
    this.minNs = Number(o.minNs ?? ADAPTIVE_MIN_NS);
    this.maxNs = Number(o.maxNs ?? ADAPTIVE_MAX_NS);
    if (!(this.minNs >= 0 && this.maxNs >= this.minNs)) throw new RangeError("the adaptive margin needs 0 ≤ min ≤ max");
    const size = o.window ?? 256;
    this.ring = new Float64Array(size);
    this.sorted = new Float64Array(size);
    this.quantile = o.quantile ?? 0.98;
    this.factor = o.factor ?? 1.25;
    this.headroomNs = Number(o.headroomNs ?? 20_000n);
    this.every = o.every ?? 32;
    this.current = this.clamp(Number(o.initialNs));
  }

  get marginNs(): bigint {
    return this.current;
  }

  observe(oversleepNs: bigint): void {
    this.ring[this.next] = oversleepNs > 0n ? Number(oversleepNs) : 0;
    this.next = (this.next + 1) % this.ring.length;
    if (this.filled < this.ring.length) this.filled += 1;
    this.sinceUpdate += 1;
    if (this.sinceUpdate >= this.every) {
      this.sinceUpdate = 0;
      this.update();
    }
  }

  private update(): void {
    const n = this.filled;
    this.sorted.set(this.ring);
    // Until the ring is full, its slots from n on were never written: sorted past every real oversleep.
    if (n < this.sorted.length) this.sorted.fill(Infinity, n);
    this.sorted.sort();
    const q = this.sorted[Math.min(n - 1, Math.ceil(this.quantile * n) - 1)]!;
    this.current = this.clamp(q * this.factor + this.headroomNs);
  }

  private clamp(ns: number): bigint {
    return BigInt(Math.round(Math.min(this.maxNs, Math.max(this.minNs, ns))));
  }
}
