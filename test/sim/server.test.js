"use strict";
const assert = require("node:assert/strict");
const http = require("node:http");
const { startSimulator, HOME_POSE } = require("../../nodes/sim");
const { nextDeadline, writtenAsInteger } = require("../../nodes/sim/session");
const { RawClient } = require("../support/raw-client");
const { until, holdsFor } = require("../support/wait");

const JOINTS = "/project/robot/joints/joint_states";
const INIT = "/project/robot/trajectory/joint_traject_init";
const INSERT = "/project/robot/trajectory/joint_traject_insert_point";
const INSERT_POINTS = "/project/robot/trajectory/joint_traject_insert_points";
const NAMES = ["j1", "j2", "j3", "j4", "j5", "j6"];

function get(port, path) {
  return new Promise((resolve, reject) => {
    http.get({ host: "127.0.0.1", port, path }, (res) => {
      let body = "";
      res.on("data", (d) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode, body: body ? JSON.parse(body) : undefined }));
    }).on("error", reject);
  });
}

function post(port, path, payload) {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(payload);
    const req = http.request({ host: "127.0.0.1", port, path, method: "POST", headers: { "content-type": "application/json" } }, (res) => {
      let body = "";
      res.on("data", (d) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode, body: body ? JSON.parse(body) : undefined }));
    });
    req.on("error", reject);
    req.end(data);
  });
}

describe("sim: the virtual controller's Open Stream server", () => {
  let sim;
  let c;
  const errorCode = (code) => (e) => e.error === code;

  beforeEach(async () => {
    sim = await startSimulator({ port: 0, restPort: 0 });
    c = await RawClient.connect(sim.port);
  });
  afterEach(async () => {
    c.close();
    await sim.close();
  });

  describe("session rules", () => {
    it("handshake_ack carries ok and the protocol version", async () => {
      assert.deepEqual(await c.handshake(), { type: "handshake_ack", ok: true, version: "1.0.0" });
    });
    it("handshake_required: MONITOR, CONTROL and STOP before HANDSHAKE are rejected", async () => {
      c.send({ cmd: "MONITOR", payload: { method: "GET", url: JOINTS, period_ms: 10 } });
      c.send({ cmd: "CONTROL", payload: { method: "POST", url: INIT } });
      c.send({ cmd: "STOP", payload: { target: "session" } });
      await until(() => c.events.length === 3, "three errors");
      assert.deepEqual(c.events.map((e) => e.error), ["handshake_required", "handshake_required", "handshake_required"]);
    });
    it("version_mismatch names both majors", async () => {
      c.send({ cmd: "HANDSHAKE", payload: { major: 2 } });
      const e = await c.next(errorCode("version_mismatch"));
      assert.match(e.message, /client major 2, server major 1/);
    });
    for (const [payload, code] of [[{}, "missing_major"], [{ major: "1" }, "invalid_major_type"], [{ major: -1 }, "invalid_version"]]) {
      it(`${code}: HANDSHAKE payload ${JSON.stringify(payload)}`, async () => {
        c.send({ cmd: "HANDSHAKE", payload });
        await c.next(errorCode(code), code);
      });
    }
    it("busy_session_active: HANDSHAKE while MONITOR is active", async () => {
      await c.handshake();
      c.send({ cmd: "MONITOR", payload: { method: "GET", url: JOINTS, period_ms: 50 } });
      await c.next((e) => e.type === "monitor_ack");
      c.send({ cmd: "HANDSHAKE", payload: { major: 1 } });
      await c.next(errorCode("busy_session_active"));
    });
    it("invalid_ndjson: a line that is not one JSON object; the session continues", async () => {
      c.send("{broken");
      c.send("[1,2]");
      await until(() => c.events.filter(errorCode("invalid_ndjson")).length === 2, "two invalid_ndjson");
      await c.handshake();
    });
    it("invalid_cmd, missing_field, invalid_type and invalid_payload for a bad envelope", async () => {
      await c.handshake();
      c.send({ cmd: "PING", payload: {} });
      c.send({ payload: {} });
      c.send({ cmd: 5, payload: {} });
      c.send({ cmd: "STOP", payload: "session" });
      await until(() => c.events.length === 5, "four errors");
      assert.deepEqual(c.events.slice(1).map((e) => e.error), ["invalid_cmd", "missing_field", "invalid_type", "invalid_payload"]);
    });
    it("rx_buf_overflow: a line over the receive limit is dropped with bounded memory, and the session goes on", async () => {
      await sim.close();
      sim = await startSimulator({ port: 0, restPort: 0, maxLineBytes: 32 * 1024 });
      c.close();
      c = await RawClient.connect(sim.port);
      c.socket.write("x".repeat(100 * 1024));
      // Reported once the line passes the limit, before any newline.
      await c.next(errorCode("rx_buf_overflow"));
      c.send("");
      await c.handshake();
    });
  });

  describe("MONITOR", () => {
    beforeEach(() => c.handshake());

    it("acks, then streams data events with ts, svc_dur_ms and the REST result", async () => {
      c.send({ cmd: "MONITOR", payload: { method: "GET", url: JOINTS, period_ms: 5, args: { jno_start: 2, jno_n: 3 } } });
      const d = await c.next((e) => e.type === "data");
      assert.equal(typeof d.ts, "number");
      assert.equal(typeof d.svc_dur_ms, "number");
      assert.equal(d.result._type, "JObject");
      assert.deepEqual(d.result.position, HOME_POSE.slice(1, 4), "jno_start is 1-based");
      assert.ok(c.events.some((e) => e.type === "monitor_ack"));
    });
    it("an unknown path streams status 404, with the REST call's body in result", async () => {
      c.send({ cmd: "MONITOR", payload: { method: "GET", url: "/api/health", period_ms: 10 } });
      const d = await c.next((e) => e.type === "data");
      assert.equal(d.status, 404);
      assert.deepEqual(d.result, { error: "not_found", path: "/api/health" });
    });
    it("MONITOR timing (manual §3.2): the first sample comes with the ack, not a period later", async () => {
      c.send({ cmd: "MONITOR", payload: { method: "GET", url: JOINTS, period_ms: 30000 } });
      await c.next((e) => e.type === "monitor_ack");
      await c.next((e) => e.type === "data");
    });
    it("MONITOR timing: deadlines stay on the period's grid however late the timer fires, and a controller far behind resumes from now instead of bursting", () => {
      let due = 0;
      const late = [0.9, 1.7, 0.2, 1.1, 0.6];
      for (let k = 1; k <= 500; k++) due = nextDeadline(due, 2, due + late[k % late.length]);
      assert.equal(due, 1000, "500 periods of 2 ms end at 1000 ms");
      assert.equal(nextDeadline(100, 2, 110), 110, "more than a period behind: from now");
    });
    it("period_ms out of 2..30000 is clamped, not rejected", async () => {
      c.send({ cmd: "MONITOR", payload: { method: "GET", url: JOINTS, period_ms: 0 } });
      await c.next((e) => e.type === "monitor_ack");
      const start = c.events.length;
      await until(() => c.events.length - start >= 5, "the stream");
      assert.ok(c.events.slice(start).every((e) => e.type === "data"), "samples, and no error");
    });
    it("a newer MONITOR replaces the older one", async () => {
      c.send({ cmd: "MONITOR", payload: { method: "GET", url: JOINTS, period_ms: 5 } });
      await c.next((e) => e.type === "data");
      c.send({ cmd: "MONITOR", payload: { method: "GET", url: "/project/rgen", period_ms: 5 } });
      const acks = () => c.events.filter((e) => e.type === "monitor_ack").length;
      await until(() => acks() === 2, "second ack");
      const from = c.events.length;
      await until(() => c.events.slice(from).filter((e) => e.type === "data").length >= 5, "five samples after the second ack");
      const later = c.events.slice(from).filter((e) => e.type === "data");
      assert.ok(later.every((e) => e.result && e.result.is_playback === true), "only the newer monitor streams");
    });
    it("echoes an id sent with MONITOR, for clients that send one", async () => {
      c.send({ cmd: "MONITOR", payload: { method: "GET", url: JOINTS, period_ms: 10, id: 7 } });
      assert.equal((await c.next((e) => e.type === "data")).id, 7);
    });
    for (const [payload, code] of [
      [{ method: "GET", period_ms: 10 }, "missing_url"],
      [{ method: "GET", url: "x", period_ms: 10 }, "invalid_url"],
      [{ method: "GET", url: "/" + "a".repeat(2048), period_ms: 10 }, "url_too_long"],
      [{ url: JOINTS, period_ms: 10 }, "missing_method"],
      [{ method: "POST", url: JOINTS, period_ms: 10 }, "invalid_method"],
      [{ method: "GET", url: JOINTS }, "missing_period_ms"],
      [{ method: "GET", url: JOINTS, period_ms: 1.5 }, "invalid_period"],
      [{ method: "GET", url: JOINTS, period_ms: 10, args: 1 }, "invalid_args"],
    ]) {
      it(`${code}: MONITOR payload rule`, async () => {
        c.send({ cmd: "MONITOR", payload });
        await c.next(errorCode(code), code);
      });
    }
  });

  describe("CONTROL", () => {
    beforeEach(() => c.handshake());

    it("sends nothing on success", async () => {
      c.send({ cmd: "CONTROL", payload: { method: "POST", url: INIT, body: {} } });
      c.send({ cmd: "STOP", payload: { target: "control" } });
      await c.next((e) => e.type === "stop_ack");
      assert.equal(c.events.length, 2, "only the handshake and stop acks");
    });
    it("a failing REST call answers control_err with status and body", async () => {
      c.send({ cmd: "CONTROL", payload: { method: "POST", url: "/nope" } });
      const e = await c.next((x) => x.type === "control_err");
      assert.equal(e.status, 404);
      c.send({ cmd: "CONTROL", payload: { method: "DELETE", url: JOINTS } });
      assert.equal((await c.next((x) => x.type === "control_err" && x.status !== 404)).status, 405);
    });
    for (const [payload, code] of [
      [{ method: "POST" }, "missing_url"],
      [{ method: "POST", url: "/a b" }, "invalid_url"],
      [{ url: "/a" }, "missing_method"],
      [{ method: "GET", url: "/a" }, "invalid_method"],
      [{ method: "POST", url: "/a", args: [] }, "invalid_args"],
      [{ method: "POST", url: "/a", body: 1 }, "invalid_body"],
    ]) {
      it(`${code}: CONTROL payload rule`, async () => {
        c.send({ cmd: "CONTROL", payload });
        await c.next(errorCode(code), code);
      });
    }
  });

  describe("STOP", () => {
    beforeEach(() => c.handshake());

    it("stop_ack echoes the target and the monitor stops streaming", async () => {
      c.send({ cmd: "MONITOR", payload: { method: "GET", url: JOINTS, period_ms: 5 } });
      await c.next((e) => e.type === "data");
      c.send({ cmd: "STOP", payload: { target: "monitor" } });
      assert.deepEqual(await c.next((e) => e.type === "stop_ack"), { type: "stop_ack", target: "monitor" });
      const n = c.events.length;
      // Eight periods with nothing: the stream ended with the ack.
      await holdsFor(() => c.events.length === n, "no sample after the ack", 40);
    });
    it("nothing_to_stop when no monitor or control is active", async () => {
      c.send({ cmd: "STOP", payload: { target: "monitor" } });
      c.send({ cmd: "STOP", payload: { target: "control" } });
      await until(() => c.events.filter(errorCode("nothing_to_stop")).length === 2, "two nothing_to_stop");
    });
    it("STOP session acks and then closes the connection", async () => {
      c.send({ cmd: "STOP", payload: { target: "session" } });
      await c.next((e) => e.type === "stop_ack" && e.target === "session");
      await until(() => c.closed, "server closes");
    });
    it("after STOP session's ack the session takes no more recipes", async () => {
      c.send({ cmd: "STOP", payload: { target: "session" } });
      c.send({ cmd: "MONITOR", payload: { method: "GET", url: JOINTS, period_ms: 5 } });
      c.send({ cmd: "STOP", payload: { target: "monitor" } });
      await until(() => c.closed, "server closes");
      assert.deepEqual(c.events.slice(1), [{ type: "stop_ack", target: "session" }]);
    });
    it("a CONTROL that failed leaves nothing for STOP control, and does not make the session busy", async () => {
      c.send({ cmd: "CONTROL", payload: { method: "POST", url: "/no/such/path", body: {} } });
      await c.next((e) => e.type === "control_err");
      const before = c.events.length;
      c.send({ cmd: "HANDSHAKE", payload: { major: 1 } });
      await c.next((e) => e.type === "handshake_ack", "handshake_ack, not busy_session_active", before);
      assert.equal(c.events.slice(before).some(errorCode("busy_session_active")), false);
      c.send({ cmd: "STOP", payload: { target: "control" } });
      await c.next(errorCode("nothing_to_stop"));
      c.send({ cmd: "CONTROL", payload: { method: "POST", url: "/project/robot/trajectory/joint_traject_init", body: {} } });
      c.send({ cmd: "STOP", payload: { target: "control" } });
      await c.next((e) => e.type === "stop_ack" && e.target === "control");
    });
    it("missing_target and invalid_target", async () => {
      c.send({ cmd: "STOP", payload: {} });
      c.send({ cmd: "STOP", payload: { target: "all" } });
      await until(() => c.events.length === 3, "two errors");
      assert.deepEqual(c.events.slice(1).map((e) => e.error), ["missing_target", "invalid_target"]);
    });
  });

  describe("watchdog", () => {
    it("closes an idle session with session_timeout", async () => {
      await sim.close();
      sim = await startSimulator({ port: 0, restPort: 0, idleTimeoutMs: 100 });
      c.close();
      c = await RawClient.connect(sim.port);
      await c.handshake();
      await c.next(errorCode("session_timeout"));
      await until(() => c.closed, "closed");
    });
    it("closes a session whose MONITOR delivery is stalled", async () => {
      await sim.close();
      sim = await startSimulator({ port: 0, restPort: 0, stallTimeoutMs: 200 });
      c.close();
      c = await RawClient.connect(sim.port);
      await c.handshake();
      c.send({ cmd: "MONITOR", payload: { method: "GET", url: "/project/robot/joints/joint_states", period_ms: 2, args: {} } });
      await c.next((e) => e.type === "data");
      c.socket.pause();
      // Kernel buffers hide a slow reader for megabytes; a backlog makes the stall visible at once.
      sim.sendRaw("x".repeat(16 * 1024 * 1024) + "\n");
      await until(() => sim.connectionCount() === 0, "server closes the stalled session", 10000);
    });
    it("an armed MONITOR keeps a session alive past the idle timeout", async () => {
      await sim.close();
      sim = await startSimulator({ port: 0, restPort: 0, idleTimeoutMs: 100 });
      c.close();
      c = await RawClient.connect(sim.port);
      await c.handshake();
      c.send({ cmd: "MONITOR", payload: { method: "GET", url: JOINTS, period_ms: 20 } });
      // Fifteen samples at 20 ms span three idle timeouts on the sim's own clock.
      await until(() => c.events.filter((e) => e.type === "data").length >= 15 || c.closed, "fifteen samples");
      assert.equal(c.closed, false);
    });
  });

  describe("faults", () => {
    it("dropAfterMs closes each connection after its handshake", async () => {
      sim.setFaults({ dropAfterMs: 50 });
      await c.handshake();
      await until(() => c.closed, "dropped");
    });
    it("ignoreHandshake never answers", async () => {
      sim.setFaults({ ignoreHandshake: true });
      c.send({ cmd: "HANDSHAKE", payload: { major: 1 } });
      await holdsFor(() => c.events.length === 0, "no answer to HANDSHAKE", 100);
    });
    it("delayMs holds lines back", async () => {
      sim.setFaults({ delayMs: 80 });
      const sentAt = performance.now();
      c.send({ cmd: "HANDSHAKE", payload: { major: 1 } });
      await c.next((e) => e.type === "handshake_ack");
      // A lower bound only: a busy machine can make the answer later, never earlier.
      assert.ok(performance.now() - sentAt >= 79, `answered after ${(performance.now() - sentAt).toFixed(1)} ms`);
    });
    it("freeze sends nothing while the socket stays open", async () => {
      sim.freeze(true);
      c.send({ cmd: "HANDSHAKE", payload: { major: 1 } });
      await holdsFor(() => c.events.length === 0 && !c.closed, "nothing sent, socket open", 80);
    });
    it("pause suspends the controller: a line sent meanwhile is read only after resume, and the robot does not move", async () => {
      await c.handshake();
      sim.pause(true);
      const executed = sim.robot.executedPoints;
      c.send({ cmd: "STOP", payload: { target: "monitor" } });
      await new Promise((r) => setImmediate(r));
      assert.equal(sim.received.length, 1, "the paused controller read nothing");
      assert.equal(sim.robot.executedPoints, executed);
      sim.pause(false);
      await c.next(errorCode("nothing_to_stop"));
      assert.equal(sim.received.length, 2);
    });
    it("floodLines sends that many data lines per MONITOR tick, and can be turned on and off while a MONITOR runs", async () => {
      const linesPerTick = (from) => {
        const perTick = new Map();
        for (const e of c.events.slice(from)) if (e.type === "data") perTick.set(e.ts, (perTick.get(e.ts) || 0) + 1);
        // A tick sent before the change may still be in flight, and the newest may be only partly read.
        return [...perTick.values()].slice(1, -1);
      };
      await c.handshake();
      c.send({ cmd: "MONITOR", payload: { method: "GET", url: JOINTS, period_ms: 20 } });
      await c.next((e) => e.type === "monitor_ack");
      sim.setFaults({ floodLines: 40 });
      const flooded = c.events.length;
      await until(() => linesPerTick(flooded).length >= 2, "two flooded ticks");
      assert.deepEqual(linesPerTick(flooded).slice(0, 2), [40, 40]);
      sim.setFaults({});
      const calm = c.events.length;
      await until(() => linesPerTick(calm).slice(-2).join() === "1,1", "one line per tick again");
    });
    it("received keeps every recipe line in order", async () => {
      await c.handshake();
      c.send({ cmd: "STOP", payload: { target: "monitor" } });
      await c.next(errorCode("nothing_to_stop"));
      assert.deepEqual(sim.received, ['{"cmd":"HANDSHAKE","payload":{"major":1}}', '{"cmd":"STOP","payload":{"target":"monitor"}}']);
    });
  });

  describe("strict where the manual is explicit", () => {
    it("invalid_major_type: HANDSHAKE major written as 1.0 is not an integer (manual §3.1: int)", async () => {
      c.send('{"cmd":"HANDSHAKE","payload":{"major":1.0}}');
      await c.next(errorCode("invalid_major_type"));
      assert.equal(c.events.some((e) => e.type === "handshake_ack"), false);
    });
    it("invalid_period: MONITOR period_ms written as 10.0 or 1e1 is not an integer (manual §3.2: int)", async () => {
      await c.handshake();
      c.send(`{"cmd":"MONITOR","payload":{"method":"GET","url":"${JOINTS}","period_ms":10.0}}`);
      await c.next(errorCode("invalid_period"));
      c.send(`{"cmd":"MONITOR","payload":{"method":"GET","url":"${JOINTS}","period_ms":1e1}}`);
      await until(() => c.events.filter(errorCode("invalid_period")).length === 2, "both refused");
      assert.equal(c.events.some((e) => e.type === "monitor_ack"), false);
    });
    it("only the field's own literal counts: a 1.5 elsewhere in the line is no reason to refuse", () => {
      assert.equal(writtenAsInteger('{"cmd":"MONITOR","payload":{"url":"/a","period_ms":10,"args":{"x":1.5}}}', "period_ms"), true);
      assert.equal(writtenAsInteger('{"payload":{"major": 2.50}}', "major"), false);
      assert.equal(writtenAsInteger('{"payload":{"major": -0}}', "major"), true);
    });
    it("invalid_ndjson: a line whose bytes are not valid UTF-8 (manual §2.1: UTF-8 text)", async () => {
      await c.handshake();
      c.socket.write(Buffer.concat([Buffer.from('{"cmd":"STOP","payload":{"target":"mon'), Buffer.from([0xff]), Buffer.from('itor"}}\n')]));
      await c.next(errorCode("invalid_ndjson"));
    });
  });

  describe("readings of the manual's open points", () => {
    it("controlErrors control_err: a CONTROL that breaks a payload rule is answered as control_err {status 400, body naming the code}", async () => {
      sim.setReadings({ controlErrors: "control_err" });
      await c.handshake();
      c.send({ cmd: "CONTROL", payload: { method: "GET", url: "/x" } });
      const e = await c.next((x) => x.type === "control_err");
      assert.deepEqual([e.status, e.body.error], [400, "invalid_method"]);
    });
    it("controlErrors common (default): the same CONTROL is answered with the common error line", async () => {
      await c.handshake();
      c.send({ cmd: "CONTROL", payload: { method: "GET", url: "/x" } });
      await c.next(errorCode("invalid_method"));
    });
    it("armedWatchdog client_inactivity: with a MONITOR armed, no command for the stall timeout closes the session", async () => {
      await sim.close();
      sim = await startSimulator({ port: 0, restPort: 0, stallTimeoutMs: 150, readings: { armedWatchdog: "client_inactivity" } });
      c = await RawClient.connect(sim.port);
      await c.handshake();
      c.send({ cmd: "MONITOR", payload: { method: "GET", url: JOINTS, period_ms: 10 } });
      await c.next(errorCode("session_timeout"));
      await until(() => c.closed, "closed");
      assert.ok(c.events.filter((e) => e.type === "data").length > 3, "data flowed until then");
    });
    it("rxOverflow close: after rx_buf_overflow the controller closes the connection", async () => {
      await sim.close();
      sim = await startSimulator({ port: 0, restPort: 0, maxLineBytes: 1024, readings: { rxOverflow: "close" } });
      c = await RawClient.connect(sim.port);
      await c.handshake();
      c.socket.write("x".repeat(4096));
      await c.next(errorCode("rx_buf_overflow"));
      await until(() => c.closed, "closed");
    });
    it("rxOverflow drop_line (default): the line is dropped and the session goes on", async () => {
      await sim.close();
      sim = await startSimulator({ port: 0, restPort: 0, maxLineBytes: 1024 });
      c = await RawClient.connect(sim.port);
      await c.handshake();
      c.socket.write("x".repeat(4096) + "\n");
      await c.next(errorCode("rx_buf_overflow"));
      c.send({ cmd: "STOP", payload: { target: "monitor" } });
      await c.next(errorCode("nothing_to_stop"));
      assert.equal(c.closed, false);
    });
  });

  describe("Open API over HTTP and the virtual robot", () => {
    it("serves joint_states, buffer space and playback state", async () => {
      assert.deepEqual((await get(sim.restPort, JOINTS)).body.position, [0, 90, 0, 0, -90, 0]);
      assert.deepEqual((await get(sim.restPort, `${JOINTS}?jno_start=5&jno_n=2`)).body.position, [-90, 0]);
      assert.equal(typeof (await get(sim.restPort, "/project/robot/trajectory/joint_traject_buf_avail")).body.val, "number");
      assert.deepEqual((await get(sim.restPort, "/project/rgen")).body, { _type: "JObject", is_playback: true });
      assert.equal((await get(sim.restPort, "/nope")).status, 404);
    });
    it("the robot follows inserted trajectory points in time", async () => {
      await c.handshake();
      c.send({ cmd: "CONTROL", payload: { method: "POST", url: INIT, body: {} } });
      // 0.2 deg per 2 ms (100 deg/s), then held: under the speed limit, and at rest when the buffer runs out.
      for (let i = 0; i <= 30; i++) {
        const q = Math.min(i, 20) * 0.2;
        c.send({ cmd: "CONTROL", payload: { method: "POST", url: INSERT, body: { interval: 0.002, time_from_start: i * 0.002, look_ahead_time: 0, point: [q, 90, 0, 0, -90, 0] } } });
      }
      await until(async () => Math.abs((await get(sim.restPort, JOINTS)).body.position[0] - 4) < 1e-6, "the robot settles on the last point");
      assert.equal(sim.robot.alarm, undefined);
    });
    it("insert_point rejects a point of the wrong length with 400", async () => {
      const r = await post(sim.restPort, INSERT, { interval: 0.002, time_from_start: 0, look_ahead_time: 0, point: [1, 2] });
      assert.equal(r.status, 400);
    });
    it("insert_points takes joint_names and points keyed point_n, in radians", async () => {
      const deg = Math.PI / 180;
      const at = (q) => [q * deg, 90 * deg, 0, 0, -90 * deg, 0];
      const ok = await post(sim.restPort, INSERT_POINTS, { joint_names: NAMES, points: { point_1: { positions: at(0), time_from_start: 0 }, point_2: { positions: at(0.05), time_from_start: 0.002 }, point_3: { positions: at(0.05), time_from_start: 0.004 } } });
      assert.deepEqual(ok, { status: 200, body: { _type: "JObject" } });
      await until(async () => Math.abs((await get(sim.restPort, JOINTS)).body.position[0] - 0.05) < 1e-6, "moved to 0.05 deg");
    });
  });
});
