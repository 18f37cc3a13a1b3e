"use strict";
const assert = require("node:assert/strict");
const { preflight, DEFAULT_MAX_SPEED_DEG_S, DEFAULT_MAX_ACCEL_DEG_S2 } = require("../../nodes/trajectory/preflight");
const { planFromRows, MAX_PLAN_POINTS } = require("../../nodes/trajectory/plan");

const HOME = [0, 90, 0, 0, -90, 0];

describe("trajectory: pre-flight checks", () => {
  it("a sound plan passes", () => {
    preflight(planFromRows([HOME, [0.1, 90, 0, 0, -90, 0]], 0.002), { jointCount: 6, maxSpeed: 100, currentPose: HOME });
  });
  it("invalid_dt: dt outside 0.001..1 s", () => {
    assert.throws(() => preflight(planFromRows([HOME], 0.0005)), { code: "invalid_dt" });
    assert.throws(() => preflight(planFromRows([HOME], 2)), { code: "invalid_dt" });
    assert.throws(() => preflight(planFromRows([HOME], NaN)), { code: "invalid_dt" });
  });
  it("invalid_trajectory: a plan with no points", () => {
    assert.throws(() => preflight({ dt: 0.002, jointCount: 6, count: 0, points: new Float64Array(0) }), { code: "invalid_trajectory" });
  });
  it("joint_count_mismatch: points must have the robot's joint count", () => {
    assert.throws(() => preflight(planFromRows([[1, 2, 3]], 0.002), { jointCount: 6 }), { code: "joint_count_mismatch", message: /3 joints; the robot has 6/ });
  });
  it("non_finite_value: names the point and the joint", () => {
    const plan = planFromRows([HOME, HOME], 0.002);
    plan.points[6 + 4] = Infinity;
    assert.throws(() => preflight(plan), { code: "non_finite_value", message: /point 1, joint 5/ });
  });
  it("max_speed_exceeded: a joint moving faster than maxSpeed between consecutive points", () => {
    const plan = planFromRows([HOME, HOME, [0, 90, 1, 0, -90, 0]], 0.002);
    assert.throws(() => preflight(plan, { maxSpeed: 100, maxAccel: 0 }), { code: "max_speed_exceeded", message: /point 2, joint 3: 500\.0 deg\/s/ });
    preflight(plan, { maxSpeed: 500, maxAccel: 0 });
    preflight(plan, { maxSpeed: 0, maxAccel: 0 });
  });
  describe("speed and acceleration limits, on by default", () => {
    const dt = 0.002;
    const joint1 = (angles) => planFromRows(angles.map((a) => [a, 90, 0, 0, -90, 0]), dt);

    it("max_speed_exceeded: a 170° jump in one dt is refused with no options at all", () => {
      assert.ok(DEFAULT_MAX_SPEED_DEG_S > 0 && DEFAULT_MAX_ACCEL_DEG_S2 > 0);
      assert.throws(() => preflight(joint1([0, 170])), { code: "max_speed_exceeded", message: /point 1, joint 1: 85000\.0 deg\/s is over maxSpeed 60/ });
    });
    it("max_accel_exceeded: a reversal at a speed within the limit is refused, naming the point of the second difference", () => {
      // 50 deg/s out, then 50 deg/s back: fine for maxSpeed, a jolt of 50,000 deg/s² at point 3.
      const plan = joint1([0, 0.1, 0.2, 0.1]);
      assert.throws(() => preflight(plan), { code: "max_accel_exceeded", message: /point 3, joint 1: 50000\.0 deg\/s² is over maxAccel 300/ });
      preflight(plan, { maxAccel: 0 });
      preflight(plan, { maxAccel: 50000 });
    });
    it("acceleration starts at the third point: the step from rest into the plan is bounded by maxSpeed alone", () => {
      preflight(joint1([0, 0.1]));
      preflight(joint1([0, 0.1, 0.2, 0.3]));
      assert.throws(() => preflight(joint1([0, 0.2])), { code: "max_speed_exceeded" });
    });
    it("a plan exactly at the acceleration limit passes, and one just over it does not", () => {
      // Constant acceleration at the limit, from rest: q = a·t²/2 until the speed limit.
      const a = DEFAULT_MAX_ACCEL_DEG_S2;
      const steps = Math.floor(DEFAULT_MAX_SPEED_DEG_S / a / dt);
      const at = Array.from({ length: steps }, (_, k) => (a * (k * dt) ** 2) / 2);
      preflight(joint1(at));
      const over = at.map((q) => q * 1.001);
      assert.throws(() => preflight(joint1(over)), { code: "max_accel_exceeded" });
    });
    it("every joint is checked, not only the first", () => {
      const plan = planFromRows([HOME, [0, 90, 0, 0, -90, 0.1], [0, 90, 0, 0, -90, 0.4]], dt);
      assert.throws(() => preflight(plan), { code: "max_speed_exceeded", message: /joint 6/ });
    });
    it("invalid_config: a negative limit is no limit and is refused, never taken as off", () => {
      assert.throws(() => preflight(joint1([0, 0.1]), { maxSpeed: -1 }), { code: "invalid_config" });
      assert.throws(() => preflight(joint1([0, 0.1]), { maxAccel: NaN }), { code: "invalid_config" });
    });
  });

  it("trajectory_too_long: a plan over the limit is refused by pre-flight too", () => {
    const n = MAX_PLAN_POINTS + 1;
    assert.throws(() => preflight({ dt: 0.002, jointCount: 1, count: n, points: new Float64Array(n) }), { code: "trajectory_too_long", message: /1,000,001 points/ });
  });

  it("start_pose_far: the first point must be near the current pose", () => {
    const plan = planFromRows([[10, 90, 0, 0, -90, 0]], 0.002);
    assert.throws(() => preflight(plan, { currentPose: HOME }), { code: "start_pose_far", message: /joint 1/ });
    preflight(plan, { currentPose: HOME, startToleranceDeg: 15 });
    preflight(plan, { currentPose: HOME, startToleranceDeg: 0 });
  });
});
