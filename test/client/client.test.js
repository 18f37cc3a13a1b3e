"use strict";
const assert = require("node:assert/strict");
const { startSimulator } = require("../../nodes/sim");
const { OpenStreamClient } = require("../../nodes/client/OpenStreamClient");
const { until, holdsFor } = require("../support/wait");
const { ScriptServer } = require("../support/script-server");

const JOINTS = "/project/robot/joints/joint_states";

describe("client: OpenStreamClient against the virtual controller", () => {
  let sim;
  let client;
  let states;

  async function open(simOptions = {}, clientOptions = {}) {
    sim = await startSimulator({ port: 0, restPort: 0, ...simOptions });
    client = new OpenStreamClient({ host: "127.0.0.1", port: sim.port, backoff: { initialMs: 20, maxMs: 200 }, ...clientOptions });
    states = [];
    client.on("state", (s) => states.push(s.state));
    client.on("error", () => undefined);
    return client;
  }

  async function ready() {
    client.start();
    await until(() => client.state === "ready", "ready");
  }

  afterEach(async () => {
    if (client) await client.close({ stopSession: false });
    if (sim) await sim.close();
    client = undefined;
    sim = undefined;
  });

  describe("HANDSHAKE", () => {
    it("handshakes right after connecting and reports the server version", async () => {
      await open();
      await ready();
      assert.deepEqual(states, ["connecting", "handshaking", "ready"]);
      assert.equal(client.serverVersion, "1.0.0");
      assert.equal(sim.received[0], '{"cmd":"HANDSHAKE","payload":{"major":1}}');
    });

    it("version_mismatch is fatal: state failed, the error names both majors, and no hot retry", async () => {
      await open({ version: "2.0.0" }, { fatalRetryMs: 400 });
      const failures = [];
      client.on("state", (s) => s.state === "failed" && failures.push({ ...s, at: performance.now() }));
      client.start();
      await until(() => failures.length === 1, "failed");
      assert.equal(failures[0].error.code, "version_mismatch");
      assert.match(failures[0].error.message, /client major 1/);
      assert.match(failures[0].error.message, /server major 2/);
      assert.equal(failures[0].retryInMs, 400);
      await until(() => failures.length === 2, "one slow retry");
      // A lower bound only: a busy machine can make the retry later, never earlier.
      const gap = failures[1].at - failures[0].at;
      assert.ok(gap >= 399, `no retry before fatalRetryMs: the second attempt failed ${gap.toFixed(0)} ms after the first`);
    });

    it("a major that breaks the HANDSHAKE rules is refused before connecting (invalid_version, invalid_major_type)", () => {
      assert.throws(() => new OpenStreamClient({ host: "127.0.0.1", port: 1, major: -1 }), { code: "invalid_config", message: /major/ });
      assert.throws(() => new OpenStreamClient({ host: "127.0.0.1", port: 1, major: 1.5 }), { code: "invalid_config" });
    });

    it("busy_session_active: no STOP before HANDSHAKE; the client drops the connection and retries through backoff", async () => {
      await open({ faults: { busyOnHandshake: true } }, { backoff: { initialMs: 100, maxMs: 100, jitter: 0 } });
      const errors = [];
      client.on("state", (s) => s.error && errors.push(s));
      client.start();
      await until(() => errors.length >= 1, "backoff after busy_session_active");
      assert.equal(errors[0].state, "backoff");
      assert.equal(errors[0].error.code, "busy_session_active");
      await until(() => sim.received.filter((l) => l.includes("HANDSHAKE")).length >= 2, "a second HANDSHAKE after backoff");
      sim.setFaults({});
      await until(() => client.state === "ready", "ready once the controller is free");
      assert.deepEqual(sim.received.filter((l) => l.includes("STOP")), [], "STOP is only valid after a successful HANDSHAKE");
    });

    it("handshake_timeout: a server that never answers leads to backoff, not a hot loop", async () => {
      await open({ faults: { ignoreHandshake: true } }, { handshakeTimeoutMs: 100, backoff: { initialMs: 300, maxMs: 300, jitter: 0 } });
      const errors = [];
      client.on("state", (s) => s.error && errors.push({ ...s, at: performance.now() }));
      client.start();
      await until(() => errors.length >= 1, "backoff after the handshake timeout");
      assert.equal(errors[0].state, "backoff");
      assert.equal(errors[0].error.code, "handshake_timeout");
      assert.equal(errors[0].retryInMs, 300);
      await until(() => errors.length >= 2, "the second attempt's timeout");
      // Backoff, then a fresh timeout: never sooner than both (a lower bound, which a busy machine cannot break).
      const gap = errors[1].at - errors[0].at;
      assert.ok(gap >= 399, `the next attempt ended ${gap.toFixed(0)} ms after the first: not a hot loop`);
    });
  });

  describe("MONITOR", () => {
    it("streams data events with the REST result", async () => {
      await open();
      await ready();
      const samples = [];
      client.on("data", (e, at) => samples.push([e, at]));
      const r = await client.monitor({ url: JOINTS, period_ms: 5, args: { jno_start: 1, jno_n: 6 } });
      assert.deepEqual(r, { periodMs: 5, warnings: [] });
      await until(() => samples.length >= 5, "data");
      const [event, receivedAt] = samples[0];
      assert.equal(event.type, "data");
      assert.deepEqual(event.result.position, [0, 90, 0, 0, -90, 0]);
      assert.equal(typeof event.ts, "number");
      assert.equal(typeof receivedAt, "bigint");
    });

    it("takeDataLine: a data line is offered unparsed before it is parsed; taken, it counts as data and keeps the stall watchdog fed, and no data event is emitted for it", async () => {
      const taken = [];
      await open({}, { stallTimeoutMs: () => 200, takeDataLine: (line, at) => (taken.push([line, at]), true) });
      await ready();
      const events = [];
      client.on("data", (e) => events.push(e));
      const warnings = [];
      client.on("warning", (code) => warnings.push(code));
      await client.monitor({ url: JOINTS, period_ms: 5 });
      // Five stall windows of taken lines: a watchdog that never heard of them would have reconnected.
      await until(() => taken.length >= 200, "data lines", 10_000);
      assert.deepEqual(events, []);
      assert.equal(client.state, "ready");
      assert.ok(!warnings.includes("stall_detected"), "taken lines are data to the stall watchdog");
      assert.ok(client.counters.dataEvents >= 200);
      const [line, at] = taken[0];
      assert.ok(line.startsWith('{"type":"data",'));
      assert.deepEqual(JSON.parse(line).result.position, [0, 90, 0, 0, -90, 0]);
      assert.equal(typeof at, "bigint");
    });

    it("takeDataLine: a line it declines, and every line that is not data, is parsed as before", async () => {
      const offered = [];
      await open({}, { takeDataLine: (line) => (offered.push(line), false) });
      await ready();
      const events = [];
      client.on("data", (e) => events.push(e));
      await client.monitor({ url: JOINTS, period_ms: 5 });
      await until(() => events.length >= 5, "data events");
      assert.ok(offered.length >= events.length);
      assert.ok(offered.every((l) => l.startsWith('{"type":"data",')), "acks and the rest are never offered");
      assert.deepEqual(events[0].result.position, [0, 90, 0, 0, -90, 0]);
    });

    it("period_ms below 2 is clamped, with a warning", async () => {
      await open();
      const r = await client.monitor({ url: JOINTS, period_ms: 1 });
      assert.equal(r.periodMs, 2);
      assert.match(r.warnings[0], /clamped/);
      assert.match(sim.received.find((l) => l.includes("MONITOR")), /"period_ms":2/);
    });

    it("accepts data that arrives before monitor_ack", async () => {
      await open({ faults: { dataBeforeAck: true } });
      const seen = [];
      client.on("data", () => seen.push("data"));
      client.on("monitorAck", () => seen.push("ack"));
      await client.monitor({ url: JOINTS, period_ms: 50 });
      assert.equal(seen[0], "data", "the sample before the ack is kept");
      assert.ok(seen.includes("ack"));
    });

    it("reassembles events the server writes in small pieces", async () => {
      await open({ faults: { splitWrites: true } });
      let n = 0;
      client.on("data", (e) => e.result.position.length === 6 && n++);
      await client.monitor({ url: JOINTS, period_ms: 10 });
      await until(() => n >= 5, "split data");
      assert.equal(client.counters.garbageLines, 0);
    });

    it("one MONITOR per connection: a newer one replaces the older and says whose", async () => {
      await open();
      const replaced = [];
      client.on("monitorReplaced", (tag) => replaced.push(tag));
      await client.monitor({ url: JOINTS, period_ms: 20 }, "first");
      await client.monitor({ url: "/project/rgen", period_ms: 20 }, "second");
      assert.deepEqual(replaced, ["first"]);
      assert.equal(client.activeMonitor.url, "/project/rgen");
    });

    it("a MONITOR that breaks a rule is rejected with its code and never sent", async () => {
      await open();
      await ready();
      await assert.rejects(client.monitor({ url: "no-slash", period_ms: 10 }), { code: "invalid_url" });
      await assert.rejects(client.monitor({ url: JOINTS, period_ms: "10" }), { code: "invalid_period" });
      await assert.rejects(client.monitor({ url: JOINTS, period_ms: 10, args: [] }), { code: "invalid_args" });
      assert.equal(sim.received.filter((l) => l.includes("MONITOR")).length, 0);
    });
  });

  describe("CONTROL", () => {
    it("writes the recipe byte-exact and expects no answer on success", async () => {
      await open();
      await ready();
      client.control({ method: "PUT", url: "/project/robot/trajectory/joint_traject_init", args: { a: 1 }, body: { b: [1, 2] } });
      await until(() => sim.received.length === 2, "the CONTROL line");
      assert.equal(sim.received[1], '{"cmd":"CONTROL","payload":{"method":"PUT","url":"/project/robot/trajectory/joint_traject_init","args":{"a":1},"body":{"b":[1,2]}}}');
    });

    it("each CONTROL rule throws its code and nothing reaches the wire", async () => {
      await open();
      await ready();
      const cases = [
        [{ method: "POST" }, "missing_url"],
        [{ method: "POST", url: "/a b" }, "invalid_url"],
        [{ url: "/a" }, "missing_method"],
        [{ method: "GET", url: "/a" }, "invalid_method"],
        [{ method: "POST", url: "/a", args: "x=1" }, "invalid_args"],
        [{ method: "POST", url: "/a", body: "text" }, "invalid_body"],
      ];
      for (const [req, code] of cases) assert.throws(() => client.control(req), { code }, code);
      // A valid CONTROL after them is a fence: the connection is ordered, so once it arrives, anything written before it has too.
      client.control({ method: "POST", url: "/fence" });
      await until(() => sim.received.some((l) => l.includes("/fence")), "the fence");
      assert.deepEqual(sim.received.filter((l) => l.includes("CONTROL")), ['{"cmd":"CONTROL","payload":{"method":"POST","url":"/fence"}}']);
    });

    it("control_err is attributed to the latest CONTROL sender, with status and body", async () => {
      await open();
      await ready();
      const errors = [];
      client.on("controlError", (err, tag) => errors.push([err, tag]));
      client.control({ method: "POST", url: "/project/robot/trajectory/joint_traject_init" }, "ok-node");
      client.control({ method: "POST", url: "/no/such/path" }, "bad-node");
      await until(() => errors.length === 1, "control_err");
      const [err, tag] = errors[0];
      assert.equal(tag, "bad-node");
      assert.equal(err.code, "control_err");
      assert.equal(err.status, 404);
      assert.deepEqual(err.body, { error: "not_found", path: "/no/such/path" });
    });

    it("a CONTROL while not connected throws not_connected and opens the session", async () => {
      await open();
      assert.throws(() => client.control({ method: "POST", url: "/a" }), { code: "not_connected" });
      await until(() => client.state === "ready", "the session opened by the command");
    });

    it("write backpressure: when the server stops reading, writes are refused with write_queue_full, bounded", async () => {
      await open({}, { writeQueueBytes: 64 * 1024 });
      await ready();
      sim.stopReading(true);
      const body = { pad: "x".repeat(4000) };
      let refused;
      for (let i = 0; i < 100000 && !refused; i++) {
        try {
          client.control({ method: "POST", url: "/project/robot/trajectory/joint_traject_init", body });
        } catch (err) {
          refused = err;
        }
        if (i % 50 === 0) await new Promise(setImmediate);
      }
      assert.equal(refused && refused.code, "write_queue_full");
      assert.equal(client.writeLine(JSON.stringify(body) + "\n"), false, "the fast path refuses a line that does not fit either");
      const stop = JSON.stringify({ cmd: "CONTROL", payload: { method: "POST", url: "/project/robot/trajectory/joint_traject_init", body: {} } }) + "\n";
      assert.equal(client.writeUrgent(stop), true, "the few bytes that stop a motion still go out");
    });
  });

  describe("STOP", () => {
    it("stop_ack resolves with the target", async () => {
      await open();
      await client.monitor({ url: JOINTS, period_ms: 20 });
      assert.deepEqual(await client.stop("monitor"), { target: "monitor", nothingToStop: false });
      assert.equal(client.activeMonitor, undefined, "a stopped monitor is not re-armed");
    });

    it("nothing_to_stop resolves as harmless", async () => {
      await open();
      await ready();
      assert.deepEqual(await client.stop("control"), { target: "control", nothingToStop: true });
    });

    it("invalid_target and missing_target are refused before sending", async () => {
      await open();
      await assert.rejects(client.stop("everything"), { code: "invalid_target" });
      await assert.rejects(client.stop(undefined), { code: "missing_target" });
    });

    it("ack_timeout when the server never acknowledges", async () => {
      await open({}, { ackTimeoutMs: 150 });
      await ready();
      sim.freeze(true);
      await assert.rejects(client.stop("session"), { code: "ack_timeout" });
    });

    it("STOP session closes the connection, and the next command opens it again", async () => {
      await open();
      await ready();
      await client.stop("session");
      await until(() => client.state === "idle" && sim.connectionCount() === 0, "closed after stop_ack");
      await client.monitor({ url: JOINTS, period_ms: 20 });
      assert.equal(client.state, "ready");
    });

    it("after STOP session's ack nothing more is written: a CONTROL throws not_connected and opens a new connection", async () => {
      await open();
      await ready();
      await client.stop("session");
      assert.equal(client.state, "idle", "idle as soon as the ack arrives");
      assert.equal(client.writeLine('{"cmd":"CONTROL","payload":{"method":"POST","url":"/a"}}\n'), false);
      assert.throws(() => client.control({ method: "POST", url: "/project/robot/trajectory/joint_traject_init" }), { code: "not_connected" });
      await until(() => client.state === "ready", "the next command opened the session again");
      assert.deepEqual(sim.received.filter((l) => l.includes("CONTROL")), []);
    });

    it("an error that arrives while a STOP awaits its ack belongs to that STOP", async () => {
      await open();
      await ready();
      const control = [];
      client.on("controlError", (e) => control.push(e));
      client.control({ method: "POST", url: "/project/robot/trajectory/joint_traject_init" }, "c");
      // The server answers STOP monitor with nothing_to_stop: it must settle the STOP, not reach the CONTROL sender.
      assert.equal((await client.stop("monitor")).nothingToStop, true);
      assert.deepEqual(control, []);
    });
  });

  describe("why a connection fails: typed causes with the address", () => {
    it("refused: nothing listens at the address; each attempt is reported with its cause", async () => {
      const probe = require("node:net").createServer();
      await new Promise((r) => probe.listen(0, "127.0.0.1", r));
      const port = probe.address().port;
      await new Promise((r) => probe.close(r));
      client = new OpenStreamClient({ host: "127.0.0.1", port, backoff: { initialMs: 20, maxMs: 20 } });
      const failures = [];
      const changes = [];
      client.on("attemptFailed", (f) => failures.push(f));
      client.on("state", (c) => changes.push(c));
      client.start();
      await until(() => failures.length >= 2, "two failed attempts");
      assert.deepEqual([failures[0].cause, failures[0].address], ["refused", `127.0.0.1:${port}`]);
      assert.equal(changes.find((c) => c.state === "backoff").failure.cause, "refused");
    });

    it("no_handshake_answer: connected, but the server never answers HANDSHAKE", async () => {
      await open({ faults: { ignoreHandshake: true } }, { handshakeTimeoutMs: 100 });
      const failures = [];
      client.on("attemptFailed", (f) => failures.push(f));
      client.start();
      await until(() => failures.length >= 1, "a failed attempt");
      assert.equal(failures[0].cause, "no_handshake_answer");
      assert.equal(failures[0].code, "handshake_timeout");
    });

    it("handshake_rejected: the server refuses HANDSHAKE (busy_session_active)", async () => {
      await open({ faults: { busyOnHandshake: true } });
      const failures = [];
      client.on("attemptFailed", (f) => failures.push(f));
      client.start();
      await until(() => failures.length >= 1, "a failed attempt");
      assert.deepEqual([failures[0].cause, failures[0].code], ["handshake_rejected", "busy_session_active"]);
    });

    it("connection_lost: a ready connection that drops is not a failed attempt, but its state change names the cause", async () => {
      await open();
      const failures = [];
      client.on("attemptFailed", (f) => failures.push(f));
      const changes = [];
      client.on("state", (c) => changes.push(c));
      await ready();
      sim.dropConnections();
      await until(() => changes.some((c) => c.state === "backoff"), "backoff");
      assert.equal(changes.find((c) => c.state === "backoff").failure.cause, "connection_lost");
      assert.equal(failures.length, 0);
    });

    it("errno codes map to causes: unresolved names, refusals, unreachable hosts", () => {
      const { causeOf } = require("../../nodes/client/OpenStreamClient");
      assert.equal(causeOf("ENOTFOUND", false), "name_not_resolved");
      assert.equal(causeOf("EAI_AGAIN", false), "name_not_resolved");
      assert.equal(causeOf("ECONNREFUSED", false), "refused");
      assert.equal(causeOf("EHOSTUNREACH", false), "unreachable");
      assert.equal(causeOf("ETIMEDOUT", false), "unreachable");
      assert.equal(causeOf("ECONNRESET", false), "closed_by_peer");
      assert.equal(causeOf("ECONNRESET", true), "connection_lost");
    });

    it("reconnect: false — a dropped session ends in disconnected, not connecting forever; the next command opens it again", async () => {
      await open({}, { reconnect: false });
      await ready();
      sim.dropConnections();
      await until(() => client.state === "disconnected", "disconnected");
      await new Promise((r) => setImmediate(r));
      assert.equal(client.state, "disconnected");
      assert.throws(() => client.control({ method: "POST", url: "/project/robot/trajectory/joint_traject_init", body: {} }), { code: "not_connected" });
      await until(() => client.state === "ready", "opened again by the command");
    });
  });

  describe("every reading of the manual's open points", () => {
    for (const reading of ["common", "control_err"]) {
      it(`controlErrors ${reading}: a CONTROL the controller refuses for a payload rule reaches its sender, whatever shape the refusal takes`, async () => {
        await open({ readings: { controlErrors: reading } });
        await ready();
        const errors = [];
        client.on("controlError", (err, tag) => errors.push([err, tag]));
        // The client never sends such a line on its own; the raw path does, as another client could.
        client.writeLine('{"cmd":"CONTROL","payload":{"method":"GET","url":"/x"}}\n', "control-node");
        await until(() => errors.length === 1, "the refusal");
        const [err, tag] = errors[0];
        assert.equal(tag, "control-node");
        if (reading === "common") assert.equal(err.code, "invalid_method");
        else assert.deepEqual([err.code, err.status, err.body.error], ["control_err", 400, "invalid_method"]);
        assert.equal(client.state, "ready");
      });
    }

    it("armedWatchdog client_inactivity: a MONITOR-only session the controller closes for want of commands is reopened and re-armed each time, and data keeps coming", async () => {
      await open({ stallTimeoutMs: 150, readings: { armedWatchdog: "client_inactivity" } });
      let n = 0;
      client.on("data", () => n++);
      await client.monitor({ url: JOINTS, period_ms: 10 }, "mon");
      await until(() => sim.received.filter((l) => l.includes("HANDSHAKE")).length >= 3, "closed and reopened twice");
      const before = n;
      await until(() => n > before + 3, "data after the reopenings");
      assert.deepEqual(client.activeMonitor, { url: JOINTS, period_ms: 10 });
    });

    it("rxOverflow close: a controller that closes after rx_buf_overflow is reconnected, and the MONITOR re-armed", async () => {
      await open({ maxLineBytes: 1024, readings: { rxOverflow: "close" } });
      let n = 0;
      client.on("data", () => n++);
      await client.monitor({ url: JOINTS, period_ms: 10 }, "mon");
      client.writeLine("x".repeat(4096) + "\n");
      await until(() => sim.received.filter((l) => l.includes("MONITOR")).length === 2, "re-armed on a new connection");
      const before = n;
      await until(() => n > before + 3, "data again");
    });
  });

  describe("STOP targets the controller does not support (manual §5.5)", () => {
    it("invalid_target for STOP monitor: STOP session instead, the MONITOR is not re-armed, and the session reconnects", async () => {
      await open({ readings: { unsupportedStopTargets: ["monitor", "control"] } });
      let n = 0;
      client.on("data", () => n++);
      await client.monitor({ url: JOINTS, period_ms: 5 }, "mon");
      await until(() => n > 2, "data");
      const r = await client.stop("monitor");
      assert.deepEqual(r, { target: "monitor", nothingToStop: false, via: "session" });
      assert.equal(sim.received.filter((l) => l.includes('"target":"session"')).length, 1);
      await until(() => client.state === "ready" && sim.received.filter((l) => l.includes("HANDSHAKE")).length === 2, "reconnected");
      assert.equal(client.activeMonitor, undefined);
      assert.equal(sim.received.filter((l) => l.includes('"cmd":"MONITOR"')).length, 1, "not re-armed");
    });

    it("invalid_target for STOP control: STOP session instead, then the MONITOR that should still run is re-armed on the new connection", async () => {
      await open({ readings: { unsupportedStopTargets: ["monitor", "control"] } });
      let n = 0;
      client.on("data", () => n++);
      await client.monitor({ url: JOINTS, period_ms: 5 }, "mon");
      client.control({ method: "POST", url: "/project/robot/trajectory/joint_traject_init", body: {} });
      const r = await client.stop("control");
      assert.deepEqual(r, { target: "control", nothingToStop: false, via: "session" });
      await until(() => sim.received.filter((l) => l.includes('"cmd":"MONITOR"')).length === 2, "MONITOR re-armed");
      const before = n;
      await until(() => n > before + 2, "data flows again");
      const lines = sim.received;
      assert.ok(lines.findIndex((l) => l.includes('"target":"session"')) < lines.lastIndexOf(lines.filter((l) => l.includes('"cmd":"MONITOR"')).at(-1)));
    });
  });

  describe("reconnect", () => {
    it("after a drop: backoff, reconnect, re-handshake, and MONITOR re-armed without the caller", async () => {
      await open();
      let n = 0;
      client.on("data", () => n++);
      const rearmed = [];
      client.on("monitorRearmed", (tag) => rearmed.push(tag));
      await client.monitor({ url: JOINTS, period_ms: 5 }, "mon");
      await until(() => n > 3, "data");
      sim.dropConnections();
      await until(() => rearmed.length === 1, "re-armed");
      const before = n;
      await until(() => n > before + 3, "data resumes");
      assert.deepEqual(rearmed, ["mon"]);
      assert.ok(states.includes("backoff") && states.includes("reconnecting"));
      assert.equal(sim.received.filter((l) => l.includes("HANDSHAKE")).length, 2);
      assert.equal(sim.received.filter((l) => l.includes("MONITOR")).length, 2);
    });

    it("a line given to sendFirstOnReady is the first thing written on the next connection, before the MONITOR re-arm, and only once", async () => {
      await open();
      await client.monitor({ url: JOINTS, period_ms: 5 }, "mon");
      const INIT_LINE = JSON.stringify({ cmd: "CONTROL", payload: { method: "POST", url: "/project/robot/trajectory/joint_traject_init", body: {} } }) + "\n";
      client.sendFirstOnReady(INIT_LINE);
      client.sendFirstOnReady(INIT_LINE);
      const handshakesBefore = sim.received.filter((l) => l.includes("HANDSHAKE")).length;
      sim.dropConnections();
      await until(() => sim.received.filter((l) => l.includes("MONITOR")).length === 2, "MONITOR re-armed");
      const second = sim.received.findIndex((l, i) => l.includes("HANDSHAKE") && sim.received.slice(0, i).filter((x) => x.includes("HANDSHAKE")).length === handshakesBefore);
      assert.equal(sim.received[second + 1], INIT_LINE.trim(), "right after the HANDSHAKE");
      assert.equal(sim.received.filter((l) => l === INIT_LINE.trim()).length, 1, "once, however often it was asked for");
      sim.dropConnections();
      await until(() => sim.received.filter((l) => l.includes("MONITOR")).length === 3, "MONITOR re-armed again");
      assert.equal(sim.received.filter((l) => l === INIT_LINE.trim()).length, 1, "not on the connection after");
    });

    it("cancelFirstOnReady withdraws a line before the next connection", async () => {
      await open();
      await ready();
      const line = JSON.stringify({ cmd: "CONTROL", payload: { method: "POST", url: "/project/robot/trajectory/joint_traject_init", body: {} } }) + "\n";
      client.sendFirstOnReady(line);
      client.cancelFirstOnReady(line);
      sim.dropConnections();
      await until(() => client.state === "ready" && sim.received.filter((l) => l.includes("HANDSHAKE")).length === 2, "reconnected");
      assert.equal(sim.received.filter((l) => l.includes("joint_traject_init")).length, 0);
    });

    it("lastHeardAt is when the connection last received bytes, and 0 without a connection", async () => {
      await open();
      assert.equal(client.lastHeardAt, 0n);
      await ready();
      const afterHandshake = client.lastHeardAt;
      assert.ok(afterHandshake > 0n, "the handshake_ack was heard");
      await client.monitor({ url: JOINTS, period_ms: 5 }, "mon");
      await until(() => client.lastHeardAt > afterHandshake, "data moves it on");
    });

    it("backoff delays grow exponentially with jitter, capped", () => {
      const { backoffDelay } = require("../../nodes/client/backoff");
      const opts = { initialMs: 100, maxMs: 1000, factor: 2, jitter: 0.3 };
      assert.equal(backoffDelay(0, opts, () => 0.5), 100);
      assert.equal(backoffDelay(3, opts, () => 0.5), 800);
      assert.equal(backoffDelay(10, opts, () => 0.5), 1000);
      assert.equal(backoffDelay(0, opts, () => 0), 70);
      assert.equal(backoffDelay(0, opts, () => 1), 130);
    });

    it("a stall (a half-open link: no data, no FIN) is detected and the client reconnects", async () => {
      await open({}, { stallTimeoutMs: () => 300 });
      const warnings = [];
      client.on("warning", (code) => warnings.push(code));
      let n = 0;
      client.on("data", () => n++);
      await client.monitor({ url: JOINTS, period_ms: 5 });
      await until(() => n > 2, "data");
      sim.freeze(true);
      await until(() => warnings.includes("stall_detected"), "stall detected");
      sim.freeze(false);
      const before = n;
      await until(() => n > before + 2, "data after reconnect");
      assert.ok(states.includes("reconnecting"));
    });

    it("the idle watchdog's session_timeout reconnects quietly, without an error", async () => {
      await open({ idleTimeoutMs: 150 });
      const serverErrors = [];
      client.on("serverError", (e) => serverErrors.push(e));
      await ready();
      await until(() => sim.received.filter((l) => l.includes("HANDSHAKE")).length === 2 && client.state === "ready", "quiet reconnect");
      assert.deepEqual(serverErrors, []);
      assert.ok(!states.includes("backoff"), "no backoff for a routine idle close");
    });
  });

  describe("bad input from the server", () => {
    it("an oversized line (no newline within the limit) is dropped, reported, and framing recovers", async () => {
      await open({}, { maxLineBytes: 64 * 1024 });
      await ready();
      const warnings = [];
      client.on("warning", (code) => warnings.push(code));
      const unknown = [];
      client.on("unknownEvent", (e) => unknown.push(e));
      sim.sendRaw("x".repeat(200 * 1024));
      await until(() => warnings.length === 1, "line_too_long before any newline");
      sim.sendRaw('y\n{"type":"probe"}\n');
      await until(() => unknown.length === 1, "the line after the oversized one");
      assert.deepEqual(warnings, ["line_too_long"]);
      assert.equal(client.counters.oversizeLines, 1);
    });

    it("garbage lines raise a warning at most once a second, while every one is counted", async () => {
      await open();
      await ready();
      const warnings = [];
      client.on("warning", (code) => warnings.push(code));
      sim.sendRaw("junk\n".repeat(50) + '{"type":"probe"}\n');
      await until(() => client.counters.unknownEvents === 1, "the line after the garbage");
      assert.equal(client.counters.garbageLines, 50);
      assert.deepEqual(warnings, ["garbage_line"]);
    });

    it("garbage lines and non-object JSON are skipped and counted; unknown events are kept", async () => {
      await open();
      await ready();
      const unknown = [];
      client.on("unknownEvent", (e) => unknown.push(e.name));
      sim.sendRaw('not json\n[1,2]\n42\n{"type":"heartbeat"}\n');
      await until(() => unknown.length === 1, "the unknown event");
      assert.equal(client.counters.garbageLines, 3);
      assert.equal(client.counters.unknownEvents, 1);
      assert.deepEqual(unknown, ["heartbeat"]);
      assert.equal(client.state, "ready");
    });
  });

  describe("close", () => {
    it("sends STOP session, ends in stopped, and leaves no socket on the server", async () => {
      await open();
      await client.monitor({ url: JOINTS, period_ms: 5 });
      await client.close();
      assert.equal(client.state, "stopped");
      assert.ok(sim.received.includes('{"cmd":"STOP","payload":{"target":"session"}}'));
      await until(() => sim.connectionCount() === 0, "no socket left");
    });

    it("leaves no timer or socket behind", async () => {
      await open();
      const before = process.getActiveResourcesInfo().filter((r) => r === "Timeout" || r === "TCPSocketWrap").length;
      await client.monitor({ url: JOINTS, period_ms: 5 });
      await client.close();
      await until(() => sim.connectionCount() === 0, "server side closed");
      const after = process.getActiveResourcesInfo().filter((r) => r === "Timeout" || r === "TCPSocketWrap").length;
      assert.ok(after <= before, `resources before ${before}, after ${after}`);
    });
  });
});

describe("client: error correlation against a scripted server", () => {
  const JOINTS = "/project/robot/joints/joint_states";
  let server;
  let client;

  async function connect(script, options = {}) {
    server = await ScriptServer.start(script);
    client = new OpenStreamClient({ host: "127.0.0.1", port: server.port, backoff: { initialMs: 50, maxMs: 50, jitter: 0 }, ...options });
    client.start();
    await until(() => client.state === "ready", "ready");
  }

  afterEach(async () => {
    if (client) await client.close({ stopSession: false });
    if (server) await server.close();
    client = undefined;
    server = undefined;
  });

  it("a CONTROL-only code (control_busy) that arrives while MONITOR awaits its ack goes to the CONTROL sender, and the MONITOR still gets its ack", async () => {
    let answerMonitor;
    await connect((r, reply) => {
      if (r.cmd === "CONTROL") reply({ error: "control_busy", message: "another control is active" });
      if (r.cmd === "MONITOR") answerMonitor = () => reply({ type: "monitor_ack" });
    });
    const control = [];
    client.on("controlError", (err, tag) => control.push([err.code, tag]));
    const armed = client.monitor({ url: JOINTS, period_ms: 10 }, "monitor-node");
    await until(() => answerMonitor !== undefined, "MONITOR on the wire");
    client.control({ method: "POST", url: "/project/robot/trajectory/joint_traject_init" }, "control-node");
    await until(() => control.length === 1, "control_busy reported");
    assert.deepEqual(control[0], ["control_busy", "control-node"]);
    answerMonitor();
    await armed;
  });

  it("a protocol-level code (invalid_ndjson) that arrives while MONITOR awaits its ack belongs to that MONITOR", async () => {
    await connect((r, reply) => r.cmd === "MONITOR" && reply({ error: "invalid_ndjson", message: "bad line" }));
    await assert.rejects(client.monitor({ url: JOINTS, period_ms: 10 }), { code: "invalid_ndjson" });
  });

  it("monitor_internal_error with no recipe pending is the session's, never a CONTROL sender's", async () => {
    let push;
    await connect((r, reply) => {
      if (r.cmd === "MONITOR") {
        reply({ type: "monitor_ack" });
        push = () => reply({ error: "monitor_internal_error", message: "REST call failed" });
      }
    });
    const control = [];
    const session = [];
    client.on("controlError", (err) => control.push(err.code));
    client.on("serverError", (err) => session.push(err.code));
    client.control({ method: "POST", url: "/project/robot/trajectory/joint_traject_init" }, "control-node");
    await client.monitor({ url: JOINTS, period_ms: 10 });
    push();
    await until(() => session.length === 1, "monitor_internal_error reported");
    assert.deepEqual(session, ["monitor_internal_error"]);
    assert.deepEqual(control, []);
  });

  it("a MONITOR the server refuses is not kept: no re-arm, no stall reconnects", async () => {
    await connect((r, reply) => r.cmd === "MONITOR" && reply({ error: "monitor_internal_error", message: "no such service" }), { stallTimeoutMs: () => 100 });
    await assert.rejects(client.monitor({ url: JOINTS, period_ms: 10 }), { code: "monitor_internal_error" });
    assert.equal(client.activeMonitor, undefined);
    // Six stall limits: a kept MONITOR would have been judged stalled and the link reopened.
    await holdsFor(() => server.connections === 1 && server.sent("MONITOR").length === 1, "no re-arm and no stall reconnect", 600);
  });

  it("monitor_already_active: STOP monitor, then the MONITOR once more", async () => {
    let active = true;
    await connect((r, reply) => {
      if (r.cmd === "MONITOR") reply(active ? { error: "monitor_already_active", message: "already active" } : { type: "monitor_ack" });
      if (r.cmd === "STOP") {
        active = false;
        reply({ type: "stop_ack", target: r.payload.target });
      }
    });
    await client.monitor({ url: JOINTS, period_ms: 10 });
    assert.deepEqual(server.received.slice(1).map((l) => JSON.parse(l).cmd), ["MONITOR", "STOP", "MONITOR"]);
    assert.equal(JSON.parse(server.sent("STOP")[0]).payload.target, "monitor");
  });

  it("control_err in the manual's form names the REST error from its body; 412 (handshake_required) leads to a new handshake", async () => {
    await connect((r, reply) => r.cmd === "CONTROL" && reply({ type: "control_err", status: 412, body: { error: "handshake_required" } }));
    const control = [];
    client.on("controlError", (err, tag) => control.push([err, tag]));
    client.control({ method: "POST", url: "/project/robot/trajectory/joint_traject_init" }, "c");
    await until(() => control.length === 1, "control_err");
    assert.equal(control[0][0].status, 412);
    assert.match(control[0][0].message, /HTTP 412: handshake_required/);
    await until(() => server.sent("HANDSHAKE").length === 2, "a new HANDSHAKE");
  });
  it("error routing (manual §4): a code the catalogue does not know, arriving before monitor_ack, does not settle the MONITOR; it goes to the session", async () => {
    let answerMonitor;
    await connect((r, reply) => {
      if (r.cmd === "MONITOR") {
        reply({ error: "brand_new_code", message: "something new" });
        answerMonitor = () => reply({ type: "monitor_ack" });
      }
    });
    const session = [];
    client.on("serverError", (err) => session.push(err.code));
    const armed = client.monitor({ url: JOINTS, period_ms: 10 }, "monitor-node");
    await until(() => session.length === 1, "the unknown code on the session's path");
    assert.deepEqual(session, ["brand_new_code"]);
    answerMonitor();
    await armed;
    assert.deepEqual(client.activeMonitor, { url: JOINTS, period_ms: 10 }, "the MONITOR is still armed");
  });

  it("stop_ack.target (manual §3.4): a stop_ack for another target does not answer the STOP in flight", async () => {
    let answer;
    await connect((r, reply) => {
      if (r.cmd === "STOP") {
        reply({ type: "stop_ack", target: "session" });
        answer = () => reply({ type: "stop_ack", target: r.payload.target });
      }
    });
    let settled = false;
    const stopping = client.stop("monitor").then((r) => ((settled = true), r));
    await until(() => answer !== undefined, "STOP on the wire");
    // The mismatched ack was written before the right one: let it be read first.
    await until(() => client.counters.linesIn >= 2, "the mismatched ack read");
    assert.equal(settled, false, "the stop_ack for session answered nothing");
    answer();
    assert.deepEqual(await stopping, { target: "monitor", nothingToStop: false });
  });

  it("stop_failed (manual §4: reconnecting is recommended): the STOP is rejected and the client reconnects", async () => {
    await connect((r, reply) => r.cmd === "STOP" && reply({ error: "stop_failed", message: "cleanup failed" }));
    await assert.rejects(client.stop("control"), { code: "stop_failed" });
    await until(() => server.sent("HANDSHAKE").length === 2 && client.state === "ready", "a new connection");
  });
});
