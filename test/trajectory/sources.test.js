"use strict";
const assert = require("node:assert/strict");
const { planFromPoints, sinePlan } = require("../../nodes/trajectory/sources");
const { waypointPlan, quintic, QUINTIC_PEAK_SPEED_FACTOR } = require("../../nodes/trajectory/waypoints");
const { pointAt } = require("../../nodes/trajectory/plan");

const HOME = [0, 90, 0, 0, -90, 0];

describe("trajectory: sources", () => {
  describe("explicit points", () => {
    it("keeps every point in order, in degrees", () => {
      const plan = planFromPoints([HOME, [1, 91, 0, 0, -90, 0]], 0.002);
      assert.equal(plan.count, 2);
      assert.equal(plan.jointCount, 6);
      assert.deepEqual(pointAt(plan, 1), [1, 91, 0, 0, -90, 0]);
    });
    it("invalid_trajectory: empty or not an array of arrays", () => {
      assert.throws(() => planFromPoints([], 0.002), { code: "invalid_trajectory" });
      assert.throws(() => planFromPoints("x", 0.002), { code: "invalid_trajectory" });
      assert.throws(() => planFromPoints([HOME, 3], 0.002), { code: "invalid_trajectory", message: /points\[1\]/ });
    });
    it("joint_count_mismatch: ragged points name the point", () => {
      assert.throws(() => planFromPoints([HOME, [1, 2, 3]], 0.002), { code: "joint_count_mismatch", message: /point 1 has 3 joints/ });
    });
    it("non_finite_value: NaN, Infinity or a string name point and joint", () => {
      assert.throws(() => planFromPoints([HOME, [0, 90, NaN, 0, -90, 0]], 0.002), { code: "non_finite_value", message: /point 1, joint 3/ });
      assert.throws(() => planFromPoints([[0, "1"]], 0.002), { code: "non_finite_value", message: /point 0, joint 2/ });
      assert.throws(() => planFromPoints([[Infinity]], 0.002), { code: "non_finite_value" });
    });
  });

  describe("sine", () => {
    it("has floor(duration/dt)+1 points that start at the base and follow A·sin(2πt/T) on the moving joints", () => {
      const plan = sinePlan({ base: HOME, amplitude_deg: 2, cycle_sec: 1, duration_sec: 1, joints: 2, dt: 0.01 });
      assert.equal(plan.count, 101);
      assert.deepEqual(pointAt(plan, 0), HOME);
      const quarter = pointAt(plan, 25);
      assert.ok(Math.abs(quarter[0] - 2) < 1e-9 && Math.abs(quarter[1] - 92) < 1e-9);
      assert.deepEqual(quarter.slice(2), HOME.slice(2), "joints past `joints` hold the base");
      assert.ok(Math.abs(pointAt(plan, 100)[0]) < 1e-9, "a whole cycle ends where it began");
    });
    it("invalid_trajectory: non-positive cycle or duration, bad joint count", () => {
      assert.throws(() => sinePlan({ base: HOME, amplitude_deg: 1, cycle_sec: 0, duration_sec: 1, dt: 0.002 }), { code: "invalid_trajectory" });
      assert.throws(() => sinePlan({ base: HOME, amplitude_deg: 1, cycle_sec: 1, duration_sec: -1, dt: 0.002 }), { code: "invalid_trajectory" });
      assert.throws(() => sinePlan({ base: HOME, amplitude_deg: 1, cycle_sec: 1, duration_sec: 1, joints: 7, dt: 0.002 }), { code: "invalid_trajectory" });
    });
  });

  describe("waypoints", () => {
    const a = HOME;
    const b = [30, 60, 10, 0, -90, 0];
    const c = [0, 90, 0, 0, -90, 0];

    it("the quintic time scaling goes 0→1 with zero speed at both ends", () => {
      assert.equal(quintic(0), 0);
      assert.equal(quintic(1), 1);
      assert.equal(quintic(0.5), 0.5);
      const h = 1e-6;
      assert.ok(Math.abs((quintic(h) - quintic(0)) / h) < 1e-6);
      assert.ok(Math.abs((quintic(1) - quintic(1 - h)) / h) < 1e-6);
    });
    it("with duration_sec: starts and ends exactly at the first and last waypoint and passes every waypoint", () => {
      const plan = waypointPlan({ waypoints: [a, b, c], duration_sec: 2, dt: 0.002 });
      assert.equal(plan.count, 1001);
      assert.deepEqual(pointAt(plan, 0), a);
      assert.deepEqual(pointAt(plan, plan.count - 1), c);
      const mid = pointAt(plan, 500);
      b.forEach((q, j) => assert.ok(Math.abs(mid[j] - q) < 1e-6, `joint ${j + 1} at the middle waypoint`));
    });
    it("is smooth: no step larger than the quintic's peak speed allows, and near-zero speed at each waypoint", () => {
      const dt = 0.002;
      const plan = waypointPlan({ waypoints: [a, b, c], duration_sec: 2, dt });
      const peak = QUINTIC_PEAK_SPEED_FACTOR * 30 / 1; // joint 1 moves 30° in each 1 s segment
      let maxSpeed = 0;
      for (let k = 1; k < plan.count; k++) maxSpeed = Math.max(maxSpeed, Math.abs(pointAt(plan, k)[0] - pointAt(plan, k - 1)[0]) / dt);
      assert.ok(maxSpeed <= peak + 1e-6 && maxSpeed > peak * 0.99, `peak ${maxSpeed} vs ${peak}`);
      const speedAt = (k) => Math.abs(pointAt(plan, k + 1)[0] - pointAt(plan, k)[0]) / dt;
      assert.ok(speedAt(0) < 0.01 && speedAt(499) < 0.01 && speedAt(plan.count - 2) < 0.01);
    });
    it("with max_speed: each segment is timed so no joint exceeds its limit", () => {
      const dt = 0.002;
      const plan = waypointPlan({ waypoints: [a, b], max_speed: 20, dt });
      for (let k = 1; k < plan.count; k++) {
        const p = pointAt(plan, k);
        const q = pointAt(plan, k - 1);
        p.forEach((v, j) => assert.ok(Math.abs(v - q[j]) / dt <= 20 + 1e-6));
      }
      assert.deepEqual(pointAt(plan, plan.count - 1), b);
    });
    it("invalid_trajectory: one waypoint, or neither duration_sec nor max_speed", () => {
      assert.throws(() => waypointPlan({ waypoints: [a], duration_sec: 1, dt: 0.002 }), { code: "invalid_trajectory" });
      assert.throws(() => waypointPlan({ waypoints: [a, b], dt: 0.002 }), { code: "invalid_trajectory" });
      assert.throws(() => waypointPlan({ waypoints: [a, b], max_speed: [1, 2], dt: 0.002 }), { code: "invalid_trajectory" });
    });
  });
});
