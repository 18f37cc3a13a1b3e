"use strict";
// What happens to the motion of a hi6-trajectory run against the virtual controller
// when the controller goes silent, the link drops, a node or the session closes, or a second
// session reaches for the same robot. Each rule's name is the abort reason or code it is about.
const assert = require("node:assert/strict");
const { ABORT_POLICY, ABORT_REASONS } = require("../../nodes/trajectory/abort");
const { helper, allNodes, sessionDef, waitFor, lastStatus, startRig, stopRig, trajectoryDef: baseTrajectoryDef } = require("./support");
const { ScriptServer } = require("../support/script-server");

const INSERT = "/project/robot/trajectory/joint_traject_insert_point";
const INIT = "/project/robot/trajectory/joint_traject_init";
const HOME = [0, 90, 0, 0, -90, 0];
const LONG_SINE = { sine: { amplitude_deg: 1, cycle_sec: 1, duration_sec: 20, base: HOME } };

const isInsert = (l) => l.includes(INSERT);
const isInit = (l) => l.includes(INIT);
const isStop = (target) => (l) => l.includes('"cmd":"STOP"') && l.includes(`"target":"${target}"`);
const isMonitor = (l) => l.includes('"cmd":"MONITOR"');

describe("nodes: hi6-trajectory motion safety", function () {
  this.timeout(30000);
  let sim;

  beforeEach(async () => {
    sim = await startRig();
  });
  afterEach(async () => {
    sim.pause(false);
    await stopRig(sim);
  });

  function trajectoryDef(extra = {}) {
    // Catch-up: a busy test machine that starves the pacer must not end these runs before the fault under test.
    // The silence window follows a 40 ms look-ahead (100 ms): these tests count the points it lets through.
    return baseTrajectoryDef({ lookAhead: 0.04, maxSilence: 0, maxSpeed: 0, wires: [["result"], []], ...extra });
  }

  async function load(nodes = [trajectoryDef()], extraFlow = []) {
    const flow = [
      sessionDef(sim),
      ...nodes,
      ...extraFlow,
      { id: "result", type: "helper" },
      { id: "out", type: "helper" },
      { id: "c1", type: "catch", scope: null, uncaught: false, wires: [["caught"]] },
      { id: "caught", type: "helper" },
    ];
    await helper.load(allNodes, flow);
    const got = { result: [], out: [], caught: [] };
    for (const k of Object.keys(got)) helper.getNode(k).on("input", (m) => got[k].push(m));
    const t = helper.getNode("t1");
    await waitFor(() => (lastStatus(t) || {}).fill === "green", "session ready");
    return { t, got };
  }

  const lines = (pred) => sim.received.filter(pred);
  const lastIndex = (pred) => sim.received.reduce((at, l, i) => (pred(l) ? i : at), -1);

  async function pauseMidRun(t, got) {
    t.receive({ payload: LONG_SINE });
    await waitFor(() => lines(isInsert).length > 100 || got.result.length > 0, "points flowing");
    // A run that ended before the pause says why: the test machine stalled the controller or the pacer.
    assert.equal(got.result.length, 0, `the run ended before the pause: ${JSON.stringify(got.result[0]?.payload)}`);
    sim.pause(true);
    const readBeforePause = lines(isInsert).length;
    await waitFor(() => got.result.length === 1, "the run aborts while the controller is paused");
    const r = got.result[0].payload;
    // Every point the run sent after the pause is still in the socket, unread.
    const written = r.sent;
    const executedBeforeWake = sim.robot.executedPoints;
    sim.pause(false);
    await waitFor(() => lines(isStop("control")).length === 1, "the STOP control sent behind the backlog is read");
    await waitFor(() => sim.robot.queued === 0, "the controller's buffer is empty");
    return { r, readBeforePause, written, executedAfterWake: sim.robot.executedPoints - executedBeforeWake };
  }

  function assertHaltedBehindLastPoint() {
    const lastPoint = lastIndex(isInsert);
    const init = lastIndex(isInit);
    const stop = lastIndex(isStop("control"));
    assert.ok(init > lastPoint, "joint_traject_init follows the last point");
    assert.ok(stop > init, "STOP control follows the init");
  }

  describe("controller_silent", () => {
    it("a controller paused mid-run (no MONITOR of the user's): the run aborts, no more than the silence window's worth of points was in flight, and after it wakes it executes at most 50 stale points", async () => {
      const { t, got } = await load();
      const { r, readBeforePause, written, executedAfterWake } = await pauseMidRun(t, got);
      assert.deepEqual([r.aborted, r.reason], [true, "controller_silent"]);
      assert.deepEqual(r.halt, { init: true, stop_control: true, clear_on_reconnect: true });
      assert.match(r.message, /stopped answering/);
      // At dt 2 ms the 100 ms silence window holds 51 points; a few more may have been on the wire when the test paused.
      assert.ok(written - readBeforePause <= 60, `${written - readBeforePause} points written after the pause`);
      assert.ok(executedAfterWake <= 50, `${executedAfterWake} points executed after the wake`);
      assertHaltedBehindLastPoint();
      assert.equal(lines(isInsert).length, written, "the controller received exactly the points reported sent");
      assert.equal(lastStatus(t).fill, "red");
      await waitFor(() => got.caught.length === 1, "a Catch node hears of it");
      assert.equal(got.caught[0].error.code, "trajectory_aborted");
      assert.match(got.caught[0].error.message, /stopped answering.*\(controller_silent\)/);
    });

    it("with a user's slow MONITOR on the session: the same bound, and the user's MONITOR is given back at its own period", async () => {
      const monitor = { id: "m1", type: "hi6-monitor", session: "s1", url: "/project/robot/joints/joint_states", period: 200, args: "{}", autoStart: true, output: "all", interval: 100, wires: [["out"]] };
      const { t, got } = await load([trajectoryDef(), monitor]);
      await waitFor(() => got.out.length > 0, "the user's MONITOR streams");
      const { r, executedAfterWake } = await pauseMidRun(t, got);
      assert.equal(r.reason, "controller_silent");
      assert.ok(executedAfterWake <= 50, `${executedAfterWake} points executed after the wake`);
      assertHaltedBehindLastPoint();
      await waitFor(() => lines(isMonitor).some((l, i, all) => i === all.length - 1 && l.includes('"period_ms":200')), "the user's period restored");
    });

    it("stopOnAbort false does not let a silent controller play its buffer out: a fault always halts", async () => {
      const { t, got } = await load([trajectoryDef({ stopOnAbort: false })]);
      const { r } = await pauseMidRun(t, got);
      assert.equal(r.reason, "controller_silent");
      assertHaltedBehindLastPoint();
    });
  });

  describe("liveness MONITOR", () => {
    it("with no MONITOR on the session, the run arms one at 10 ms before its first point and stops it after its last", async () => {
      const { t, got } = await load();
      t.receive({ payload: { points: [HOME, HOME, HOME] } });
      await waitFor(() => got.result.length === 1, "result");
      await waitFor(() => lines(isStop("monitor")).length === 1, "STOP monitor after the run");
      const monitorAt = sim.received.findIndex(isMonitor);
      assert.ok(monitorAt >= 0 && sim.received[monitorAt].includes('"period_ms":10'));
      assert.ok(monitorAt < sim.received.findIndex(isInsert), "armed before the first point");
      assert.ok(lastIndex(isStop("monitor")) > lastIndex(isInsert));
      assert.equal(got.out.length, 0, "its data reaches no node");
    });

    it("liveness_unavailable: a controller that refuses the run's MONITOR gets no point, and a Catch node hears why", async () => {
      const refusing = await ScriptServer.start((r, reply) => {
        if (r.cmd === "MONITOR") reply({ error: "monitor_internal_error", message: "the service failed" });
        if (r.cmd === "STOP") reply({ type: "stop_ack", target: r.payload.target });
      });
      try {
        const flow = [
          { ...sessionDef(sim), port: refusing.port },
          trajectoryDef({ startTolerance: 0 }),
          { id: "result", type: "helper" },
          { id: "c1", type: "catch", scope: null, uncaught: false, wires: [["caught"]] },
          { id: "caught", type: "helper" },
        ];
        await helper.load(allNodes, flow);
        const caught = [];
        helper.getNode("caught").on("input", (m) => caught.push(m));
        const t = helper.getNode("t1");
        await waitFor(() => (lastStatus(t) || {}).fill === "green", "session ready");
        t.receive({ payload: { points: [HOME, HOME] } });
        await waitFor(() => caught.length === 1, "caught");
        assert.equal(caught[0].error.code, "liveness_unavailable");
        assert.match(caught[0].error.message, /monitor_internal_error/);
        assert.equal(refusing.sent("CONTROL").length, 0, "no point, no init");
      } finally {
        await helper.unload();
        await refusing.close();
      }
    });

    it("a user's slower MONITOR runs at 10 ms during the run, but the user's node still sees about its own rate", async () => {
      const monitor = { id: "m1", type: "hi6-monitor", session: "s1", url: "/project/robot/joints/joint_states", period: 250, args: "{}", autoStart: true, output: "all", interval: 100, wires: [["out"]] };
      // The run must end on its own here: a wide silence window keeps a busy test machine from ending it early.
      const { t, got } = await load([trajectoryDef({ maxSilence: 1000 }), monitor]);
      await waitFor(() => got.out.length > 0, "the user's MONITOR streams");
      t.receive({ payload: { sine: { amplitude_deg: 1, cycle_sec: 1, duration_sec: 1.5, base: HOME } } });
      await waitFor(() => lines(isMonitor).some((l) => l.includes('"period_ms":10')), "sped up");
      const atSpeedUp = got.out.length;
      await waitFor(() => got.result.length === 1, "result");
      const duringRun = got.out.length - atSpeedUp;
      // 1.5 s at 250 ms is 6 samples; at 10 ms it would be 150.
      assert.ok(duringRun <= 12, `${duringRun} msgs during the run`);
      assert.equal(got.result[0].payload.aborted, false, `aborted: ${got.result[0].payload.reason}`);
      await waitFor(() => lines(isMonitor).at(-1).includes('"period_ms":250'), "the user's period restored");
    });
  });

  describe("halting after an abort", () => {
    it("closed: closing only the trajectory node mid-run (a partial deploy) sends joint_traject_init and STOP control, and the session stays", async () => {
      const stopNode = { id: "k1", type: "hi6-stop", session: "s1", target: "control", wires: [[]] };
      const { t } = await load([trajectoryDef(), stopNode]);
      t.receive({ payload: LONG_SINE });
      await waitFor(() => lines(isInsert).length > 20, "points flowing");
      await t.close(true);
      await waitFor(() => lines(isStop("control")).length === 1, "STOP control");
      assertHaltedBehindLastPoint();
      assert.equal(lines(isStop("session")).length, 0, "the session is not stopped");
      assert.equal(sim.connectionCount(), 1, "the link stays");
    });

    it("stop with stopOnAbort: joint_traject_init, then STOP control", async () => {
      const { t, got } = await load();
      t.receive({ payload: LONG_SINE });
      await waitFor(() => lines(isInsert).length > 20, "points flowing");
      t.receive({ payload: "stop" });
      await waitFor(() => got.result.length === 1, "result");
      assert.deepEqual(got.result[0].payload.halt, { init: true, stop_control: true, clear_on_reconnect: false });
      await waitFor(() => lines(isStop("control")).length === 1, "STOP control");
      assertHaltedBehindLastPoint();
      assert.equal(got.caught.length, 0, "an abort the user asked for is no failure");
    });

    it("stop without stopOnAbort: nothing is sent after the last point, so the look-ahead's worth in the buffer plays out", async () => {
      const { t, got } = await load([trajectoryDef({ stopOnAbort: false })]);
      t.receive({ payload: LONG_SINE });
      await waitFor(() => lines(isInsert).length > 20, "points flowing");
      t.receive({ payload: "stop" });
      await waitFor(() => got.result.length === 1, "result");
      const r = got.result[0].payload;
      assert.deepEqual(r.halt, { init: false, stop_control: false, clear_on_reconnect: false });
      await waitFor(() => lines(isStop("monitor")).length === 1, "the run's own MONITOR is stopped: the last line of the run");
      assert.equal(lines(isInsert).length, r.sent);
      assert.ok(lastIndex(isInit) < sim.received.findIndex(isInsert), "the only init is the run's first line");
      assert.equal(lines(isStop("control")).length, 0);
    });

    it("stopped: a STOP control from a hi6-stop node mid-run goes out behind a joint_traject_init", async () => {
      const stopNode = { id: "k1", type: "hi6-stop", session: "s1", target: "control", wires: [[]] };
      const { t, got } = await load([trajectoryDef(), stopNode]);
      t.receive({ payload: LONG_SINE });
      await waitFor(() => lines(isInsert).length > 20, "points flowing");
      helper.getNode("k1").receive({ payload: "control" });
      await waitFor(() => got.result.length === 1, "result");
      assert.equal(got.result[0].payload.reason, "stopped");
      await waitFor(() => lines(isStop("control")).length === 1, "STOP control");
      assertHaltedBehindLastPoint();
    });

    it("connection_lost: the next connection clears the controller's buffer right after its HANDSHAKE, before anything else", async () => {
      const { t, got } = await load();
      t.receive({ payload: LONG_SINE });
      await waitFor(() => lines(isInsert).length > 20, "points flowing");
      sim.dropConnections();
      await waitFor(() => got.result.length === 1, "result");
      assert.equal(got.result[0].payload.reason, "connection_lost");
      await waitFor(() => sim.received.filter((l) => l.includes("HANDSHAKE")).length === 2, "reconnected");
      await waitFor(() => {
        const hs = lastIndex((l) => l.includes("HANDSHAKE"));
        return sim.received.length > hs + 1;
      }, "a line after the new HANDSHAKE");
      const hs = lastIndex((l) => l.includes("HANDSHAKE"));
      assert.ok(isInit(sim.received[hs + 1]), `the first line after the HANDSHAKE is ${sim.received[hs + 1]}`);
      assert.equal(sim.received.slice(hs).filter(isInsert).length, 0, "nothing resumed");
    });
  });

  describe("point_refused", () => {
    it("point_refused: an alarm mid-run (E159) makes the controller refuse the next point; the run aborts, halts with init and STOP control, and a Catch node hears the alarm", async () => {
      const { t, got } = await load();
      t.receive({ payload: LONG_SINE });
      await waitFor(() => lines(isInsert).length >= 200, "the run is under way");
      // The arm's own limit drops below the plan's speed: it stops with E159 and takes no more points.
      sim.setReadings({ jointSpeedLimitDegS: 0.001 });
      await waitFor(() => got.result.length === 1, "result");
      const r = got.result[0].payload;
      assert.deepEqual([r.aborted, r.reason], [true, "point_refused"]);
      assert.ok(r.sent < r.total, `${r.sent} of ${r.total} sent`);
      assert.deepEqual(r.halt, { init: true, stop_control: true, clear_on_reconnect: true });
      assert.match(r.message, /the controller refused a CONTROL during the run, taken as a refused point .*HTTP 403: E159/);
      await waitFor(() => got.caught.length === 1, "the Catch node");
      assert.equal(got.caught[0].error.code, "trajectory_aborted");
      assert.match(got.caught[0].error.message, /\(point_refused\)/);
      await waitFor(() => lines(isStop("control")).length === 1, "STOP control");
      assertHaltedBehindLastPoint();
    });

    it("point_refused: a refusal of the last point, which comes back while the arm settles, still fails the run; it is not reported done", async () => {
      const total = 60;
      const insert = sim.robot.insertPoint.bind(sim.robot);
      let calls = 0;
      // A controller whose buffer is full when the last point arrives (403, err_code -8).
      sim.robot.insertPoint = (...args) => (++calls === total ? false : insert(...args));
      const { t, got } = await load();
      t.receive({ payload: { points: Array.from({ length: total }, () => HOME) } });
      await waitFor(() => got.result.length === 1, "result");
      const r = got.result[0].payload;
      assert.equal(calls, total);
      assert.deepEqual([r.sent, r.total, r.aborted, r.reason], [total, total, true, "point_refused"]);
      assert.match(r.message, /HTTP 403: err_code -8 the trajectory buffer is full/);
      await waitFor(() => got.caught.length === 1, "the Catch node");
      assert.equal(got.caught[0].error.code, "trajectory_aborted");
      assert.doesNotMatch(lastStatus(t).text, /^done/);
    });

    it("point_refused: a control_err while a run streams ends it even when another node's CONTROL caused it, since control_err names no request (fail closed)", async () => {
      const control = { id: "k1", type: "hi6-control", session: "s1", method: "POST", url: "/no/such/path", args: "{}", body: "{}", wires: [[]] };
      const { t, got } = await load([trajectoryDef(), control]);
      t.receive({ payload: LONG_SINE });
      await waitFor(() => lines(isInsert).length >= 20, "the run is under way");
      helper.getNode("k1").receive({ payload: {} });
      await waitFor(() => got.result.length === 1, "result");
      const r = got.result[0].payload;
      assert.deepEqual([r.aborted, r.reason], [true, "point_refused"]);
      assert.match(r.message, /HTTP 404: not_found/);
      await waitFor(() => lines(isStop("control")).length === 1, "STOP control");
      assertHaltedBehindLastPoint();
    });
  });

  describe("a stop while the run is prepared", () => {
    it("stop: a \"stop\" that arrives while the pose is read ends the run before its first point, and nothing is sent", async () => {
      const http = require("node:http");
      let answer;
      const requested = [];
      const slowRest = http.createServer((req, res) => {
        requested.push(req.url);
        answer = () => res.end(JSON.stringify({ _type: "JObject", position: HOME, velocity: [0, 0, 0, 0, 0, 0], effort: [0, 0, 0, 0, 0, 0] }));
      });
      await new Promise((r) => slowRest.listen(0, "127.0.0.1", r));
      try {
        const flow = [
          { ...sessionDef(sim), restPort: slowRest.address().port },
          trajectoryDef(),
          { id: "result", type: "helper" },
          { id: "c1", type: "catch", scope: null, uncaught: false, wires: [["caught"]] },
          { id: "caught", type: "helper" },
        ];
        await helper.load(allNodes, flow);
        const results = [];
        helper.getNode("result").on("input", (m) => results.push(m));
        const t = helper.getNode("t1");
        await waitFor(() => (lastStatus(t) || {}).fill === "green", "session ready");
        t.receive({ payload: { points: [HOME, HOME, HOME] } });
        await waitFor(() => requested.length === 1, "the pose is being read");
        t.receive({ payload: "stop" });
        answer();
        await waitFor(() => results.length === 1, "result");
        assert.deepEqual([results[0].payload.sent, results[0].payload.aborted, results[0].payload.reason], [0, true, "stop"]);
        assert.equal(sim.received.filter((l) => l.includes('"cmd":"CONTROL"')).length, 0, "no init, no point");
      } finally {
        await helper.unload();
        await new Promise((r) => slowRest.close(r));
      }
    });
  });

  describe("trajectory_busy", () => {
    it("one trajectory per controller: a second session to the same controller is refused while the first runs, and nothing of it is sent", async () => {
      const second = { ...sessionDef(sim), id: "s2" };
      const t2 = { ...trajectoryDef({ id: "t2", session: "s2", maxSilence: 1000, wires: [["result"], []] }) };
      const { t, got } = await load([trajectoryDef(), t2], [second]);
      const other = helper.getNode("t2");
      await waitFor(() => (lastStatus(other) || {}).fill === "green", "second session ready");
      t.receive({ payload: LONG_SINE });
      await waitFor(() => lines(isInsert).length > 20, "first run going");
      const before = lines(isInsert).length;
      other.receive({ payload: { points: [HOME, HOME] } });
      await waitFor(() => got.caught.length === 1, "caught");
      assert.equal(got.caught[0].error.code, "trajectory_busy");
      assert.match(got.caught[0].error.message, /127\.0\.0\.1:\d+/);
      t.receive({ payload: "stop" });
      await waitFor(() => got.result.length === 1, "first run ends");
      // The refused run sent nothing: every point on the wire belongs to the first run.
      assert.equal(lines(isInsert).length, got.result[0].payload.sent);
      assert.ok(lines(isInsert).length >= before);
      other.receive({ payload: { points: [HOME, HOME] } });
      await waitFor(() => got.result.length === 2, "the second session runs once the first is done");
      assert.equal(got.result[1].payload.aborted, false, `aborted: ${got.result[1].payload.reason}`);
    });
  });

  describe("the abort table", () => {
    it("names every reason once, and faults halt the motion whatever Stop on abort says", () => {
      assert.deepEqual(Object.keys(ABORT_POLICY).sort(), [...ABORT_REASONS].sort());
      for (const reason of ["controller_silent", "late_tick", "write_queue_full"]) {
        assert.equal(ABORT_POLICY[reason].init, "always", reason);
        assert.equal(ABORT_POLICY[reason].stopControl, "always", reason);
        assert.equal(ABORT_POLICY[reason].clearOnReconnect, true, reason);
      }
      assert.equal(ABORT_POLICY.connection_lost.init, "never", "no connection to halt on");
      assert.equal(ABORT_POLICY.connection_lost.clearOnReconnect, true);
    });
  });
});
