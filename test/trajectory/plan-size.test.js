"use strict";
// Plans are bounded, refused before they are allocated, and built and
// checked in slices that let the event loop turn. Turns are counted, never
// timed.
const assert = require("node:assert/strict");
const { MAX_PLAN_POINTS, planFromRows } = require("../../nodes/trajectory/plan");
const { planFromPoints, sinePlan, sineWork, pointsWork } = require("../../nodes/trajectory/sources");
const { waypointPlan, waypointWork } = require("../../nodes/trajectory/waypoints");
const { preflight, preflightWork } = require("../../nodes/trajectory/preflight");
const { runInSlices, runAtOnce, CHUNK_POINTS, DEFAULT_SLICE_MAX_CHUNKS } = require("../../nodes/trajectory/slices");

const HOME = [0, 90, 0, 0, -90, 0];
const dt = 0.002;

/** Counts the setImmediate callbacks that run while `work` runs: each is a turn of the event loop another flow could have used. */
async function turnsDuring(work) {
  let turns = 0;
  let running = true;
  const tick = () => {
    turns += 1;
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  const result = await work();
  running = false;
  return { turns, result };
}

describe("trajectory: plans are bounded and built in slices", () => {
  describe("trajectory_too_long, before anything is allocated", () => {
    it("a sine's count comes from duration_sec / dt: 20000 s at 2 ms (10,000,001 points) is refused on the first step of its work", () => {
      const work = sineWork({ base: HOME, amplitude_deg: 1, cycle_sec: 1, duration_sec: 20000, dt });
      assert.throws(() => work.next(), { code: "trajectory_too_long", message: /10,000,001 points \(duration_sec 20000 \/ dt 0\.002\); a plan holds at most 1,000,000/ });
    });
    it("a duration no array could hold (1e300 s) is refused with the code, not a RangeError", () => {
      assert.throws(() => sinePlan({ base: HOME, amplitude_deg: 1, cycle_sec: 1, duration_sec: 1e300, dt }), { code: "trajectory_too_long", message: /too many points/ });
    });
    it("waypoints: the count from their total time / dt is refused, whether set by duration_sec or by a tiny max_speed", () => {
      assert.throws(() => waypointPlan({ waypoints: [HOME, [10, 90, 0, 0, -90, 0]], duration_sec: 1e9, dt }), { code: "trajectory_too_long" });
      assert.throws(() => waypointPlan({ waypoints: [HOME, [10, 90, 0, 0, -90, 0]], max_speed: 1e-6, dt }), { code: "trajectory_too_long" });
    });
    it("explicit points: the array's length is checked before any entry is read", () => {
      // Every entry is a hole: reading any of them would be invalid_trajectory, not trajectory_too_long.
      const points = new Array(MAX_PLAN_POINTS + 1);
      assert.throws(() => planFromPoints(points, dt), { code: "trajectory_too_long", message: /1,000,001 points \(points has 1,000,001 entries\)/ });
      assert.throws(() => planFromRows(points, dt), { code: "trajectory_too_long" });
    });
    it("a plan of exactly the limit is built", () => {
      const plan = sinePlan({ base: HOME, amplitude_deg: 1, cycle_sec: 10, duration_sec: (MAX_PLAN_POINTS - 1) * dt, dt });
      assert.equal(plan.count, MAX_PLAN_POINTS);
      assert.equal(plan.points.length, MAX_PLAN_POINTS * 6);
    });
    it("joint_count_mismatch: a sine base, waypoints or points of another joint count than the robot's are refused before they are built", () => {
      const seven = [0, 90, 0, 0, -90, 0, 0];
      assert.throws(() => sineWork({ base: seven, amplitude_deg: 1, cycle_sec: 1, duration_sec: 1, dt, robotJoints: 6 }).next(), { code: "joint_count_mismatch", message: /7 joints; the robot has 6/ });
      assert.throws(() => waypointWork({ waypoints: [seven, seven], duration_sec: 1, dt, robotJoints: 6 }).next(), { code: "joint_count_mismatch" });
      assert.throws(() => runAtOnce(pointsWork([seven], dt, 6)), { code: "joint_count_mismatch" });
    });
  });

  describe("slices", () => {
    const bigSine = () => sineWork({ base: HOME, amplitude_deg: 5, cycle_sec: 4, duration_sec: (MAX_PLAN_POINTS - 1) * dt, dt, robotJoints: 6 });
    const leastTurns = Math.floor(MAX_PLAN_POINTS / (CHUNK_POINTS * DEFAULT_SLICE_MAX_CHUNKS)) - 1;

    it("building a plan at the limit lets the event loop turn between slices, whatever the machine's speed", async () => {
      const { turns, result } = await turnsDuring(() => runInSlices(bigSine()));
      assert.equal(result.count, MAX_PLAN_POINTS);
      assert.ok(turns >= leastTurns, `${turns} turns during the build; at least ${leastTurns} expected`);
    });
    it("so does checking it", async () => {
      const plan = runAtOnce(bigSine());
      const { turns } = await turnsDuring(() => runInSlices(preflightWork(plan, { jointCount: 6, currentPose: HOME })));
      assert.ok(turns >= leastTurns, `${turns} turns during pre-flight; at least ${leastTurns} expected`);
    });
    it("a build that refuses part-way still lets the loop turn before it does, and the slices give the same plan as a build at once", async () => {
      const rows = Array.from({ length: 200_000 }, (_, i) => [i * 0.0001, 90, 0, 0, -90, 0]);
      const { turns, result } = await turnsDuring(() => runInSlices(pointsWork(rows, dt, 6), { budgetMs: 0, maxChunks: 1 }));
      assert.ok(turns >= Math.floor(200_000 / CHUNK_POINTS) * 2 - 2, `${turns} turns: one per chunk of checking and of building`);
      assert.deepEqual(result.points, planFromPoints(rows, dt).points);
      rows[150_000] = [0, 90, NaN, 0, -90, 0];
      const refused = await turnsDuring(() => runInSlices(pointsWork(rows, dt, 6), { budgetMs: 0, maxChunks: 1 }).catch((err) => err));
      assert.equal(refused.result.code, "non_finite_value");
      assert.ok(refused.turns >= Math.floor(150_000 / CHUNK_POINTS) - 1);
    });
    it("pre-flight in slices refuses what pre-flight at once refuses", async () => {
      const plan = waypointPlan({ waypoints: [HOME, [170, 90, 0, 0, -90, 0]], duration_sec: 1e-6, dt });
      assert.throws(() => preflight(plan), { code: "max_speed_exceeded" });
      await assert.rejects(runInSlices(preflightWork(plan)), { code: "max_speed_exceeded" });
    });
  });
});
