"use strict";
const assert = require("node:assert/strict");
const { preflight } = require("../../nodes/trajectory/preflight");
const { planFromRows } = require("../../nodes/trajectory/plan");

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
    assert.throws(() => preflight(plan, { maxSpeed: 100 }), { code: "max_speed_exceeded", message: /point 2, joint 3: 500\.0 deg\/s/ });
    preflight(plan, { maxSpeed: 500 });
    preflight(plan, { maxSpeed: 0 });
  });
  it("start_pose_far: the first point must be near the current pose", () => {
    const plan = planFromRows([[10, 90, 0, 0, -90, 0]], 0.002);
    assert.throws(() => preflight(plan, { currentPose: HOME }), { code: "start_pose_far", message: /joint 1/ });
    preflight(plan, { currentPose: HOME, startToleranceDeg: 15 });
    preflight(plan, { currentPose: HOME, startToleranceDeg: 0 });
  });
});
