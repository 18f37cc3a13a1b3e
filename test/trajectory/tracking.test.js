"use strict";
const assert = require("node:assert/strict");
const { TrackingRecorder, SampleClock, commandedAt, checkGoal, LAG_MIN_MOTION_DEG } = require("../../nodes/trajectory/tracking");
const { sinePlan } = require("../../nodes/trajectory/sources");
const { planFromPoints } = require("../../nodes/trajectory/sources");

const BASE = [0, 90, 0, 0, -90, 0];
/** Joint 1 swings 10 deg at 1 Hz for 2 s; the others hold. */
const swing = () => sinePlan({ base: BASE, amplitude_deg: 10, cycle_sec: 1, duration_sec: 2, joints: 1, dt: 0.002 });

/** Feeds the recorder what an arm `lagS` behind the plan reports every `periodS`. */
function follow(plan, lagS, periodS = 0.01, until = (plan.count - 1) * plan.dt + 0.1) {
  const rec = new TrackingRecorder(plan, until);
  for (let t = 0; t <= until + 1e-9; t += periodS) rec.add(t, commandedAt(plan, t - lagS));
  return rec;
}

describe("trajectory: tracking", () => {
  it("the commanded pose at t is the plan on its schedule: linear between points, held before the first and after the last", () => {
    const plan = planFromPoints([[0, 0], [2, 4], [4, 8]], 0.01);
    assert.deepEqual(commandedAt(plan, -1), [0, 0]);
    assert.deepEqual(commandedAt(plan, 0.005), [1, 2]);
    assert.deepEqual(commandedAt(plan, 0.015), [3, 6]);
    assert.deepEqual(commandedAt(plan, 5), [4, 8]);
  });

  it("an arm exactly on the plan has zero error and zero lag", () => {
    const s = follow(swing(), 0).summary(0.5);
    assert.equal(s.joints[0].max_error_deg, 0);
    assert.equal(s.joints[0].rms_error_deg, 0);
    assert.equal(s.joints[0].lag_ms, 0);
  });

  it("lag: the best time shift finds a known delay of the arm to within a quarter of a ms", () => {
    for (const lagMs of [12, 40, 73.5]) {
      const s = follow(swing(), lagMs / 1000).summary(0.54);
      assert.ok(Math.abs(s.joints[0].lag_ms - lagMs) <= 0.25, `lag ${s.joints[0].lag_ms} ms for a true ${lagMs} ms`);
      assert.ok(s.joints[0].rms_error_after_lag_deg < 0.01, `what is left once the lag is removed: ${s.joints[0].rms_error_after_lag_deg} deg`);
    }
  });

  it("max and RMS error per joint: a 40 ms lag on a 10 deg, 1 Hz sine is about 2.5 deg at most and 1.8 RMS", () => {
    const s = follow(swing(), 0.04, 0.01, 2).summary(0.54);
    // Peak speed 2π·10 deg/s × 0.04 s = 2.51 deg; RMS of a sine is peak / √2.
    assert.ok(Math.abs(s.joints[0].max_error_deg - 2.51) < 0.05, `max ${s.joints[0].max_error_deg}`);
    assert.ok(Math.abs(s.joints[0].rms_error_deg - 2.51 / Math.SQRT2) < 0.1, `rms ${s.joints[0].rms_error_deg}`);
    assert.equal(s.samples, 201);
  });

  it(`a joint that moved less than ${LAG_MIN_MOTION_DEG} deg has no lag (null), but still its errors`, () => {
    const plan = swing();
    const rec = new TrackingRecorder(plan);
    for (let t = 0; t <= 2; t += 0.01) {
      const p = commandedAt(plan, t);
      p[3] += 0.5;
      rec.add(t, p);
    }
    const s = rec.summary(0.5);
    assert.equal(s.joints[3].lag_ms, null);
    assert.equal(s.joints[3].rms_error_after_lag_deg, null);
    assert.ok(Math.abs(s.joints[3].max_error_deg - 0.5) < 1e-9);
    assert.ok(Math.abs(s.joints[3].rms_error_deg - 0.5) < 1e-9);
  });

  it("samples before the first point, or of another joint count, are not compared", () => {
    const plan = swing();
    const rec = new TrackingRecorder(plan);
    assert.equal(rec.add(-0.01, BASE), undefined);
    assert.equal(rec.add(0.01, [1, 2, 3]), undefined);
    assert.equal(rec.add(Number.NaN, BASE), undefined);
    assert.equal(rec.summary(0.5).samples, 0);
    const one = rec.add(0, [1, 90, 0, 0, -90, 0]);
    assert.deepEqual(one.error, [1, 0, 0, 0, 0, 0]);
    assert.deepEqual(rec.summary(0.5).final, [1, 90, 0, 0, -90, 0]);
  });

  it("sample time: the controller's ts (ms), mapped onto this clock by the fastest sample's delay, so delivery delay is not error", () => {
    const clock = new SampleClock();
    const ms = (v) => BigInt(Math.round(v * 1e6));
    // The controller's clock reads 1000 ms when ours reads 5000 ms; samples take 3, 1 and 40 ms to arrive.
    assert.equal(clock.sampledAt(1000, ms(5003)), ms(5003), "the first sample sets the mapping");
    assert.equal(clock.sampledAt(1010, ms(5011)), ms(5011), "a faster one improves it");
    assert.equal(clock.sampledAt(1020, ms(5060)), ms(5021), "a late one is timed when it was taken, not when it came");
    assert.equal(clock.sampledAt(undefined, ms(5070)), ms(5070), "without ts, its arrival");
  });

  describe("goal tolerance", () => {
    it("goal_tolerance_violated: names the joint farthest outside the tolerance (1-based)", () => {
      const g = checkGoal([0, 90.2, 3, 0, -90, 0], BASE, 0.5);
      assert.equal(g.ok, false);
      assert.equal(g.joint, 3);
      assert.ok(Math.abs(g.error_deg[1] - 0.2) < 1e-9);
    });

    it("every joint within the tolerance passes", () => {
      const g = checkGoal([0.4, 89.6, 0, 0, -90, 0], BASE, 0.5);
      assert.equal(g.ok, true);
      assert.equal(g.joint, undefined);
    });

    it("a final pose that was never seen (or lacks a joint) fails: a goal not seen is not reached", () => {
      assert.equal(checkGoal([], BASE, 0.5).ok, false);
      assert.equal(checkGoal([], BASE, 0.5).joint, 1);
      assert.equal(checkGoal([0, 90, 0, 0, -90], BASE, 0.5).joint, 6);
    });
  });
});
