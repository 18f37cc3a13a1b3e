"use strict";
const assert = require("node:assert/strict");
const { VirtualRobot, HOME_POSE } = require("../../nodes/sim");
const { TRAJECTORY_CAPACITY } = require("../../nodes/sim/robot");

/** A robot on a clock the test moves by hand, in ms. */
function robotAt(startMs = 0) {
  const clock = { now: startMs };
  return { robot: new VirtualRobot(() => clock.now), clock };
}

describe("sim: the virtual robot's trajectory buffer", () => {
  it("consumes due points in real time, so a stream longer than the buffer never fills it while nobody reads the pose", () => {
    const { robot, clock } = robotAt();
    const dt = 0.002;
    const total = TRAJECTORY_CAPACITY * 2;
    for (let i = 0; i < total; i++) {
      // One point every dt with a 40 ms look-ahead, as a paced sender writes them.
      clock.now = i * dt * 1000;
      assert.equal(robot.insertPoint([i * 1e-3, 90, 0, 0, -90, 0], i * dt, dt, 0.04), true, `point ${i} refused`);
    }
    // Only the look-ahead's worth is still waiting to be played.
    assert.ok(robot.queued <= 21, `queued ${robot.queued}`);
    assert.equal(robot.bufferAvailable, TRAJECTORY_CAPACITY - robot.queued);
  });

  it("refuses a point once the buffer holds TRAJECTORY_CAPACITY points not yet due", () => {
    const { robot } = robotAt();
    for (let i = 0; i < TRAJECTORY_CAPACITY; i++) assert.equal(robot.insertPoint([...HOME_POSE], i * 0.002, 0.002, 0.04), true);
    assert.equal(robot.bufferAvailable, 0);
    assert.equal(robot.insertPoint([...HOME_POSE], TRAJECTORY_CAPACITY * 0.002, 0.002, 0.04), false);
  });

  it("interpolates between the last point reached and the next, whenever the pose is read", () => {
    const { robot, clock } = robotAt();
    robot.insertPoint([0, 90, 0, 0, -90, 0], 0, 0.01, 0); // due at 0 ms
    robot.insertPoint([10, 90, 0, 0, -90, 0], 0.01, 0.01, 0); // due at 10 ms
    clock.now = 5;
    assert.ok(Math.abs(robot.jointStates().position[0] - 5) < 1e-9);
    clock.now = 20;
    assert.deepEqual(robot.jointStates().position, [10, 90, 0, 0, -90, 0]);
  });

  it("keeps the pose exact across the buffer's compaction of consumed points", () => {
    const { robot, clock } = robotAt();
    const n = 9000;
    for (let i = 0; i < n; i++) robot.insertPoint([i, 90, 0, 0, -90, 0], i * 0.001, 0.001, 0);
    clock.now = (n - 1) * 1 - 0.5; // half-way between the last two points
    assert.ok(Math.abs(robot.jointStates().position[0] - (n - 1.5)) < 1e-6);
    clock.now = n * 1;
    assert.equal(robot.jointStates().position[0], n - 1);
  });
  it("counts the points it has executed, and init drops the rest without executing them", () => {
    const { robot, clock } = robotAt();
    for (let i = 0; i < 10; i++) robot.insertPoint([i, 90, 0, 0, -90, 0], i * 0.01, 0.01, 0);
    clock.now = 45; // points due at 0..40 ms have been passed
    assert.equal(robot.executedPoints, 5);
    robot.initTrajectory();
    clock.now = 200;
    assert.equal(robot.executedPoints, 5);
    assert.equal(robot.queued, 0);
  });

  it("pause stands the arm still with its buffer; resume plays the buffer on from where it stopped", () => {
    const { robot, clock } = robotAt();
    for (let i = 0; i < 10; i++) robot.insertPoint([i, 90, 0, 0, -90, 0], i * 0.01, 0.01, 0);
    clock.now = 25;
    robot.pause();
    const before = robot.executedPoints;
    clock.now = 5025; // five seconds suspended
    assert.equal(robot.executedPoints, before, "nothing is executed while paused");
    assert.equal(robot.queued, 10 - before);
    robot.resume();
    assert.equal(robot.executedPoints, before, "the points due during the pause are not skipped");
    clock.now = 5025 + 10;
    assert.equal(robot.executedPoints, before + 1, "one interval later, one more point");
    clock.now = 5025 + 100;
    assert.equal(robot.executedPoints, 10);
  });
});
