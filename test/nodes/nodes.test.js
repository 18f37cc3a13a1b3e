"use strict";
const assert = require("node:assert/strict");
const { startSimulator } = require("../../nodes/sim");
const { helper, allNodes, sessionDef, waitFor, statuses, lastStatus, calls, translate, holdsFor, startRig, stopRig } = require("./support");
const { ScriptServer } = require("../support/script-server");

const JOINTS = "/project/robot/joints/joint_states";

describe("nodes: session, monitor, control and stop in Node-RED", function () {
  let sim;

  beforeEach(async () => {
    sim = await startRig();
  });
  afterEach(async () => {
    await stopRig(sim);
  });

  function monitorDef(extra = {}) {
    return { id: "m1", type: "hi6-monitor", session: "s1", url: JOINTS, period: 10, args: '{"jno_start":1,"jno_n":6}', autoStart: true, output: "all", interval: 100, wires: [["out"]], ...extra };
  }

  async function load(nodes, session = {}) {
    const flow = [
      sessionDef(sim, session),
      ...nodes,
      { id: "out", type: "helper" },
      { id: "c1", type: "catch", scope: null, uncaught: false, wires: [["caught"]] },
      { id: "caught", type: "helper" },
    ];
    await helper.load(allNodes, flow);
    const got = { out: [], caught: [] };
    helper.getNode("out").on("input", (m) => got.out.push(m));
    helper.getNode("caught").on("input", (m) => got.caught.push(m));
    return got;
  }

  describe("hi6-session: partial deploys keep the link (Node-RED's removed flag)", () => {
    const controlDef = { id: "k1", type: "hi6-control", session: "s1", method: "POST", url: "/project/robot/trajectory/joint_traject_init", args: "{}", body: "{}", wires: [["out"]] };
    it("a deploy that only restarts the session's last user (removed false) sends no STOP session and keeps the connection", async () => {
      await load([controlDef]);
      const k1 = helper.getNode("k1");
      await waitFor(() => (lastStatus(k1) || {}).fill === "green", "ready");
      await k1.close(false);
      assert.equal(sim.received.filter((l) => l.includes('"target":"session"')).length, 0, "no STOP session");
      assert.equal(sim.connectionCount(), 1, "the link stays for the restarted node");
    });
    it("deleting the session's last user (removed true) sends STOP session and lets the link go", async () => {
      await load([controlDef]);
      const k1 = helper.getNode("k1");
      await waitFor(() => (lastStatus(k1) || {}).fill === "green", "ready");
      await k1.close(true);
      await waitFor(() => sim.received.some((l) => l.includes('"target":"session"')), "STOP session");
      await waitFor(() => sim.connectionCount() === 0, "the link is let go");
    });
    it("a node whose session is missing says so once in the log and refuses every msg with invalid_config", async () => {
      const got = await load([{ ...controlDef, id: "k2", session: "no-such-session" }]);
      const k2 = helper.getNode("k2");
      assert.equal(calls("error", k2).length, 1, "logged once, at deploy");
      assert.match(String(calls("error", k2)[0].args[0]), /no hi6-session/);
      k2.receive({ payload: {} });
      k2.receive({ payload: {} });
      await waitFor(() => got.caught.length === 2, "each msg refused");
      assert.equal(got.caught[0].error.code, "invalid_config");
      assert.equal(lastStatus(k2).text, "node-red:common.status.not-connected");
    });
  });

  describe("hi6-session", () => {
    it("shows yellow while connecting and handshaking, then a green dot with the server version", async () => {
      await load([monitorDef({ autoStart: false })]);
      const m = helper.getNode("m1");
      await waitFor(() => (lastStatus(m) || {}).fill === "green", "green");
      const seen = statuses(m)
        .map((s) => `${s.fill}/${s.shape}/${s.text}`)
        .filter((s, i, all) => i === 0 || s !== all[i - 1]);
      assert.deepEqual(seen.slice(0, 3), ["yellow/ring/node-red:common.status.connecting", "yellow/ring/handshaking", "green/dot/ready v1.0.0"]);
    });
    it("goes red with a retry countdown when the controller drops, and green again when it is back", async () => {
      await load([monitorDef({ autoStart: false })]);
      const m = helper.getNode("m1");
      await waitFor(() => (lastStatus(m) || {}).fill === "green", "green");
      const before = statuses(m).length;
      sim.dropConnections();
      await waitFor(() => statuses(m).slice(before).some((s) => s.fill === "red" && /^(refused|hung up|lost) · retry \d+ s$/.test(s.text)), "red retrying");
      await waitFor(() => (lastStatus(m) || {}).text === "ready v1.0.0", "green again");
    });
    it("version_mismatch shows a red dot naming both versions", async () => {
      await sim.close();
      sim = await startSimulator({ port: 0, restPort: 0, version: "2.0.0" });
      await load([monitorDef({ autoStart: false })]);
      const m = helper.getNode("m1");
      await waitFor(() => (lastStatus(m) || {}).shape === "dot" && lastStatus(m).fill === "red", "red dot");
      assert.equal(lastStatus(m).text, "v1 ≠ server v2.0.0");
    });
    it("version_mismatch from the ack: a server that acks HANDSHAKE but reports version 999.0.0 shows the same red dot, never ready", async () => {
      const server = await ScriptServer.start((recipe, reply) => {
        if (recipe.cmd !== "HANDSHAKE") return false;
        reply({ type: "handshake_ack", ok: true, version: "999.0.0" });
        return true;
      });
      try {
        await load([monitorDef({ autoStart: false })], { port: server.port });
        const m = helper.getNode("m1");
        await waitFor(() => (lastStatus(m) || {}).shape === "dot" && lastStatus(m).fill === "red", "red dot");
        assert.equal(lastStatus(m).text, "v1 ≠ server v999.0.0");
        assert.ok(!statuses(m).some((s) => s.fill === "green"), "never shown ready");
      } finally {
        await helper.unload();
        await server.close();
      }
    });
    it("busy_session_active shows a red ring saying the controller is busy, then green once it is free", async () => {
      sim.setFaults({ busyOnHandshake: true });
      await load([monitorDef({ autoStart: false })]);
      const m = helper.getNode("m1");
      await waitFor(() => statuses(m).some((st) => st.fill === "red" && st.shape === "ring" && /^busy · retry \d+ s$/.test(st.text || "")), "red busy ring");
      sim.setFaults({});
      await waitFor(() => (lastStatus(m) || {}).text === "ready v1.0.0", "green once free", 15000);
    });
    it("an unreachable controller shows a red ring retrying, and nothing is thrown", async () => {
      const closed = await new Promise((resolve) => {
        const probe = require("node:net").createServer().listen(0, "127.0.0.1", () => {
          const { port } = probe.address();
          probe.close(() => resolve(port));
        });
      });
      await load([monitorDef({ autoStart: false })], { port: closed });
      const m = helper.getNode("m1");
      await waitFor(() => statuses(m).some((st) => st.fill === "red" && /^refused · retry \d+ s$/.test(st.text || "")), "red ring retrying");
    });

    for (const [what, session] of [["an empty host", { host: "" }], ["port 0", { port: 0 }], ["port 70000", { port: 70000 }]]) {
      it(`bad config (${what}) gives a clear red status and connects nowhere, throwing nothing`, async () => {
        await load([monitorDef()], session);
        const m = helper.getNode("m1");
        await waitFor(() => (lastStatus(m) || {}).fill === "red", "red");
        await holdsFor(() => sim.connectionCount() === 0, "no connection", 100);
      });
    }
  });

  describe("hi6-monitor", () => {
    it("starts on its own when the session is ready and emits payload, topic, ts and svc_dur_ms", async () => {
      const got = await load([monitorDef()]);
      await waitFor(() => got.out.length >= 3, "data");
      const msg = got.out[0];
      assert.equal(msg.topic, JOINTS);
      assert.deepEqual(msg.payload.position, [0, 90, 0, 0, -90, 0]);
      assert.equal(typeof msg.ts, "number");
      assert.equal(typeof msg.svc_dur_ms, "number");
      assert.equal(sim.received[1], `{"cmd":"MONITOR","payload":{"method":"GET","url":"${JOINTS}","period_ms":10,"args":{"jno_start":1,"jno_n":6}}}`);
    });
    it("a failed REST call arrives with its body as payload and its HTTP status in msg.status", async () => {
      const got = await load([monitorDef({ url: "/api/health" })]);
      await waitFor(() => got.out.length >= 1, "data");
      assert.deepEqual(got.out[0].payload, { error: "not_found", path: "/api/health" });
      assert.equal(got.out[0].status, 404);
    });
    it("msg.url, msg.period and msg.args override the configuration, byte-exact on the wire", async () => {
      await load([monitorDef({ autoStart: false })]);
      const m = helper.getNode("m1");
      await waitFor(() => (lastStatus(m) || {}).fill === "green", "ready");
      m.receive({ url: "/project/rgen", period: 25, args: { a: 1 } });
      await waitFor(() => sim.received.some((l) => l.includes("MONITOR")), "MONITOR");
      assert.equal(sim.received.find((l) => l.includes("MONITOR")), '{"cmd":"MONITOR","payload":{"method":"GET","url":"/project/rgen","period_ms":25,"args":{"a":1}}}');
    });
    it("\"stop\" sends STOP monitor and the data stops", async () => {
      const got = await load([monitorDef()]);
      await waitFor(() => got.out.length >= 2, "data");
      const m = helper.getNode("m1");
      m.receive({ payload: "stop" });
      await waitFor(() => sim.received.includes('{"cmd":"STOP","payload":{"target":"monitor"}}'), "STOP monitor");
      // The ack reached the node, so the sim had stopped: what it sent is final. Samples still on their
      // way when the ack arrived have no owner any more; the flow never gets more than was sent.
      await waitFor(() => statuses(m).some((st) => /stopped/.test(st.text || "")), "stopped status");
      const sent = sim.samplesSent;
      await holdsFor(() => sim.samplesSent === sent && got.out.length <= sent, "no sample after the stop", 100);
    });
    it("latest mode sends at most one msg per interval, with the newest sample", async () => {
      const got = await load([monitorDef({ period: 2, output: "latest", interval: 100 })]);
      await waitFor(() => got.out.length >= 3, "three msgs");
      // Fifty samples a 100 ms interval: every sample passed on would make these equal.
      assert.ok(got.out.length * 10 <= sim.samplesSent, `${got.out.length} msgs for ${sim.samplesSent} samples`);
      assert.ok(got.out.every((msg) => !Array.isArray(msg.payload) && Array.isArray(msg.payload.position)), "one sample per msg");
    });
    it("batch mode sends the samples of each interval as one array", async () => {
      const got = await load([monitorDef({ period: 2, output: "batch", interval: 100 })]);
      await waitFor(() => got.out.length >= 2, "batches");
      assert.ok(Array.isArray(got.out[1].payload) && got.out[1].payload.length > 5);
      assert.deepEqual(got.out[1].payload[0].position, [0, 90, 0, 0, -90, 0]);
    });
    it("period_clamped: a period below 2 ms is checked once, warned about once in the node's words, and sent as 2 ms", async () => {
      await load([monitorDef({ period: 1 })]);
      const m = helper.getNode("m1");
      await waitFor(() => sim.received.some((l) => l.includes("MONITOR")), "MONITOR");
      assert.equal(sim.received.find((l) => l.includes("MONITOR")), `{"cmd":"MONITOR","payload":{"method":"GET","url":"${JOINTS}","period_ms":2,"args":{"jno_start":1,"jno_n":6}}}`);
      const warnings = calls("warn", m).map((c) => String(c.args[0]));
      assert.deepEqual(warnings, [translate("hi6-monitor.warnings.periodClamped", { period: 1, clamped: 2 })]);
    });
    it("a bad url in the configuration is refused before the session sees it: red status with the code, a Catch node hears it, nothing sent", async () => {
      const got = await load([monitorDef({ url: "no-slash" })]);
      const m = helper.getNode("m1");
      await waitFor(() => got.caught.length === 1, "the error");
      assert.equal(got.caught[0].error.code, "invalid_url");
      await waitFor(() => (lastStatus(m) || {}).fill === "red", "red status");
      assert.match(lastStatus(m).text, /invalid_url/);
      assert.equal(sim.received.filter((l) => l.includes("MONITOR")).length, 0);
    });
    it("bad overrides (a number url, string args) are errors with the code, and nothing is sent", async () => {
      const got = await load([monitorDef({ autoStart: false })]);
      const m = helper.getNode("m1");
      await waitFor(() => (lastStatus(m) || {}).fill === "green", "ready");
      m.receive({ url: 42 });
      m.receive({ args: "a=1" });
      await waitFor(() => got.caught.length === 2, "two errors");
      assert.deepEqual(got.caught.map((c) => c.error.code), ["invalid_url", "invalid_args"]);
      assert.equal(sim.received.filter((l) => l.includes("MONITOR")).length, 0);
    });
    it("a slow reader (the event loop blocked 200 ms at a time at 2 ms) gets skipped samples counted in latest mode, not a backlog", async () => {
      const got = await load([monitorDef({ period: 2, output: "latest", interval: 100 })]);
      const m = helper.getNode("m1");
      await waitFor(() => got.out.length >= 1, "data");
      const start = got.out.length;
      const t0 = Date.now();
      for (let i = 0; i < 5; i++) {
        const end = Date.now() + 200;
        while (Date.now() < end);
        // One loop turn between blocks: what arrived meanwhile is read, then the loop blocks again.
        await new Promise(setImmediate);
      }
      const elapsed = Date.now() - t0;
      await waitFor(() => statuses(m).some((st) => /^\d+ Hz · \d+ skipped$/.test(st.text || "")), "skipped count in the status", 4000);
      const sent = got.out.length - start;
      assert.ok(sent <= Math.ceil(elapsed / 100) + 3, `${sent} msgs in ${elapsed} ms: at most one per interval`);
    });

    it("a newer monitor on the same session replaces this one, and its status says so", async () => {
      await load([monitorDef(), monitorDef({ id: "m2", autoStart: false, url: "/project/rgen" })]);
      const m1 = helper.getNode("m1");
      await waitFor(() => sim.received.some((l) => l.includes("MONITOR")), "first monitor");
      const before = statuses(m1).length;
      helper.getNode("m2").receive({});
      // Any status since: a later one (the session's own, after a reconnect on a busy machine) may cover it.
      await waitFor(() => statuses(m1).slice(before).some((st) => /replaced/.test(st.text || "")), "replaced status");
    });
    it("a MONITOR the server refuses shows a red status with the code, reaches a Catch node, and is not asked again on reconnect", async () => {
      const refusing = await ScriptServer.start((r, reply) => r.cmd === "MONITOR" && reply({ error: "monitor_internal_error", message: "the service failed" }));
      try {
        const got = await load([monitorDef()], { port: refusing.port });
        const m1 = helper.getNode("m1");
        await waitFor(() => got.caught.length === 1, "the refusal in a Catch node");
        assert.equal(got.caught[0].error.source.id, "m1");
        assert.match(got.caught[0].error.message, /monitor_internal_error/);
        await waitFor(() => (lastStatus(m1) || {}).text === "monitor_internal_error", "red refused status");
        assert.deepEqual([lastStatus(m1).fill, lastStatus(m1).shape], ["red", "ring"]);
        for (const s of refusing.sockets) s.destroy();
        await waitFor(() => refusing.sent("HANDSHAKE").length === 2, "reconnected");
        await holdsFor(() => refusing.sent("MONITOR").length === 1, "no second MONITOR after the reconnect", 200);
      } finally {
        await helper.unload();
        await refusing.close();
      }
    });
    it("after a drop, the monitor is re-armed and data resumes without the user doing anything", async () => {
      const got = await load([monitorDef()]);
      await waitFor(() => got.out.length >= 2, "data");
      sim.dropConnections();
      await waitFor(() => sim.received.filter((l) => l.includes("MONITOR")).length === 2, "re-armed");
      const n = got.out.length;
      await waitFor(() => got.out.length > n + 2, "data resumes");
    });
  });

  describe("hi6-control", () => {
    function controlDef(extra = {}) {
      return { id: "k1", type: "hi6-control", session: "s1", method: "POST", url: "/project/robot/trajectory/joint_traject_init", args: "{}", body: "{}", wires: [["out"]], ...extra };
    }
    async function ready(got) {
      const k = helper.getNode("k1");
      await waitFor(() => (lastStatus(k) || {}).fill === "green", "ready");
      return k;
    }

    it("passes the msg on once written, with the configured request on the wire", async () => {
      const got = await load([controlDef()]);
      const k = await ready(got);
      k.receive({ payload: "go", topic: "t" });
      await waitFor(() => got.out.length === 1, "passed on");
      assert.equal(got.out[0].topic, "t");
      await waitFor(() => sim.received.length === 2, "on the wire");
      assert.equal(sim.received[1], '{"cmd":"CONTROL","payload":{"method":"POST","url":"/project/robot/trajectory/joint_traject_init","args":{},"body":{}}}');
    });
    it("msg.method, msg.url, msg.args and an object payload override, byte-exact on the wire", async () => {
      const got = await load([controlDef()]);
      const k = await ready(got);
      k.receive({ method: "PUT", url: "/project/x", args: { q: 1 }, payload: [1, 2] });
      await waitFor(() => sim.received.length === 2, "on the wire");
      assert.equal(sim.received[1], '{"cmd":"CONTROL","payload":{"method":"PUT","url":"/project/x","args":{"q":1},"body":[1,2]}}');
    });
    it("a url with a space never reaches the wire and lands in a Catch node with invalid_url", async () => {
      const got = await load([controlDef()]);
      const k = await ready(got);
      k.receive({ url: "/project/a b" });
      await waitFor(() => got.caught.length === 1, "caught");
      assert.equal(got.caught[0].error.code, "invalid_url");
      assert.equal(got.caught[0].error.source.id, "k1");
      assert.equal(sim.received.filter((l) => l.includes("CONTROL")).length, 0);
    });
    for (const [what, msg, code] of [["a number url", { url: 5 }, "invalid_url"], ["string args", { args: "x" }, "invalid_args"], ["a bad method", { method: "GET" }, "invalid_method"]]) {
      it(`${code}: ${what} is an error with the code, and nothing is sent`, async () => {
        const got = await load([controlDef()]);
        const k = await ready(got);
        k.receive(msg);
        await waitFor(() => got.caught.length === 1, "caught");
        assert.equal(got.caught[0].error.code, code);
        assert.equal(sim.received.filter((l) => l.includes("CONTROL")).length, 0);
      });
    }
    it("a 404 control_err lands in a Catch node as coming from the sending node, with status and body", async () => {
      const got = await load([controlDef({ id: "k0", url: "/project/robot/trajectory/joint_traject_init", wires: [[]] }), controlDef({ url: "/no/such/path" })]);
      const k = await ready(got);
      helper.getNode("k0").receive({});
      k.receive({ payload: {}, topic: "mine" });
      await waitFor(() => got.caught.length === 1, "caught");
      const c = got.caught[0];
      assert.equal(c.error.code, "control_err");
      assert.equal(c.error.source.id, "k1");
      assert.equal(c.error.cause.status, 404);
      assert.deepEqual(c._error, { code: "control_err", message: "the CONTROL failed with HTTP 404: not_found", status: 404, body: { error: "not_found", path: "/no/such/path" } });
      assert.equal(c.topic, "mine");
    });
  });

  describe("hi6-stop", () => {
    function stopDef(extra = {}) {
      return { id: "x1", type: "hi6-stop", session: "s1", target: "monitor", wires: [["out"]], ...extra };
    }

    it("STOP monitor is acked with {type: stop_ack, target} and the monitor's data stops, not re-armed", async () => {
      const got = await load([monitorDef({ wires: [[]] }), stopDef()]);
      await waitFor(() => sim.received.some((l) => l.includes("MONITOR")), "monitor");
      helper.getNode("x1").receive({});
      await waitFor(() => got.out.length === 1, "ack");
      assert.deepEqual(got.out[0].payload, { type: "stop_ack", target: "monitor" });
      await waitFor(() => /stopped/.test((lastStatus(helper.getNode("m1")) || {}).text || ""), "monitor stopped");
    });
    it("msg.target and a string payload override the target, msg.target first", async () => {
      const got = await load([stopDef()]);
      const x = helper.getNode("x1");
      await waitFor(() => (lastStatus(x) || {}).fill === "green", "ready");
      const stops = () => sim.received.filter((l) => l.includes('"cmd":"STOP"'));
      x.receive({ target: "control" });
      await waitFor(() => got.out.length === 1, "passed on");
      x.receive({ payload: "monitor" });
      await waitFor(() => got.out.length === 2, "passed on");
      x.receive({ target: "control", payload: "monitor" });
      await waitFor(() => got.out.length === 3, "passed on");
      assert.deepEqual(stops(), ["control", "monitor", "control"].map((t) => `{"cmd":"STOP","payload":{"target":"${t}"}}`));
    });
    it("nothing_to_stop warns and still passes the msg on", async () => {
      const got = await load([stopDef()]);
      const x = helper.getNode("x1");
      await waitFor(() => (lastStatus(x) || {}).fill === "green", "ready");
      x.receive({ payload: "control" });
      await waitFor(() => got.out.length === 1, "passed on");
      const warnings = calls("warn", x).map((c) => String(c.args[0]));
      assert.equal(warnings.length, 1);
      assert.match(warnings[0], /nothing_to_stop/);
    });
    it("invalid_target is an error with the code, nothing sent", async () => {
      const got = await load([stopDef()]);
      helper.getNode("x1").receive({ target: "everything" });
      await waitFor(() => got.caught.length === 1, "caught");
      assert.equal(got.caught[0].error.code, "invalid_target");
      assert.equal(sim.received.filter((l) => l.includes("STOP")).length, 0);
    });
    it("no ack within 2 s raises an error on the node", async () => {
      const got = await load([stopDef()]);
      const x = helper.getNode("x1");
      await waitFor(() => (lastStatus(x) || {}).fill === "green", "ready");
      sim.freeze(true);
      x.receive({});
      await waitFor(() => got.caught.length === 1, "caught", 6000);
      assert.equal(got.caught[0].error.code, "ack_timeout");
    });
    it("STOP session closes the connection after the ack; the next command opens it again", async () => {
      const got = await load([stopDef({ target: "session" }), monitorDef({ autoStart: false, wires: [["out"]] })]);
      const x = helper.getNode("x1");
      await waitFor(() => (lastStatus(x) || {}).fill === "green", "ready");
      x.receive({});
      await waitFor(() => got.out.some((m) => m.payload && m.payload.type === "stop_ack"), "ack");
      await waitFor(() => sim.connectionCount() === 0, "closed");
      helper.getNode("m1").receive({});
      await waitFor(() => got.out.some((m) => m.topic === JOINTS), "monitor data on a new connection");
    });
  });

  describe("redeploys", () => {
    it("100 redeploys while a monitor and a trajectory run leave no socket, worker, timer or listener behind", async function () {
      this.timeout(180000);
      const trajectory = { id: "t1", type: "hi6-trajectory", session: "s1", dt: 0.002, lookAhead: 0.04, timeFromStart: "elapsed", sendInit: true, stopOnAbort: true, maxSpeed: 0, startTolerance: 0, margin: 300, wires: [[], []] };
      const flow = () => [sessionDef(sim), monitorDef({ period: 5, wires: [[]] }), trajectory];
      // The sim keeps the last 20,000 lines only, so a run's first point is looked for among the lines since a mark.
      const insertSince = (mark) => sim.receivedTotal > mark && sim.received.slice(-(sim.receivedTotal - mark)).some((l) => l.includes("joint_traject_insert_point"));
      const warnings = [];
      const onWarning = (w) => warnings.push(w.name);
      process.on("warning", onWarning);
      const handles = () => process.getActiveResourcesInfo().length;
      await helper.load(allNodes, flow());
      await waitFor(() => sim.received.some((l) => l.includes("MONITOR")), "monitor");
      await helper.unload();
      await waitFor(() => sim.connectionCount() === 0, "closed");
      const baseline = handles();
      const listeners = process.listenerCount("exit") + process.listenerCount("uncaughtException");
      try {
        for (let i = 0; i < 100; i++) {
          await helper.load(allNodes, flow());
          const t = helper.getNode("t1");
          await waitFor(() => (lastStatus(t) || {}).fill === "green", `ready ${i}`);
          const mark = sim.receivedTotal;
          t.receive({ payload: { sine: { amplitude_deg: 1, cycle_sec: 1, duration_sec: 5, base: [0, 90, 0, 0, -90, 0] } } });
          await waitFor(() => insertSince(mark), `trajectory ${i} running`);
          await helper.unload();
          await waitFor(() => sim.connectionCount() === 0, `closed ${i}`);
        }
      } finally {
        process.off("warning", onWarning);
      }
      assert.equal(sim.connectionCount(), 0);
      await waitFor(() => handles() <= baseline + 2, `active resources back to ${baseline} (+2)`);
      assert.equal(process.listenerCount("exit") + process.listenerCount("uncaughtException"), listeners);
      assert.deepEqual(warnings.filter((w) => w === "MaxListenersExceededWarning"), []);
    });
  });
});
