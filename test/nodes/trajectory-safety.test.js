"use strict";
// hi6-trajectory's motion-safety rules against the virtual controller: checks
// that cannot run fail the run, the speed and acceleration limits are on by
// default, plans are bounded, and a plan at the limit is built without
// holding the event loop.
const assert = require("node:assert/strict");
const http = require("node:http");
const net = require("node:net");
const { MAX_PLAN_POINTS } = require("../../nodes/trajectory/plan");
const { CHUNK_POINTS, DEFAULT_SLICE_MAX_CHUNKS } = require("../../nodes/trajectory/slices");
const { helper, waitFor, lastStatus, startRig, stopRig, trajectoryDef, loadTrajectoryFlow } = require("./support");

const INSERT = "/project/robot/trajectory/joint_traject_insert_point";
const HOME = [0, 90, 0, 0, -90, 0];
const FAR = [170, 90, 0, 0, -90, 0];

/** A port nothing listens on: the controller's Open API is unreachable there. */
function closedPort() {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

describe("nodes: hi6-trajectory fails closed and limits motion by default", function () {
  let sim;

  beforeEach(async () => {
    sim = await startRig();
  });
  afterEach(async () => {
    await stopRig(sim);
  });

  /** A trajectory node as a flow saved before maxSpeed's default and maxAccel existed would define it, plus `props`. */
  function load(props = {}, session = {}) {
    // Catch-up and a wide silence window: these runs are about the checks, and a busy test machine must not end them early.
    return loadTrajectoryFlow(sim, [trajectoryDef({ wires: [["result"], []], ...props })], ["result"], session);
  }

  const controls = () => sim.received.filter((l) => l.includes('"cmd":"CONTROL"'));
  const inserts = () => sim.received.filter((l) => l.includes(INSERT));

  async function refused(t, out, payload, code) {
    t.receive({ payload });
    await waitFor(() => out.caught.length === 1, `caught ${code}`);
    const err = out.caught[0]._error;
    assert.equal(err.code, code, err.message);
    assert.equal(lastStatus(t).text, code);
    assert.equal(controls().length, 0, "nothing sent, not even joint_traject_init");
    assert.equal(out.result.length, 0);
    return err;
  }

  describe("pose_unavailable", () => {
    it("startTolerance > 0 and the pose cannot be read (restPort unreachable): a first point 170° away is refused, and the message says how to fix it", async () => {
      const { t, out } = await load({}, { restPort: await closedPort() });
      const err = await refused(t, out, { points: [FAR, FAR] }, "pose_unavailable");
      assert.match(err.message, /pose could not be read/);
      assert.match(err.message, /restPort/);
      assert.match(err.message, /Start tolerance to 0/);
    });
    it("a sine without base and no readable pose is refused, even with the start check off", async () => {
      const { t, out } = await load({ startTolerance: 0 }, { restPort: await closedPort() });
      const err = await refused(t, out, { sine: { amplitude_deg: 1, cycle_sec: 1, duration_sec: 0.1 } }, "pose_unavailable");
      assert.match(err.message, /sine without base/);
      assert.doesNotMatch(err.message, /Start tolerance/);
    });
    it("with Start tolerance 0 the check is off, as configured: points run without the pose", async () => {
      // An Open API that says a program plays back, and cannot give the pose.
      const rest = http.createServer((req, res) => {
        if (req.url === "/project/rgen") res.end(JSON.stringify({ _type: "JObject", is_playback: true }));
        else res.writeHead(500).end();
      });
      await new Promise((r) => rest.listen(0, "127.0.0.1", r));
      try {
        const { t, out } = await load({ startTolerance: 0 }, { restPort: rest.address().port });
        t.receive({ payload: { points: [HOME, HOME] } });
        await waitFor(() => out.result.length === 1, "result");
        assert.deepEqual([out.result[0].payload.sent, out.caught.length], [2, 0]);
      } finally {
        await helper.unload();
        await new Promise((r) => rest.close(r));
      }
    });
    it("readiness_unavailable: with Start tolerance 0 and no Open API at all, the run is still refused: whether a program plays back cannot be read", async () => {
      const { t, out } = await load({ startTolerance: 0 }, { restPort: await closedPort() });
      await refused(t, out, { points: [HOME, HOME] }, "readiness_unavailable");
    });
  });

  describe("speed and acceleration limits on by default", () => {
    it("max_speed_exceeded: [[0,90,0,0,-90,0],[170,90,0,0,-90,0]] at dt 2 ms is refused before the first point", async () => {
      const { t, out } = await load();
      const err = await refused(t, out, [HOME, FAR], "max_speed_exceeded");
      assert.match(err.message, /point 1, joint 1: 85000\.0 deg\/s is over maxSpeed 60 deg\/s/);
    });
    it("max_speed_exceeded: waypoints with duration_sec 1e-6 make the same jump and are refused", async () => {
      const { t, out } = await load();
      await refused(t, out, { waypoints: [HOME, FAR], duration_sec: 1e-6 }, "max_speed_exceeded");
    });
    it("max_speed_exceeded: a sine faster than the default is refused", async () => {
      const { t, out } = await load();
      await refused(t, out, { sine: { amplitude_deg: 10, cycle_sec: 0.5, duration_sec: 1, joints: 1 } }, "max_speed_exceeded");
    });
    it("max_accel_exceeded: points that reverse at a speed within the limit", async () => {
      const { t, out } = await load();
      const err = await refused(t, out, [0, 0.1, 0.2, 0.1].map((a) => [a, 90, 0, 0, -90, 0]), "max_accel_exceeded");
      assert.match(err.message, /point 3, joint 1: .* deg\/s² is over maxAccel 300 deg\/s²/);
    });
    it("max_accel_exceeded: a sine whose acceleration is over the default (2°, 0.4 s cycle: 493 deg/s²)", async () => {
      const { t, out } = await load();
      await refused(t, out, { sine: { amplitude_deg: 2, cycle_sec: 0.4, duration_sec: 0.2, base: HOME, joints: 1 } }, "max_accel_exceeded");
    });
    it("max_accel_exceeded: waypoints timed too short for the default", async () => {
      const { t, out } = await load();
      await refused(t, out, { waypoints: [HOME, [3, 90, 0, 0, -90, 0]], duration_sec: 0.1 }, "max_accel_exceeded");
    });
    it("a maxSpeed or maxAccel that is no limit (negative, not a number) gets the default, never off", async () => {
      const { t, out } = await load({ maxSpeed: -5, maxAccel: "fast" });
      await refused(t, out, [HOME, FAR], "max_speed_exceeded");
      t.receive({ payload: [0, 0.1, 0.2, 0.1].map((a) => [a, 90, 0, 0, -90, 0]) });
      await waitFor(() => out.caught.length === 2, "second refusal");
      assert.equal(out.caught[1]._error.code, "max_accel_exceeded");
    });
    it("a flow saved with maxSpeed 0 (and maxAccel 0) keeps working as before: the checks are off, as saved", async () => {
      const { t, out } = await load({ maxSpeed: 0, maxAccel: 0 });
      t.receive({ payload: [HOME, FAR, HOME] });
      await waitFor(() => out.result.length === 1, "result");
      assert.deepEqual([out.result[0].payload.sent, out.caught.length], [3, 0]);
      assert.deepEqual(JSON.parse(inserts()[1]).payload.body.point, FAR);
    });
    it("within the defaults, a 5° sine around the pose runs", async () => {
      const { t, out } = await load();
      t.receive({ payload: { sine: { amplitude_deg: 5, cycle_sec: 4, duration_sec: 0.2, joints: 2 } } });
      await waitFor(() => out.result.length === 1, "result");
      assert.deepEqual([out.result[0].payload.sent, out.result[0].payload.aborted, out.caught.length], [101, false, 0]);
    });
  });

  describe("bounded plans", () => {
    it("trajectory_too_long: a sine of 100000 s is refused at once, and nothing is sent", async () => {
      const { t, out } = await load();
      const err = await refused(t, out, { sine: { amplitude_deg: 1, cycle_sec: 10, duration_sec: 100000, base: HOME } }, "trajectory_too_long");
      assert.match(err.message, /50,000,001 points/);
    });
    it("trajectory_too_long: more explicit points than the limit, refused by their count", async () => {
      const { t, out } = await load({ startTolerance: 0 });
      const points = new Array(MAX_PLAN_POINTS + 1).fill(HOME);
      await refused(t, out, { points }, "trajectory_too_long");
    });
    it("a plan at the limit is built and checked while the event loop keeps turning, then streams", async () => {
      // No pose to read: every turn counted falls between the msg and the end of pre-flight, when the status turns to "sending".
      const { t, out } = await load({ startTolerance: 0 });
      let turns = 0;
      const tick = () => {
        if (/^sending /.test(lastStatus(t).text) || out.caught.length > 0) return;
        turns += 1;
        setImmediate(tick);
      };
      t.receive({ payload: { sine: { amplitude_deg: 5, cycle_sec: 4, duration_sec: (MAX_PLAN_POINTS - 1) * 0.002, base: HOME } } });
      setImmediate(tick);
      await waitFor(() => inserts().length > 0 || out.caught.length > 0, "the first point on the wire", 30000);
      assert.equal(out.caught.length, 0);
      // The build and the pre-flight each take at least this many slices of at most CHUNK_POINTS × DEFAULT_SLICE_MAX_CHUNKS points.
      const least = 2 * (Math.floor(MAX_PLAN_POINTS / (CHUNK_POINTS * DEFAULT_SLICE_MAX_CHUNKS)) - 1);
      assert.ok(turns >= least, `${turns} event-loop turns while the plan was built and checked; at least ${least} expected`);
      t.receive({ payload: "stop" });
      await waitFor(() => out.result.length === 1, "result");
      assert.deepEqual([out.result[0].payload.total, out.result[0].payload.aborted], [MAX_PLAN_POINTS, true]);
    });
  });
});
