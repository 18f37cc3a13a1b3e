/**
 * Tracking: how closely the robot followed a run. The commanded motion is the
 * plan on the run's schedule (point i due at i·dt after the first); the
 * actual motion is the joint states the controller sends back, each stamped
 * with the time it arrived. Error is actual − commanded at the same instant,
 * so it holds the whole delay between a point being written and the arm
 * being seen there (look-ahead, servo lag, MONITOR delivery); the lag is the
 * time shift of the commanded motion that best explains the actual one.
 */

import type { TrajectoryPlan } from "./plan";

export interface JointTracking {
  /** Largest |actual − commanded|, deg. */
  max_error_deg: number;
  /** Root mean square of actual − commanded, deg. */
  rms_error_deg: number;
  /** The shift of the commanded motion that fits the actual one best, ms; null for a joint that did not move. */
  lag_ms: number | null;
  /** RMS error once the commanded motion is shifted by the lag: what is left of the error that is not delay, deg. */
  rms_error_after_lag_deg: number | null;
}

export interface TrackingSummary {
  /** Joint states samples compared with the commanded motion. */
  samples: number;
  joints: JointTracking[];
  /** The last pose the controller reported, deg. */
  final?: number[];
}

/**
 * When the controller took each sample, on this machine's clock (ns). The
 * arrival time carries every delay of the way here, which under load is tens
 * of ms and would read as tracking error; the controller's own `ts` (ms)
 * does not. Its clock is mapped onto ours by the smallest arrival − ts seen
 * so far: the sample that came fastest. Without a `ts`, the arrival time.
 */
export class SampleClock {
  private offset: bigint | undefined;

  sampledAt(ts: number | undefined, receivedAt: bigint): bigint {
    if (ts === undefined || !Number.isFinite(ts)) return receivedAt;
    const at = BigInt(Math.round(ts * 1e6));
    const offset = receivedAt - at;
    if (this.offset === undefined || offset < this.offset) this.offset = offset;
    return at + this.offset;
  }
}

/** A run's tracking as its result carries it. */
export interface RunTracking extends TrackingSummary {
  /** False when the session's MONITOR reads something other than the joint states: nothing was compared. */
  available: boolean;
  /** Why tracking was unavailable, or why the settling ended early. */
  note?: string;
}

/** A joint that commanded less than this range (deg) has no lag to estimate: any shift fits it. */
export const LAG_MIN_MOTION_DEG = 0.1;
/** The largest lag looked for, beyond the run's look-ahead, ms. */
export const LAG_SEARCH_MARGIN_MS = 500;
/** Samples kept for the lag estimate: 1000 s of a 10 ms MONITOR. Error maxima and RMS count every sample. */
export const MAX_KEPT_SAMPLES = 100_000;

/** The commanded pose at `t` s after the first point's deadline: held at the ends, linear between points. */
export function commandedAt(plan: TrajectoryPlan, t: number, out: number[] = new Array<number>(plan.jointCount)): number[] {
  const n = plan.jointCount;
  const last = plan.count - 1;
  const x = t / plan.dt;
  const i = x <= 0 ? 0 : x >= last ? last : Math.floor(x);
  const f = x <= 0 || x >= last ? 0 : x - i;
  for (let j = 0; j < n; j++) {
    const a = plan.points[i * n + j]!;
    out[j] = f === 0 ? a : a + (plan.points[(i + 1) * n + j]! - a) * f;
  }
  return out;
}

/**
 * Collects joint states during a run. Errors are summed as samples come;
 * the samples themselves are kept (up to MAX_KEPT_SAMPLES) for the lag
 * estimate, which runs once, in summary().
 */
export class TrackingRecorder {
  private readonly n: number;
  private times: Float64Array;
  private positions: Float64Array;
  private kept = 0;
  private count = 0;
  private readonly maxAbs: Float64Array;
  private readonly sumSq: Float64Array;
  private readonly commanded: number[];
  private last: number[] | undefined;

  constructor(
    private readonly plan: TrajectoryPlan,
    /** How far after its deadline the last point is still compared, s: the run's look-ahead and the settling after it. */
    private readonly endT: number = (plan.count - 1) * plan.dt,
  ) {
    this.n = plan.jointCount;
    this.times = new Float64Array(1024);
    this.positions = new Float64Array(1024 * this.n);
    this.maxAbs = new Float64Array(this.n);
    this.sumSq = new Float64Array(this.n);
    this.commanded = new Array<number>(this.n);
  }

  /**
   * One joint states sample, `t` s after the first point's deadline.
   * Returns the commanded pose and the error at that instant, or undefined
   * for a sample outside the run (before its first point).
   */
  add(t: number, actual: readonly number[]): { commanded: number[]; error: number[] } | undefined {
    if (!(t >= 0) || actual.length !== this.n) return undefined;
    const commanded = commandedAt(this.plan, t, this.commanded);
    const error = new Array<number>(this.n);
    for (let j = 0; j < this.n; j++) {
      const e = actual[j]! - commanded[j]!;
      error[j] = e;
      const a = Math.abs(e);
      if (a > this.maxAbs[j]!) this.maxAbs[j] = a;
      this.sumSq[j] = this.sumSq[j]! + e * e;
    }
    this.count += 1;
    this.last = [...actual];
    if (this.kept < MAX_KEPT_SAMPLES) this.keep(t, actual);
    return { commanded: [...commanded], error };
  }

  /** The last pose reported, deg. */
  get finalPose(): number[] | undefined {
    return this.last === undefined ? undefined : [...this.last];
  }

  get sampleCount(): number {
    return this.count;
  }

  summary(maxLagS: number): TrackingSummary {
    const joints: JointTracking[] = [];
    for (let j = 0; j < this.n; j++) {
      const lag = this.count === 0 ? undefined : this.lagOf(j, maxLagS);
      joints.push({
        max_error_deg: this.maxAbs[j]!,
        rms_error_deg: this.count === 0 ? 0 : Math.sqrt(this.sumSq[j]! / this.count),
        lag_ms: lag === undefined ? null : round3(lag.shift * 1000),
        rms_error_after_lag_deg: lag === undefined ? null : lag.rms,
      });
    }
    const out: TrackingSummary = { samples: this.count, joints };
    if (this.last !== undefined) out.final = [...this.last];
    return out;
  }

  private keep(t: number, actual: readonly number[]): void {
    if (this.kept === this.times.length) {
      const times = new Float64Array(this.times.length * 2);
      times.set(this.times);
      this.times = times;
      const positions = new Float64Array(this.positions.length * 2);
      positions.set(this.positions);
      this.positions = positions;
    }
    this.times[this.kept] = t;
    for (let j = 0; j < this.n; j++) this.positions[this.kept * this.n + j] = actual[j]!;
    this.kept += 1;
  }

  /** RMS of actual − commanded(t − shift) for joint j, over the samples whose shifted time falls in the run. */
  private rmsAt(j: number, shift: number): number {
    const n = this.n;
    const plan = this.plan;
    const last = plan.count - 1;
    let sum = 0;
    let used = 0;
    for (let k = 0; k < this.kept; k++) {
      const t = this.times[k]! - shift;
      if (t < 0 || t > this.endT) continue;
      const x = t / plan.dt;
      const i = x >= last ? last : Math.floor(x);
      const f = x >= last ? 0 : x - i;
      const a = plan.points[i * n + j]!;
      const c = f === 0 ? a : a + (plan.points[(i + 1) * n + j]! - a) * f;
      const e = this.positions[k * n + j]! - c;
      sum += e * e;
      used += 1;
    }
    return used === 0 ? Infinity : Math.sqrt(sum / used);
  }

  /**
   * The best shift in [0, maxLag]: a coarse pass at 5 ms, then 0.25 ms steps
   * around its best, so a long run costs about 60 passes over its samples
   * instead of thousands.
   */
  private lagOf(j: number, maxLagS: number): { shift: number; rms: number } | undefined {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < this.plan.count; i++) {
      const v = this.plan.points[i * this.n + j]!;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (hi - lo < LAG_MIN_MOTION_DEG) return undefined;
    let best = { shift: 0, rms: this.rmsAt(j, 0) };
    const coarse = 0.005;
    for (let s = coarse; s <= maxLagS + 1e-9; s += coarse) {
      const rms = this.rmsAt(j, s);
      if (rms < best.rms) best = { shift: s, rms };
    }
    const fine = 0.00025;
    const from = Math.max(0, best.shift - coarse);
    const to = Math.min(maxLagS, best.shift + coarse);
    for (let s = from; s <= to + 1e-12; s += fine) {
      const rms = this.rmsAt(j, s);
      if (rms < best.rms) best = { shift: s, rms };
    }
    return Number.isFinite(best.rms) ? best : undefined;
  }
}

function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}

export interface GoalCheck {
  ok: boolean;
  tolerance_deg: number;
  /** |final − last point| per joint, deg. */
  error_deg: number[];
  /** 1-based: the joint farthest outside the tolerance, when one is. */
  joint?: number;
}

/** The final pose against the run's last point: every joint within `toleranceDeg`. */
export function checkGoal(final: readonly number[], goal: readonly number[], toleranceDeg: number): GoalCheck {
  const error = goal.map((q, j) => Math.abs((final[j] ?? NaN) - q));
  // A joint missing from the final pose (NaN) is outside any tolerance, and farther than any other.
  const far = error.map((e) => (Number.isNaN(e) ? Infinity : e));
  let worst = -1;
  for (let j = 0; j < far.length; j++) {
    if (far[j]! > toleranceDeg && (worst < 0 || far[j]! > far[worst]!)) worst = j;
  }
  const out: GoalCheck = { ok: worst < 0, tolerance_deg: toleranceDeg, error_deg: error };
  if (worst >= 0) out.joint = worst + 1;
  return out;
}

/** True once every joint of `pose` is within `toleranceDeg` of `goal`. */
export function reached(pose: readonly number[], goal: readonly number[], toleranceDeg: number): boolean {
  return checkGoal(pose, goal, toleranceDeg).ok;
}
