"use strict";
// Record and replay against the virtual controller: a monitor's batch output records a motion,
// and the trajectory node plays the samples back, resampled to its dt.
const assert = require("node:assert/strict");
const { waitFor, startRig, stopRig, trajectoryDef, loadTrajectoryFlow } = require("./support");

const INSERT = "/project/robot/trajectory/joint_traject_insert_point";
const HOME = [0, 90, 0, 0, -90, 0];

describe("nodes: hi6-trajectory replay of recorded samples", function () {
  let sim;

  beforeEach(async () => {
    sim = await startRig();
  });
  afterEach(async () => {
    await stopRig(sim);
  });

  function load() {
    const monitor = { id: "m1", type: "hi6-monitor", session: "s1", url: "/project/robot/joints/joint_states", period: 10, args: "{}", autoStart: true, output: "batch", interval: 100, wires: [["batch"]] };
    // The virtual arm runs a point late when its process is starved of CPU, and a recording of that
    // holds the jerk: the replay's acceleration check would refuse it. The limit has its own tests.
    return loadTrajectoryFlow(sim, [monitor, trajectoryDef({ maxAccel: 0, wires: [["result"], [], []] })], ["batch", "result"]);
  }

  const inserts = () => sim.received.filter((l) => l.includes(INSERT)).map((l) => JSON.parse(l).payload.body);

  it("a motion recorded from a monitor's batch output (ts in ms → t in s) replays to the same end pose, at the node's dt", async () => {
    const { t, out } = await load();
    const target = [4, 92, -3, 0, -90, 0];
    t.receive({ payload: { waypoints: [HOME, target], duration_sec: 0.5 } });
    await waitFor(() => out.result.length === 1, "the recorded run");
    // The arm settles a look-ahead after the last point; one more batch holds it there.
    const batches = out.batch.length;
    await waitFor(() => out.batch.length >= batches + 2, "two more batches");
    const samples = out.batch.flatMap((m) => m.payload.map((p, i) => ({ t: m.ts[i] / 1000, position: p.position })));
    assert.ok(samples.length > 40, `${samples.length} samples recorded`);
    const moved = samples.some((s) => Math.abs(s.position[0] - 2) < 1.5);
    assert.ok(moved, "the recording holds the motion");

    // Back home, then play the recording.
    t.receive({ payload: { waypoints: [target, HOME], duration_sec: 0.5 } });
    await waitFor(() => out.result.length === 2, "the run home");
    const before = inserts().length;
    t.receive({ payload: { samples } });
    await waitFor(() => out.result.length === 3 || out.caught.length > 0, "the replay");
    assert.deepEqual(out.caught.map((m) => m.error.message), []);
    const r = out.result[2].payload;
    assert.equal(r.aborted, false, `${r.reason} ${r.message}`);
    const span = samples[samples.length - 1].t - samples[0].t;
    assert.equal(r.total, Math.ceil(span / 0.002 - 1e-9) + 1, "one point per dt over the recorded span");
    const played = inserts().slice(before);
    assert.equal(played.length, r.total);
    assert.deepEqual(played[0].point, samples[0].position);
    played[played.length - 1].point.forEach((q, j) => assert.ok(Math.abs(q - target[j]) < 0.01, `joint ${j + 1} ends at ${q}`));
    assert.ok(r.tracking.final.every((q, j) => Math.abs(q - target[j]) < 0.05), "and the arm ends there");
  });

  for (const [code, samples] of [
    ["non_monotonic_time", [{ t: 0.5, position: HOME }, { t: 0.2, position: HOME }]],
    ["invalid_samples", [{ t: 0, position: HOME }]],
    ["joint_count_mismatch", [{ t: 0, position: [0, 90] }, { t: 1, position: [0, 91] }]],
    ["non_finite_value", [{ t: 0, position: HOME }, { t: null, position: HOME }]],
  ]) {
    it(`${code}: bad samples are refused before anything is sent, and a Catch node gets it`, async () => {
      const { t, out } = await load();
      t.receive({ payload: { samples } });
      await waitFor(() => out.caught.length === 1, "the Catch node");
      assert.equal(out.caught[0].error.code, code);
      assert.equal(inserts().length, 0);
      assert.equal(sim.received.filter((l) => l.includes("joint_traject_init")).length, 0);
    });
  }
});
