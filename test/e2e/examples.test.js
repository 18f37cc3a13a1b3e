"use strict";
// End to end: the demo launcher runs a real Node-RED runtime (not the test helper) with every
// example flow, against a virtual controller this test runs itself, so it can read the wire too.
// The launcher traces every message that reaches a node; the test clicks the examples' inject
// nodes through the admin API and checks what their output nodes received.
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const { startSimulator } = require("../../nodes/sim");
const { until, holdsFor } = require("../support/wait");
const { startDemo } = require("./demo-process");
const { chooseNodeRed } = require("../../nodes/demo/node-red-release");

const EXAMPLES = path.resolve(__dirname, "../../examples");
const JOINT_STATES = "/project/robot/joints/joint_states";
const MONITOR_DEBUG = "a1c0000000000004";
/** Node types that are an example's visible outputs: each must receive something while its example runs. */
const OUTPUT_TYPES = new Set(["debug", "ui-chart"]);

const isJointSample = (m) => m.topic === JOINT_STATES && Array.isArray(m.payload.position) && m.payload.position.length === 6 && m.payload.position.every(Number.isFinite);

/** What each example promises, by file: the injects to click and what its output nodes must receive. */
const EXPECTATIONS = {
  "01-monitor-joint-states.json": async (t) => {
    const samples = await t.received(MONITOR_DEBUG, 3);
    assert.ok(samples.every(isJointSample), "joint_states samples with six positions");
    const from = t.mark();
    await t.click("a1c0000000000005");
    await t.wire('{"cmd":"STOP","payload":{"target":"monitor"}}', "STOP monitor", from);
    // `latest` passes at most one sample per 250 ms: a running stream would bring four more in this
    // window; a stopped one at most the sample an interval held and one already on its way.
    const atStop = t.traced(MONITOR_DEBUG).length;
    await holdsFor(() => t.traced(MONITOR_DEBUG).length <= atStop + 2, "no samples after STOP monitor", 1100);
    const stoppedAt = t.traced(MONITOR_DEBUG).length;
    await t.click("a1c0000000000006");
    await t.received(MONITOR_DEBUG, stoppedAt + 2);
  },
  "02-control-with-overrides.json": async (t) => {
    let from = t.mark();
    await t.click("b2c0000000000003");
    await t.received("b2c0000000000006", 1);
    await t.wire((l) => l.includes('"url":"/project/robot/trajectory/joint_traject_init"'), "the configured CONTROL", from);
    from = t.mark();
    await t.click("b2c0000000000004");
    const [, passed] = await t.received("b2c0000000000006", 2);
    assert.deepEqual(passed.payload.point, [0, 90, 0, 0, -90, 0], "the msg goes on as it came");
    await t.wire((l) => l.includes('"url":"/project/robot/trajectory/joint_traject_insert_point"') && l.includes('"point":[0,90,0,0,-90,0]') && l.includes('"time_from_start":-1'), "the CONTROL with msg.url and msg.payload in place of the config", from);
  },
  "03-trajectory-sine.json": async (t) => {
    // A stop in the middle of a run: the result says aborted, with the count sent.
    await t.click("c3c0000000000003");
    await t.received("c3c0000000000007", 1);
    await t.click("c3c0000000000004");
    const [aborted] = await t.received("c3c0000000000006", 1);
    assert.equal(aborted.payload.aborted, true);
    assert.ok(aborted.payload.sent < aborted.payload.total, `sent ${aborted.payload.sent} of ${aborted.payload.total}`);
    // A whole run, watched by the monitor example: the robot moves.
    const monitorFrom = t.traced(MONITOR_DEBUG).length;
    // The aborted run may report progress after the stop click: only the whole run's count must go up.
    const progressFrom = t.traced("c3c0000000000007").length;
    await t.click("c3c0000000000003");
    const [, result] = await t.received("c3c0000000000006", 2, 20000);
    assert.deepEqual([result.payload.sent, result.payload.total, result.payload.aborted], [5001, 5001, false], `the run ended: ${result.payload.reason} (${result.payload.message}); late max ${result.payload.stats.late_max_us} µs`);
    for (const key of ["dt_ms", "period_mean_ms", "late_p50_us", "late_p99_us", "late_max_us"]) assert.ok(Number.isFinite(result.payload.stats[key]), `stats.${key}`);
    assert.equal(result.payload.stats.dt_ms, 2);
    const progress = t.traced("c3c0000000000007").slice(progressFrom);
    assert.ok(progress.length >= 2 && progress.every((m, i) => i === 0 || m.payload.sent >= progress[i - 1].payload.sent), "progress counts up");
    const seen = t.traced(MONITOR_DEBUG).slice(monitorFrom).map((m) => m.payload.position[0]);
    assert.ok(Math.max(...seen) - Math.min(...seen) > 2, `joint 1 moves in the monitor's output (${Math.min(...seen)}..${Math.max(...seen)})`);
  },
  "04-trajectory-points.json": async (t) => {
    await t.click("d4c0000000000003");
    const [points] = await t.received("d4c0000000000007", 1, 10000);
    assert.deepEqual([points.payload.sent, points.payload.total, points.payload.aborted], [500, 500, false], `the run ended: ${points.payload.reason} (${points.payload.message}); late max ${points.payload.stats.late_max_us} µs`);
    await t.click("d4c0000000000005");
    const [, waypoints] = await t.received("d4c0000000000007", 2, 15000);
    assert.equal(waypoints.payload.aborted, false);
    assert.equal(waypoints.payload.sent, waypoints.payload.total);
  },
  "05-stop-targets.json": async (t) => {
    const [rgen] = await t.received("e5c0000000000009", 1);
    assert.equal(typeof rgen.payload.is_playback, "boolean");
    await t.click("e5c0000000000004");
    const [monitorAck] = await t.received("e5c0000000000008", 1);
    assert.deepEqual(monitorAck.payload, { type: "stop_ack", target: "monitor" });
    const from = t.mark();
    await t.click("e5c000000000000b");
    await t.wire((l) => l.includes("joint_traject_insert_point"), "the sine's points", from);
    await t.click("e5c0000000000005");
    const [, controlAck] = await t.received("e5c0000000000008", 2);
    assert.deepEqual(controlAck.payload, { type: "stop_ack", target: "control" });
    const [run] = await t.received("e5c000000000000d", 1);
    assert.equal(run.payload.aborted, true, "STOP control aborts the running trajectory");
    await t.click("e5c0000000000006");
    const [, , sessionAck] = await t.received("e5c0000000000008", 3);
    assert.deepEqual(sessionAck.payload, { type: "stop_ack", target: "session" });
  },
  "06-error-handling.json": async (t) => {
    await t.click("f6c0000000000003");
    const [refused] = await t.received("f6c0000000000007", 1);
    assert.equal(refused.error.code, "invalid_url");
    await t.click("f6c0000000000004");
    const [, notFound] = await t.received("f6c0000000000007", 2);
    assert.equal(notFound.error.code, "control_err");
    assert.equal(notFound.error.cause.status, 404);
    const statuses = await t.received("f6c0000000000009", 1);
    assert.ok(statuses.every((m) => m.status && m.status.source.id === "f6c0000000000005"), "the Status node reports the control node");
  },
  "07-dashboard-joint-chart.json": async (t) => {
    const [sample] = await t.received("g7c0000000000006", 1);
    assert.ok(isJointSample(sample));
    const series = await t.received("g7c0000000000005", 12);
    assert.deepEqual(series.slice(0, 6).map((m) => m.topic), ["J1", "J2", "J3", "J4", "J5", "J6"]);
    assert.ok(series.every((m) => Number.isFinite(m.payload)), "one number per joint");
    const page = await t.demo.get("/dashboard/joints");
    assert.equal(page.status, 200);
  },
  "08-record-and-replay.json": async (t) => {
    const recording = "/tmp/hi6-recording.csv";
    let from = t.mark();
    await t.click("h800000000000003");
    const [recorded] = await t.received("h800000000000009", 1, 15000);
    const run = recorded.payload;
    assert.deepEqual([run.sent, run.total, run.aborted], [run.total, run.total, false], `the recorded run ended: ${run.reason} (${run.message})`);
    await t.wire('{"cmd":"STOP","payload":{"target":"monitor"}}', "the recorder's STOP monitor once the arm has settled", from);
    // The recorder sends its last rows with the STOP; the file node appends them after it went out.
    await until(() => t.traced("h800000000000007").length === t.traced("h800000000000006").length, "every batch at the file node", 5000);
    const written = t.traced("h800000000000007").reduce((n, m) => n + m.payload.split("\n").filter(Boolean).length, 0);
    let rows;
    await until(() => {
      rows = fs.readFileSync(recording, "utf8").trim().split("\n");
      return rows.length === written;
    }, `the ${written} lines of the recording on disk`, 5000);
    assert.ok(rows.length > 300, `${rows.length} lines`);
    assert.equal(rows[0], "t,j1,j2,j3,j4,j5,j6", "one header line, at the top");
    const values = rows.slice(1).map((r) => r.split(",").map(Number));
    assert.ok(values.every((v) => v.length === 7 && v.every(Number.isFinite)), "t and six angles on every row");
    assert.ok(values.every((v, i) => i === 0 || v[0] >= values[i - 1][0]), "t never goes back");
    const j1 = values.map((v) => v[1]);
    assert.ok(Math.max(...j1) - Math.min(...j1) > 9, `joint 1 moved about 10 deg in the recording (${Math.min(...j1)}..${Math.max(...j1)})`);
    from = t.mark();
    await t.click("h80000000000000b");
    const [replayed] = await t.received("h800000000000010", 1, 15000);
    const r = replayed.payload;
    assert.deepEqual([r.sent, r.total, r.aborted], [r.total, r.total, false], `the replay ended: ${r.reason} (${r.message})`);
    const span = values[values.length - 1][0] - values[0][0];
    assert.ok(Math.abs(r.total - (span / 0.002 + 1)) <= 2, `one point per 2 ms over the recorded ${span} s: ${r.total}`);
    assert.equal(r.goal.ok, true, "the replay ends where the recording ended, within 0.5 deg");
    assert.ok(r.tracking.joints[0].lag_ms > 0, "and the replay's tracking saw joint 1 follow");
    await t.wire((l) => l.includes("joint_traject_insert_point"), "the replayed points", from);
  },
  "09-dashboard-tracking.json": async (t) => {
    await t.click("i900000000000003");
    const [result] = await t.received("i900000000000005", 1, 15000);
    const r = result.payload;
    assert.deepEqual([r.sent, r.total, r.aborted], [2001, 2001, false], `the run ended: ${r.reason} (${r.message})`);
    assert.equal(r.goal.ok, true);
    const j1 = r.tracking.joints[0];
    assert.ok(j1.lag_ms > 0 && j1.max_error_deg > 0 && j1.rms_error_deg > 0, JSON.stringify(j1));
    const commanded = t.traced("i900000000000007");
    assert.ok(commanded.length >= 40, `${commanded.length} points on the commanded and actual chart`);
    assert.deepEqual([...new Set(commanded.map((m) => m.topic))].sort(), ["J1 actual", "J1 commanded"]);
    const errors = t.traced("i900000000000008");
    assert.ok(errors.length >= 20 && errors.length <= 50, `about ten error points a second over the 4 s run: ${errors.length}`);
    assert.ok(errors.every((m) => m.topic === "J1 error" && Math.abs(m.payload) <= j1.max_error_deg + 1e-9), "within the run's max error");
    const page = await t.demo.get("/dashboard/tracking");
    assert.equal(page.status, 200);
  },
};

function readExample(file) {
  return JSON.parse(fs.readFileSync(path.join(EXAMPLES, file), "utf8"));
}

describe("e2e: every example flow in a real Node-RED runtime", function () {
  this.timeout(20000);
  const files = fs.readdirSync(EXAMPLES).filter((f) => f.endsWith(".json")).sort();
  let sim;
  let demo;

  before(async function () {
    this.timeout(40000);
    sim = await startSimulator({ port: 0, restPort: 0 });
    demo = await startDemo({ controller: { port: sim.port, restPort: sim.restPort }, trace: true });
  });

  after(async function () {
    this.timeout(30000);
    if (demo) await demo.stop();
    if (sim) await sim.close();
  });

  it("every example file has expectations, a comment node, and one hi6-session on hi6-sim's default ports", () => {
    assert.deepEqual(files, Object.keys(EXPECTATIONS).sort(), "one entry per example file");
    for (const f of files) {
      const nodes = readExample(f);
      assert.ok(nodes.some((n) => n.type === "comment" && n.info), `${f} explains itself`);
      const sessions = nodes.filter((n) => n.type === "hi6-session");
      assert.equal(sessions.length, 1, f);
      const { host, port, major, restPort, reconnect } = sessions[0];
      assert.deepEqual({ host, port, major, restPort, reconnect }, { host: "127.0.0.1", port: 49000, major: 1, restPort: 8888, reconnect: true }, f);
    }
  });

  it("a debug node on a trajectory's tracking output (a stream for charts) is inactive by default, so it does not flood the sidebar", () => {
    let seen = 0;
    for (const f of files) {
      const nodes = readExample(f);
      const byId = new Map(nodes.map((n) => [n.id, n]));
      for (const t of nodes.filter((n) => n.type === "hi6-trajectory")) {
        for (const id of (t.wires && t.wires[2]) || []) {
          const target = byId.get(id);
          if (target.type !== "debug") continue;
          seen += 1;
          assert.equal(target.active, false, `${f}: debug "${target.name}"`);
        }
      }
    }
    assert.ok(seen >= 1, "at least one example shows the tracking stream in a debug node");
  });

  it("runs the Node-RED release this leg of the matrix names (HI6_NODE_RED), and says so", async () => {
    const expected = chooseNodeRed();
    if (process.env.HI6_NODE_RED) assert.equal(expected.major, Number(process.env.HI6_NODE_RED));
    const settings = await demo.get("/settings");
    assert.equal(settings.status, 200);
    // Node-RED adds "-git" when it finds a .git four folders above its runtime: here, this project's.
    assert.equal(JSON.parse(settings.body).version.replace(/-git$/, ""), expected.version, "the editor's runtime");
    assert.equal(demo.nodeRed.version, expected.version, "the launcher's ready message");
    assert.ok(demo.log().includes(`[demo] Node-RED ${expected.version} on Node.js ${process.version} (`), "the start message names both");
  });

  for (const file of files) {
    it(`${file} delivers what it promises`, async function () {
      // Above the 20 s a whole 10 s sine run may be given.
      this.timeout(30000);
      const expectation = EXPECTATIONS[file];
      assert.ok(expectation, `${file} has no entry in EXPECTATIONS`);
      const harness = {
        demo,
        traced: demo.traced,
        click: (id) => demo.post(`/inject/${id}`).then((r) => assert.equal(r.status, 200, `inject ${id}`)),
        received: async (id, count, timeoutMs = 8000) => {
          await until(() => demo.traced(id).length >= count, `${count} msg(s) at node ${id}`, timeoutMs);
          return demo.traced(id);
        },
        /** Where the wire is now, to look only at what comes after. */
        mark: () => sim.received.length,
        wire: (match, what = match, since = 0) => {
          const test = typeof match === "string" ? (l) => l === match : match;
          return until(() => sim.received.slice(since).some(test), `${what} on the wire`, 8000);
        },
      };
      await expectation(harness);
      const silent = readExample(file).filter((n) => OUTPUT_TYPES.has(n.type) && demo.traced(n.id).length === 0);
      assert.deepEqual(silent.map((n) => `${n.type} "${n.name}"`), [], "every output node received something");
    });
  }
});
