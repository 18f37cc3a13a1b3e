"use strict";
const assert = require("node:assert/strict");
const { samplesPlan, knots, KNOT_SPACING_S } = require("../../nodes/trajectory/samples");
const { waypointPlan } = require("../../nodes/trajectory/waypoints");
const { preflight } = require("../../nodes/trajectory/preflight");
const { pointAt } = require("../../nodes/trajectory/plan");

const HOME = [0, 90, 0, 0, -90, 0];
const at = (j1) => [j1, 90, 0, 0, -90, 0];

/** Joint 1 out 10 deg and back in 2 s, from rest to rest: q = 5·(1 − cos πt). */
const swing = (t) => 5 * (1 - Math.cos(Math.PI * t));

/** What a 10 ms joint-states MONITOR records of that motion (t in seconds, from an arbitrary origin). */
function recordedSine(period = 0.01, offset = 123.4) {
  const out = [];
  for (let k = 0; k * period <= 2 + 1e-9; k++) out.push({ t: offset + k * period, position: at(swing(k * period)) });
  return out;
}

describe("trajectory: recorded samples", () => {
  it("resamples to dt from the first sample's time: t is in seconds and only differences count", () => {
    const plan = samplesPlan([{ t: 5, position: HOME }, { t: 5.1, position: at(1) }], 0.002);
    assert.equal(plan.count, 51);
    assert.equal(plan.dt, 0.002);
    assert.deepEqual(pointAt(plan, 0), HOME);
    assert.deepEqual(pointAt(plan, 50), at(1));
  });

  it(`passes through the recorded samples ${KNOT_SPACING_S * 1000} ms apart that fall on the dt grid`, () => {
    const samples = recordedSine();
    const plan = samplesPlan(samples, 0.002);
    for (let i = 0; i < samples.length; i += KNOT_SPACING_S / 0.01) {
      const k = Math.round((samples[i].t - samples[0].t) / 0.002);
      assert.ok(Math.abs(pointAt(plan, k)[0] - samples[i].position[0]) < 1e-6, `sample ${i}`);
    }
  });

  it("a recorded motion comes back smooth: within 0.01 deg of the true curve between samples, and inside the default speed and acceleration limits", () => {
    const plan = samplesPlan(recordedSine(), 0.002);
    let worst = 0;
    for (let k = 0; k < plan.count; k++) worst = Math.max(worst, Math.abs(pointAt(plan, k)[0] - swing(k * 0.002)));
    assert.ok(worst < 0.01, `largest deviation ${worst} deg`);
    preflight(plan, { jointCount: 6 });
  });

  it("the same recording joined like waypoints (rest at every sample) would break the acceleration limit: why samples use a cubic", () => {
    const samples = recordedSine();
    assert.throws(() => preflight(waypointPlan({ waypoints: samples.map((s) => s.position), duration_sec: 2, dt: 0.002 }), { jointCount: 6 }), { code: "max_accel_exceeded" });
  });

  it("never overshoots the recorded values between two samples, and starts and ends at rest", () => {
    const samples = [0, 0.1, 0.2, 0.3, 0.4].map((t, i) => ({ t, position: at([0, 5, 5, 2, 2][i]) }));
    const plan = samplesPlan(samples, 0.002);
    for (let k = 0; k < plan.count; k++) {
      const q = pointAt(plan, k)[0];
      assert.ok(q >= 0 - 1e-9 && q <= 5 + 1e-9, `point ${k}: ${q}`);
    }
    // A flat stretch stays flat: no bulge between two equal samples.
    for (let k = 50; k <= 100; k++) assert.ok(Math.abs(pointAt(plan, k)[0] - 5) < 1e-9, `point ${k}`);
    assert.ok(Math.abs(pointAt(plan, 1)[0] - pointAt(plan, 0)[0]) < 0.01, "starts at rest");
    assert.ok(Math.abs(pointAt(plan, plan.count - 1)[0] - pointAt(plan, plan.count - 2)[0]) < 0.01, "ends at rest");
  });

  it("whole-ms timestamps: a 10 ms recording with ±2 ms poll jitter, its times rounded to the ms, replays inside the default limits", () => {
    // A small LCG: the same jitter on every run.
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (const [move, duration] of [[10, 3], [30, 2.4]]) {
      // 30 deg out and back in 2.4 s peaks at 47 deg/s and 120 deg/s²: within the limits itself.
      const truth = waypointPlan({ waypoints: [HOME, at(move), HOME], duration_sec: duration, dt: 0.0005 });
      const samples = [];
      for (let k = 0; k * 0.01 <= duration; k++) {
        const when = Math.min(duration, Math.max(0, k * 0.01 + (k > 0 ? (random() - 0.5) * 0.004 : 0)));
        samples.push({ t: Math.round(when * 1000) / 1000, position: pointAt(truth, Math.round(when / 0.0005)) });
      }
      const plan = samplesPlan(samples, 0.002);
      preflight(plan, { jointCount: 6 });
      const peak = Math.max(...Array.from({ length: plan.count }, (_, k) => pointAt(plan, k)[0]));
      assert.ok(Math.abs(peak - move) < 0.05, `the ${move} deg move keeps its peak: ${peak}`);
    }
  });

  it(`knots: the first sample, each one at least ${KNOT_SPACING_S * 1000} ms after the last kept, and always the last`, () => {
    const s = (t) => ({ t, position: [t] });
    assert.deepEqual(knots([0, 0.01, 0.04, 0.05, 0.09, 0.1].map(s)).map((k) => k.t), [0, 0.04, 0.1]);
    assert.deepEqual(knots([0, 0.01].map(s)).map((k) => k.t), [0, 0.01]);
  });

  it("uneven sample spacing (a monitor's jitter) is fine: the plan spans the recorded time", () => {
    const plan = samplesPlan([{ t: 0, position: HOME }, { t: 0.013, position: at(0.1) }, { t: 0.02, position: at(0.2) }, { t: 0.041, position: at(0.3) }], 0.001);
    assert.equal(plan.count, 42);
    assert.deepEqual(pointAt(plan, 41), at(0.3));
  });

  describe("refusals, each with its code", () => {
    it("invalid_samples: not an array, fewer than two, or a sample without {t, position}", () => {
      assert.throws(() => samplesPlan("x", 0.002), { code: "invalid_samples" });
      assert.throws(() => samplesPlan([{ t: 0, position: HOME }], 0.002), { code: "invalid_samples" });
      assert.throws(() => samplesPlan([{ t: 0, position: HOME }, { t: 1 }], 0.002), { code: "invalid_samples", message: /samples\[1\]/ });
      assert.throws(() => samplesPlan([{ t: 0, position: [] }, { t: 1, position: [] }], 0.002), { code: "invalid_samples" });
    });

    it("non_monotonic_time: a time before the previous one names the sample", () => {
      assert.throws(() => samplesPlan([{ t: 0, position: HOME }, { t: 0.1, position: HOME }, { t: 0.05, position: HOME }], 0.002), { code: "non_monotonic_time", message: /samples\[2\]/ });
      assert.throws(() => samplesPlan([{ t: 1, position: HOME }, { t: 0.5, position: HOME }], 0.002), { code: "non_monotonic_time", message: /samples\[1\]/ });
    });

    it("a repeated time (a monitor's whole-ms clock) keeps the first sample at that time; all at one time is invalid_samples", () => {
      const plan = samplesPlan([{ t: 0, position: HOME }, { t: 0, position: at(9) }, { t: 0.01, position: at(1) }], 0.002);
      assert.deepEqual(pointAt(plan, 0), HOME);
      assert.equal(plan.count, 6);
      assert.throws(() => samplesPlan([{ t: 2, position: HOME }, { t: 2, position: HOME }], 0.002), { code: "invalid_samples" });
    });

    it("non_finite_value: a time or an angle that is not a finite number", () => {
      assert.throws(() => samplesPlan([{ t: 0, position: HOME }, { t: "1", position: HOME }], 0.002), { code: "non_finite_value", message: /samples\[1\]\.t/ });
      assert.throws(() => samplesPlan([{ t: 0, position: HOME }, { t: Infinity, position: HOME }], 0.002), { code: "non_finite_value" });
      assert.throws(() => samplesPlan([{ t: 0, position: HOME }, { t: 1, position: [0, 90, NaN, 0, -90, 0] }], 0.002), { code: "non_finite_value", message: /sample 1, joint 3/ });
    });

    it("joint_count_mismatch: a sample of another joint count, or samples of another count than the robot", () => {
      assert.throws(() => samplesPlan([{ t: 0, position: HOME }, { t: 1, position: [0, 90] }], 0.002), { code: "joint_count_mismatch", message: /sample 1 has 2 joints/ });
      assert.throws(() => samplesPlan([{ t: 0, position: [0, 1] }, { t: 1, position: [0, 2] }], 0.002, 6), { code: "joint_count_mismatch" });
    });

    it("trajectory_too_long: a recorded span that would make more points than a plan holds", () => {
      assert.throws(() => samplesPlan([{ t: 0, position: HOME }, { t: 3600, position: HOME }], 0.002), { code: "trajectory_too_long" });
    });
  });
});
