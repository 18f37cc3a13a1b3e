"use strict";
const assert = require("node:assert/strict");
const { helper, waitFor, lastStatus, startRig, stopRig, trajectoryDef, STEADY_LOOK_AHEAD_S, loadTrajectoryFlow } = require("./support");

const INSERT = "/project/robot/trajectory/joint_traject_insert_point";
const HOME = [0, 90, 0, 0, -90, 0];

describe("nodes: hi6-trajectory", function () {
  let sim;

  beforeEach(async () => {
    sim = await startRig();
  });
  afterEach(async () => {
    await stopRig(sim);
  });

  function load(trajectoryProps = {}) {
    return loadTrajectoryFlow(sim, [trajectoryDef({ maxSpeed: 0, wires: [["result"], ["progress"]], ...trajectoryProps })], ["result", "progress"]);
  }

  const inserts = () => sim.received.filter((l) => l.includes(INSERT)).map((l) => JSON.parse(l).payload.body);

  it("streams explicit points after joint_traject_init, in order, with time_from_start = i·dt, and reports stats once", async () => {
    const { t, out } = await load();
    const points = Array.from({ length: 200 }, (_, i) => [i * 0.01, 90, 0, 0, -90, 0]);
    t.receive({ payload: { points } });
    await waitFor(() => out.result.length === 1, "result");
    const r = out.result[0].payload;
    assert.deepEqual([r.sent, r.total, r.aborted], [200, 200, false]);
    for (const k of ["dt_ms", "period_mean_ms", "late_p50_us", "late_p99_us", "late_max_us"]) assert.ok(Number.isFinite(r.stats[k]), k);
    const first = sim.received.findIndex((l) => l.includes("joint_traject_init"));
    const firstPoint = sim.received.findIndex((l) => l.includes(INSERT));
    assert.ok(first >= 0 && first < firstPoint, "init goes first");
    const bodies = inserts();
    assert.equal(bodies.length, 200);
    bodies.forEach((b, i) => {
      assert.equal(b.time_from_start, Math.round(i * 0.002 * 1e9) / 1e9);
      assert.equal(b.interval, 0.002);
      assert.equal(b.look_ahead_time, STEADY_LOOK_AHEAD_S);
      assert.deepEqual(b.point, points[i]);
    });
    assert.ok(out.progress.length >= 1 && out.progress.length <= 10, "progress at most 10 per second");
    assert.match(lastStatus(t).text, /^done · p99 \d+(\.\d)? (µs|ms)$/);
  });

  it("a sine without base reads the current pose over HTTP and moves the virtual robot", async () => {
    const { t, out } = await load();
    t.receive({ payload: { sine: { amplitude_deg: 0.5, cycle_sec: 0.4, duration_sec: 0.1, joints: 1 } } });
    await waitFor(() => out.result.length === 1, "result");
    assert.equal(out.result[0].payload.sent, 51);
    const bodies = inserts();
    assert.deepEqual(bodies[0].point, HOME);
    assert.ok(Math.abs(bodies[50].point[0] - 0.5) < 1e-9, "a quarter cycle reaches the amplitude");
  });

  it("waypoints are interpolated into a smooth run that ends on the last waypoint", async () => {
    const { t, out } = await load();
    t.receive({ payload: { waypoints: [HOME, [3, 90, 0, 0, -90, 0]], duration_sec: 0.4 } });
    await waitFor(() => out.result.length === 1, "result");
    const bodies = inserts();
    assert.deepEqual(bodies[bodies.length - 1].point, [3, 90, 0, 0, -90, 0]);
  });

  for (const [name, payload, code] of [
    ["ragged points", { points: [HOME, [1, 2]] }, "joint_count_mismatch"],
    ["NaN in points", { points: [HOME, [0, 90, NaN, 0, -90, 0]] }, "non_finite_value"],
    ["a string in points", { points: [HOME, [0, "90", 0, 0, -90, 0]] }, "non_finite_value"],
    ["a point of another joint count than the robot", { points: [[0, 90, 0]] }, "joint_count_mismatch"],
    ["a first point far from the pose", { points: [[40, 90, 0, 0, -90, 0]] }, "start_pose_far"],
    ["dt out of range", { points: [HOME], dt: 5 }, "invalid_dt"],
    ["not a trajectory", { hello: 1 }, "invalid_trajectory"],
  ]) {
    it(`${code}: ${name} is rejected before anything is sent, and a Catch node gets it`, async () => {
      const { t, out } = await load();
      t.receive({ payload });
      await waitFor(() => out.caught.length === 1, "caught");
      assert.equal(out.caught[0].error.code, code);
      assert.equal(sim.received.filter((l) => l.includes("CONTROL")).length, 0, "nothing sent");
    });
  }

  it("max_speed_exceeded: maxSpeed is checked between consecutive points", async () => {
    const { t, out } = await load({ maxSpeed: 100 });
    t.receive({ payload: { points: [HOME, [1, 90, 0, 0, -90, 0]] } });
    await waitFor(() => out.caught.length === 1, "caught");
    assert.equal(out.caught[0].error.code, "max_speed_exceeded");
    assert.match(out.caught[0].error.message, /point 1, joint 1/);
  });

  it("\"stop\" aborts the run: the result says how many were sent, no point follows, and STOP control goes out", async () => {
    const { t, out } = await load();
    t.receive({ payload: { sine: { amplitude_deg: 1, cycle_sec: 1, duration_sec: 5, base: HOME } } });
    await waitFor(() => inserts().length > 20, "points flowing");
    t.receive({ payload: "stop" });
    await waitFor(() => out.result.length === 1, "result");
    const r = out.result[0].payload;
    assert.equal(r.aborted, true);
    assert.equal(r.reason, "stop");
    assert.ok(r.sent < r.total);
    await waitFor(() => sim.received.some((l) => l.includes('"target":"control"')), "STOP control");
    // The run's own MONITOR is stopped last, by the same worker: every line of the run is on the wire before it.
    await waitFor(() => sim.received.some((l) => l.includes('"target":"monitor"')), "the run's MONITOR stopped");
    const lastPoint = sim.received.map((l) => l.includes(INSERT)).lastIndexOf(true);
    assert.ok(lastPoint < sim.received.findIndex((l) => l.includes('"target":"control"')), "no point after the abort");
    assert.equal(inserts().length, r.sent, "the wire holds exactly the points reported sent");
  });

  it("trajectory_busy: a second run while one is running is rejected", async () => {
    const { t, out } = await load();
    t.receive({ payload: { sine: { amplitude_deg: 1, cycle_sec: 1, duration_sec: 2, base: HOME } } });
    await waitFor(() => inserts().length > 5, "first run going");
    t.receive({ payload: { points: [HOME] } });
    await waitFor(() => out.caught.length === 1, "caught");
    assert.equal(out.caught[0].error.code, "trajectory_busy");
    t.receive({ payload: "stop" });
    await waitFor(() => out.result.length === 1, "first run ends");
  });

  it("a drop mid-run aborts with connection_lost, and no point is written after it", async () => {
    const { t, out } = await load();
    t.receive({ payload: { sine: { amplitude_deg: 1, cycle_sec: 1, duration_sec: 5, base: HOME } } });
    await waitFor(() => inserts().length > 20, "points flowing");
    sim.dropConnections();
    await waitFor(() => out.result.length === 1, "result");
    const r = out.result[0].payload;
    assert.deepEqual([r.aborted, r.reason], [true, "connection_lost"]);
    // Lines written into the dying socket may never arrive; none may arrive beyond those reported.
    const onWire = inserts().length;
    assert.ok(onWire <= r.sent, `${onWire} on the wire, ${r.sent} reported`);
    await waitFor(() => (helper.getNode("s1").state || {}).state === "ready", "session back");
    // The run's failure stays in view over the session's ready state, until the next run.
    assert.deepEqual([lastStatus(t).fill, lastStatus(t).text], ["red", "connection_lost"]);
    // The new connection's first line clears the controller's buffer; the run is over, so no point follows it.
    const handshakes = () => sim.received.filter((l) => l.includes("HANDSHAKE")).length;
    await waitFor(() => handshakes() === 2 && sim.received.slice(sim.received.map((l) => l.includes("HANDSHAKE")).lastIndexOf(true)).some((l) => l.includes("joint_traject_init")), "the buffer cleared on the new connection");
    assert.equal(inserts().length, onWire, "nothing resumed after the reconnect");
  });

  it("write backpressure: a controller that stops reading aborts the run with write_queue_full instead of buffering without limit", async function () {
    this.timeout(60000);
    const { t, out } = await load({ dt: 0.001 });
    t.receive({ payload: { sine: { amplitude_deg: 1, cycle_sec: 1, duration_sec: 60, base: HOME } } });
    await waitFor(() => inserts().length > 20, "points flowing");
    sim.stopReading(true);
    await waitFor(() => out.result.length === 1, "the run aborts", 45000);
    const r = out.result[0].payload;
    assert.deepEqual([r.aborted, r.reason], [true, "write_queue_full"]);
    assert.ok(r.sent < r.total);
    sim.stopReading(false);
  });

  it("close (redeploy) aborts a running trajectory and leaves no socket", async () => {
    const { t } = await load();
    t.receive({ payload: { sine: { amplitude_deg: 1, cycle_sec: 1, duration_sec: 5, base: HOME } } });
    await waitFor(() => inserts().length > 10, "points flowing");
    await helper.unload();
    await waitFor(() => sim.connectionCount() === 0, "socket closed");
    // The session clears the controller's buffer, then sends STOP session: no point may follow either.
    const lastPoint = sim.received.map((l) => l.includes(INSERT)).lastIndexOf(true);
    const clear = sim.received.map((l) => l.includes("joint_traject_init")).lastIndexOf(true);
    const stopSession = sim.received.findIndex((l) => l.includes('"target":"session"'));
    assert.ok(lastPoint < clear && clear < stopSession, `last point ${lastPoint}, init ${clear}, STOP session ${stopSession}`);
  });
});
