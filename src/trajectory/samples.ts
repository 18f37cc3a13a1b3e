/**
 * Replay: timed samples of a motion, as a monitor records them, resampled
 * onto the run's dt. `t` is in seconds (only differences count: the first
 * sample is time 0); each sample holds every joint's position in degrees.
 *
 * Waypoints are joined so that the arm rests at each one (quintic), which
 * suits a few poses. A recording is hundreds of poses a few ms apart, and
 * resting at each would make the arm stutter and brake hard between every
 * pair. So samples are joined by a shape-preserving cubic (monotone
 * piecewise cubic Hermite, Fritsch–Carlson): speed is continuous through
 * every sample, the curve never overshoots the recorded values between two
 * samples, and, like waypoints, it starts and ends at rest.
 *
 * The curve passes through samples at least KNOT_SPACING_S apart, not
 * through every one. A monitor stamps its samples in whole ms, so each
 * time is off by up to half a ms; between samples 10 ms apart that error
 * alone makes accelerations of hundreds of deg/s² out of a gentle motion
 * (they grow as 1/spacing²), and the replay would fail its own acceleration
 * check. 40 ms apart they are a sixteenth of that, and a 25 Hz curve still
 * holds any motion an arm makes.
 */

import { Hi6Error } from "../protocol/errors";
import { isJsonObject } from "../protocol/validate";
import { checkJointCount, checkPlanLength, TrajectoryPlan } from "./plan";
import { CHUNK_POINTS, PlanWork, runAtOnce } from "./slices";

export interface TimedSample {
  /** Seconds. */
  t: number;
  /** Degrees, one per joint. */
  position: number[];
}

/** The least time between two samples the curve passes through, s (see above). */
export const KNOT_SPACING_S = 0.04;

/** The samples the curve passes through: the first, then each one at least `spacing` after the last kept, and always the last. */
export function knots(samples: TimedSample[], spacing = KNOT_SPACING_S): TimedSample[] {
  const out: TimedSample[] = [samples[0]!];
  for (let i = 1; i < samples.length - 1; i++) {
    if (samples[i]!.t - out[out.length - 1]!.t >= spacing - 1e-9) out.push(samples[i]!);
  }
  const last = samples[samples.length - 1]!;
  // The last sample ends the motion: it replaces a kept one too close before it.
  if (out.length > 1 && last.t - out[out.length - 1]!.t < spacing - 1e-9) out.pop();
  out.push(last);
  return out;
}

function shown(v: unknown): string {
  return JSON.stringify(v) ?? String(v);
}

/**
 * Checks the samples: objects {t, position}, t finite and never going back,
 * one finite angle per joint in each. A sample with the same t as the one
 * before it is a repeat (a monitor's clock ticks in whole ms) and is left
 * out: the first sample at a time is the one kept.
 */
export function* checkSamplesWork(samples: unknown): PlanWork<TimedSample[]> {
  if (!Array.isArray(samples) || samples.length < 2) throw new Hi6Error("invalid_samples", "samples must be an array of at least two {t, position} (t in seconds, position in degrees)");
  checkPlanLength(samples.length, () => `samples has ${samples.length} entries`);
  let joints = 0;
  let previous = -Infinity;
  const kept: TimedSample[] = [];
  for (let i = 0; i < samples.length; i++) {
    const s: unknown = samples[i];
    if (!isJsonObject(s) || !Array.isArray(s.position)) throw new Hi6Error("invalid_samples", `samples[${i}] must be {t, position} with position an array of joint angles`);
    const t = s.t;
    if (typeof t !== "number" || !Number.isFinite(t)) throw new Hi6Error("non_finite_value", `samples[${i}].t: ${shown(t)} is not a finite number of seconds`);
    if (t < previous) throw new Hi6Error("non_monotonic_time", `samples[${i}].t is ${t} s, earlier than samples[${i - 1}].t ${previous} s: times must not go back`);
    const repeat = t === previous;
    previous = t;
    const p = s.position as unknown[];
    if (i === 0) {
      if (p.length === 0) throw new Hi6Error("invalid_samples", "samples[0].position must hold at least one joint angle");
      joints = p.length;
    } else if (p.length !== joints) {
      throw new Hi6Error("joint_count_mismatch", `sample ${i} has ${p.length} joints; sample 0 has ${joints}`);
    }
    for (let j = 0; j < joints; j++) {
      const v = p[j];
      if (typeof v !== "number" || !Number.isFinite(v)) throw new Hi6Error("non_finite_value", `sample ${i}, joint ${j + 1}: ${shown(v)} is not a finite number`);
    }
    if (!repeat) kept.push(s as unknown as TimedSample);
    if ((i + 1) % CHUNK_POINTS === 0) yield;
  }
  if (kept.length < 2) throw new Hi6Error("invalid_samples", "samples must span some time: all of them have the same t");
  return kept;
}

/** Fritsch–Carlson slopes: 0 at the ends and where the motion turns; else a weighted harmonic mean of the two secant slopes. */
function slopes(samples: TimedSample[], j: number): Float64Array {
  const n = samples.length;
  const d = new Float64Array(n);
  for (let k = 1; k < n - 1; k++) {
    const h0 = samples[k]!.t - samples[k - 1]!.t;
    const h1 = samples[k + 1]!.t - samples[k]!.t;
    const s0 = (samples[k]!.position[j]! - samples[k - 1]!.position[j]!) / h0;
    const s1 = (samples[k + 1]!.position[j]! - samples[k]!.position[j]!) / h1;
    if (s0 * s1 <= 0) continue;
    const w0 = 2 * h1 + h0;
    const w1 = h1 + 2 * h0;
    d[k] = (w0 + w1) / (w0 / s0 + w1 / s1);
  }
  return d;
}

export function* samplesWork(samples: unknown, dt: number, robotJoints?: number): PlanWork<TrajectoryPlan> {
  const rows = knots(yield* checkSamplesWork(samples));
  if (typeof dt !== "number" || !(dt > 0)) throw new Hi6Error("invalid_dt", "dt must be a positive number");
  const n = rows[0]!.position.length;
  checkJointCount(n, robotJoints);
  const t0 = rows[0]!.t;
  const span = rows[rows.length - 1]!.t - t0;
  const count = Math.max(2, Math.ceil(span / dt - 1e-9) + 1);
  checkPlanLength(count, () => `${Number(span.toPrecision(6))} s of samples / dt ${dt}`);
  const d: Float64Array[] = [];
  for (let j = 0; j < n; j++) d.push(slopes(rows, j));
  const points = new Float64Array(count * n);
  let seg = 0;
  for (let k = 0; k < count; k++) {
    const t = t0 + Math.min(span, k * dt);
    while (seg < rows.length - 2 && t > rows[seg + 1]!.t) seg++;
    const a = rows[seg]!;
    const b = rows[seg + 1]!;
    const h = b.t - a.t;
    const s = k === count - 1 ? 1 : Math.min(1, Math.max(0, (t - a.t) / h));
    // Cubic Hermite basis.
    const s2 = s * s;
    const s3 = s2 * s;
    const h00 = 2 * s3 - 3 * s2 + 1;
    const h10 = s3 - 2 * s2 + s;
    const h01 = -2 * s3 + 3 * s2;
    const h11 = s3 - s2;
    for (let j = 0; j < n; j++) {
      const p0 = a.position[j]!;
      const p1 = b.position[j]!;
      points[k * n + j] = h00 * p0 + h10 * h * d[j]![seg]! + h01 * p1 + h11 * h * d[j]![seg + 1]!;
    }
    if ((k + 1) % CHUNK_POINTS === 0) yield;
  }
  return { dt, jointCount: n, count, points };
}

export function samplesPlan(samples: unknown, dt: number, robotJoints?: number): TrajectoryPlan {
  return runAtOnce(samplesWork(samples, dt, robotJoints));
}
