/**
 * Timing statistics of a run: lateness of every write against its deadline.
 * Recording is O(1) and allocation-free, and percentiles come from fixed
 * buckets, so progress reports can read p99 mid-run without disturbing the
 * pacing loop. Misses are counted, never hidden.
 */

/** Bucket layout: 1 µs up to 1 ms, 10 µs up to 10 ms, 1 ms up to 10 s. */
const FINE_LIMIT_US = 1000;
const MID_LIMIT_US = 10_000;
const COARSE_LIMIT_US = 10_000_000;
const FINE = FINE_LIMIT_US;
const MID = (MID_LIMIT_US - FINE_LIMIT_US) / 10;
const COARSE = (COARSE_LIMIT_US - MID_LIMIT_US) / 1000;

function bucketOf(us: number): number {
  if (us < FINE_LIMIT_US) return Math.floor(us);
  if (us < MID_LIMIT_US) return FINE + Math.floor((us - FINE_LIMIT_US) / 10);
  return Math.min(FINE + MID + COARSE - 1, FINE + MID + Math.floor((us - MID_LIMIT_US) / 1000));
}

/** Upper edge of a bucket, in µs: percentiles never flatter the result. */
function bucketEdge(b: number): number {
  if (b < FINE) return b + 1;
  if (b < FINE + MID) return FINE_LIMIT_US + (b - FINE + 1) * 10;
  return MID_LIMIT_US + (b - FINE - MID + 1) * 1000;
}

export interface RunStats {
  dt_ms: number;
  period_mean_ms: number;
  late_mean_us: number;
  late_p50_us: number;
  late_p99_us: number;
  late_max_us: number;
  late_over_1ms: number;
  late_over_10ms: number;
  /** The pacing thread's nice value during the run, where its host could read it (Linux). */
  thread_nice?: number;
  /**
   * What scheduling the pacing thread had during the run: "fifo <priority>"
   * (SCHED_FIFO, real-time), "nice <n>" (the ordinary scheduler at that nice
   * value), or "unknown" where the host cannot tell (not Linux).
   */
  scheduling?: string;
  /** The spin margin at the end of the run, µs (an adaptive margin moves during it). */
  margin_us?: number;
  /** Garbage collections on the pacing thread during the run, and their pauses in ms (total and longest). */
  gc_count?: number;
  gc_ms?: number;
  gc_max_ms?: number;
}

export class TimingStats {
  private readonly buckets = new Uint32Array(FINE + MID + COARSE);
  private n = 0;
  private maxUs = 0;
  private sumUs = 0;
  private over1 = 0;
  private over10 = 0;
  private firstWrite: bigint | undefined;
  private lastWrite: bigint | undefined;

  constructor(private readonly dtS: number) {}

  get count(): number {
    return this.n;
  }

  /** One write: `latenessNs` = write time − deadline; `writtenAt` = process.hrtime.bigint() at the write. */
  record(latenessNs: bigint, writtenAt: bigint): void {
    const us = latenessNs > 0n ? Number(latenessNs) / 1000 : 0;
    this.buckets[bucketOf(us)]! += 1;
    this.n += 1;
    this.sumUs += us;
    if (us > this.maxUs) this.maxUs = us;
    if (us > 1000) this.over1 += 1;
    if (us > 10_000) this.over10 += 1;
    this.firstWrite ??= writtenAt;
    this.lastWrite = writtenAt;
  }

  /** Lateness percentile in µs, `q` in 0..1. */
  percentileUs(q: number): number {
    if (this.n === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * this.n));
    let seen = 0;
    for (let b = 0; b < this.buckets.length; b++) {
      seen += this.buckets[b]!;
      if (seen >= rank) return Math.min(bucketEdge(b), this.maxUs);
    }
    return this.maxUs;
  }

  summary(): RunStats {
    const span = this.firstWrite !== undefined && this.lastWrite !== undefined ? Number(this.lastWrite - this.firstWrite) / 1e6 : 0;
    const round = (v: number, digits: number): number => Number(v.toFixed(digits));
    return {
      dt_ms: round(this.dtS * 1000, 6),
      period_mean_ms: this.n > 1 ? round(span / (this.n - 1), 6) : 0,
      late_mean_us: this.n > 0 ? round(this.sumUs / this.n, 1) : 0,
      late_p50_us: round(this.percentileUs(0.5), 1),
      late_p99_us: round(this.percentileUs(0.99), 1),
      late_max_us: round(this.maxUs, 1),
      late_over_1ms: this.over1,
      late_over_10ms: this.over10,
    };
  }
}
