"use strict";
const assert = require("node:assert/strict");
const { VirtualRobot, HOME_POSE, ALARMS } = require("../../nodes/sim");
const { TRAJECTORY_CAPACITY, DEFAULT_SERVO_LAG_MS } = require("../../nodes/sim/robot");

/** A robot on a clock the test moves by hand, in ms; by default its servo copies the command, so poses are exact. */
function robotAt(startMs = 0, settings = { servoLagMs: 0 }) {
  const clock = { now: startMs };
  return { robot: new VirtualRobot(() => clock.now, HOME_POSE, settings), clock };
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
    const { robot, clock } = robotAt(0, { servoLagMs: 0, jointSpeedLimitDegS: 0 });
    robot.insertPoint([0, 90, 0, 0, -90, 0], 0, 0.01, 0); // due at 0 ms
    robot.insertPoint([10, 90, 0, 0, -90, 0], 0.01, 0.01, 0); // due at 10 ms
    clock.now = 5;
    assert.ok(Math.abs(robot.jointStates().position[0] - 5) < 1e-9);
    clock.now = 20;
    assert.deepEqual(robot.jointStates().position, [10, 90, 0, 0, -90, 0]);
  });

  it("keeps the pose exact across the buffer's compaction of consumed points", () => {
    const { robot, clock } = robotAt(0, { servoLagMs: 0, jointSpeedLimitDegS: 0 });
    const n = 9000;
    for (let i = 0; i < n; i++) {
      // Fed as a stream: a point every ms, never more than the buffer holds.
      clock.now = Math.max(0, i - 1000);
      assert.equal(robot.insertPoint([i, 90, 0, 0, -90, 0], i * 0.001, 0.001, 0), true, `point ${i} refused`);
    }
    clock.now = (n - 1) * 1 - 0.5; // half-way between the last two points
    assert.ok(Math.abs(robot.jointStates().position[0] - (n - 1.5)) < 1e-6);
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

describe("sim: the virtual robot behaves like an arm", () => {
  it(`servo lag: the measured pose trails the command through a first-order lag of DEFAULT_SERVO_LAG_MS (${DEFAULT_SERVO_LAG_MS} ms)`, () => {
    const { robot, clock } = robotAt(0, { jointSpeedLimitDegS: 0 });
    // A 10 deg step commanded at 0 ms and held.
    robot.insertPoint([0, 90, 0, 0, -90, 0], 0, 0.001, 0);
    robot.insertPoint([10, 90, 0, 0, -90, 0], 0.001, 0.001, 0);
    robot.insertPoint([10, 90, 0, 0, -90, 0], 0.002, 0.001, 0);
    clock.now = 1 + DEFAULT_SERVO_LAG_MS;
    const afterTau = robot.jointStates().position[0];
    // One time constant after the step: 1 - 1/e of the way, as a first-order servo gets there.
    assert.ok(Math.abs(afterTau - 10 * (1 - Math.exp(-1))) < 0.3, `after one time constant ${afterTau}`);
    clock.now = 1 + 10 * DEFAULT_SERVO_LAG_MS;
    assert.ok(Math.abs(robot.jointStates().position[0] - 10) < 0.01, "settled on the command");
  });

  it("servo lag 0: the arm copies its command", () => {
    const { robot, clock } = robotAt();
    robot.insertPoint([0, 90, 0, 0, -90, 0], 0, 0.01, 0);
    robot.insertPoint([1, 90, 0, 0, -90, 0], 0.01, 0.01, 0);
    clock.now = 10;
    assert.equal(robot.jointStates().position[0], 1);
  });

  it("buffer of TRAJECTORY_CAPACITY = 2048 points, consumed in real time at each point's dt", () => {
    const { robot, clock } = robotAt();
    assert.equal(TRAJECTORY_CAPACITY, 2048);
    assert.equal(robot.bufferAvailable, 2048);
    const rows = Array.from({ length: 2048 }, (_, i) => [i * 0.01, 90, 0, 0, -90, 0]);
    robot.insertPoints(rows, rows.map((_, i) => i * 0.004));
    // point_1 is due at once (time_from_start 0): the rest wait their turn.
    assert.equal(robot.bufferAvailable, 1);
    clock.now = 100; // points due at 0, 4, ... 100 ms have been reached
    assert.equal(robot.queued, 2048 - 26);
    assert.equal(robot.bufferAvailable, 26);
  });

  it("joint_traject_init empties the buffer and the arm stops where it is", () => {
    const { robot, clock } = robotAt();
    const rows = Array.from({ length: 100 }, (_, i) => [i * 0.01, 90, 0, 0, -90, 0]);
    robot.insertPoints(rows, rows.map((_, i) => i * 0.002));
    clock.now = 50;
    const at = robot.jointStates().position[0];
    robot.initTrajectory();
    assert.equal(robot.queued, 0);
    assert.equal(robot.bufferAvailable, 2048);
    clock.now = 500;
    assert.equal(robot.jointStates().position[0], at);
    assert.equal(robot.alarm, undefined, "an init is no alarm");
  });

  it(`${ALARMS.couldNotFollow.code} could not follow: a buffer that runs dry while the arm moves stops it with the alarm`, () => {
    const { robot, clock } = robotAt();
    const rows = Array.from({ length: 10 }, (_, i) => [i * 0.05, 90, 0, 0, -90, 0]); // 25 deg/s
    robot.insertPoints(rows, rows.map((_, i) => i * 0.002));
    clock.now = 18; // the last point is reached; the next one is not due yet
    assert.equal(robot.alarm, undefined);
    clock.now = 21; // one interval after the last point: the buffer has run dry mid-motion
    assert.equal(robot.alarm.code, "E2630");
    assert.equal(robot.insertPoint([0.5, 90, 0, 0, -90, 0], 0.02, 0.002, 0), false, "no point is taken until an init");
    robot.initTrajectory();
    assert.equal(robot.alarm, undefined);
    assert.equal(robot.insertPoint([0.45, 90, 0, 0, -90, 0], 0, 0.002, 0), true);
  });

  it("a trajectory that comes to rest ends quietly when its buffer runs out", () => {
    const { robot, clock } = robotAt();
    const rows = Array.from({ length: 10 }, (_, i) => [Math.min(i, 5) * 0.05, 90, 0, 0, -90, 0]);
    robot.insertPoints(rows, rows.map((_, i) => i * 0.002));
    clock.now = 1000;
    assert.equal(robot.alarm, undefined);
    assert.equal(robot.jointStates().position[0], 0.25);
  });

  it(`${ALARMS.speedLimit.code} speed limit: a step faster than the joint speed limit stops the arm before it and drops the buffer`, () => {
    const { robot, clock } = robotAt(0, { servoLagMs: 0, jointSpeedLimitDegS: 100 });
    // 0.1 deg per 2 ms is 50 deg/s; then a 1 deg step in 2 ms is 500 deg/s.
    const rows = [0, 0.1, 0.2, 1.2, 1.3].map((q) => [q, 90, 0, 0, -90, 0]);
    robot.insertPoints(rows, rows.map((_, i) => i * 0.002));
    clock.now = 20;
    assert.equal(robot.alarm.code, "E159");
    assert.ok(Math.abs(robot.jointStates().position[0] - 0.2) < 1e-9, "holds the last point it reached in time");
    assert.equal(robot.queued, 0);
    assert.equal(robot.executedPoints, 3);
  });
});
