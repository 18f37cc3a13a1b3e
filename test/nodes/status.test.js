"use strict";
// What a person sees of each node: its status (short, in the editor's language, red while the
// node is broken), the session's failure named by its cause with one sentence in the log, and
// errors as one line with their code. Run against the virtual controller and scripted servers.
const assert = require("node:assert/strict");
const net = require("node:net");
const { ERROR_CATALOGUE } = require("../../nodes/protocol/errors");
const { statusText, parseStatusText, duration, count } = require("../../nodes/nodes/status");
const { helper, nodeRed, allNodes, sessionDef, waitFor, statuses, lastStatus, rawStatuses, calls, loadCatalogues, startRig, stopRig, trajectoryDef: baseTrajectoryDef } = require("./support");
const { ScriptServer } = require("../support/script-server");

const JOINTS = "/project/robot/joints/joint_states";
const HOME = [0, 90, 0, 0, -90, 0];
const MAX_STATUS = 20;

/** The largest value each status parameter takes in use, formatted as the nodes format it. */
const REALISTIC = {
  version: "10.0.0",
  seconds: 30,
  client: 1,
  server: "10.0.0",
  field: "restPort",
  hz: 500,
  skipped: count(500),
  dropped: count(250000),
  target: "session",
  total: count(1000000),
  pct: 100,
  // The most a 2048-point buffer holds at the longest dt the editor allows, ms.
  low: duration(2048 * 1000 * 1000),
  p99: duration(999000),
  reason: "controller_silent",
  code: "max_speed_exceeded",
};

/** i18next's `__name__` interpolation over a catalogue text. */
function fill(text, params) {
  return text.replace(/__([a-zA-Z0-9_]+)__/g, (m, name) => (params[name] !== undefined ? String(params[name]) : m));
}

describe("status texts", () => {
  for (const lang of ["en-US", "ko"]) {
    it(`every status in ${lang} fits ${MAX_STATUS} characters at realistic large values`, () => {
      const catalogue = loadCatalogues(lang);
      let checked = 0;
      for (const [type, entries] of Object.entries(catalogue)) {
        for (const [name, text] of Object.entries(entries.status || {})) {
          for (const param of text.match(/__[a-zA-Z0-9_]+__/g) || []) {
            assert.ok(REALISTIC[param.slice(2, -2)] !== undefined, `${type}.status.${name}: no realistic value for ${param}`);
          }
          const shown = fill(text, REALISTIC);
          assert.ok([...shown].length <= MAX_STATUS, `${type}.status.${name} is ${[...shown].length} characters: "${shown}"`);
          checked++;
        }
      }
      assert.ok(checked >= 35, `${checked} statuses checked`);
    });
  }

  it("a status that names a code shows the code alone, whatever its length", () => {
    const longest = [...ERROR_CATALOGUE.keys()].sort((a, b) => b.length - a.length)[0];
    for (const type of ["hi6-monitor", "hi6-control", "hi6-stop", "hi6-trajectory"]) {
      for (const lang of ["en-US", "ko"]) assert.equal(fill(loadCatalogues(lang)[type].status.error, { code: longest }), longest);
    }
  });

  it("en-US and ko have the same status keys", () => {
    const en = loadCatalogues("en-US");
    const ko = loadCatalogues("ko");
    for (const type of Object.keys(en)) assert.deepEqual(Object.keys(ko[type].status).sort(), Object.keys(en[type].status).sort(), type);
  });

  it("the key form: a bare key without parameters, <key>?<name>=<value>&... with URI-encoded values, and back", () => {
    assert.equal(statusText("hi6-monitor.status.armed"), "hi6-monitor.status.armed");
    assert.equal(statusText("hi6-session.status.ready", { version: "1.0.0" }), "hi6-session.status.ready?version=1.0.0");
    const params = { a: "x & y = z?", b: 42, c: "µs ≠ 준비됨" };
    const text = statusText("hi6-x.status.y", params);
    assert.equal(text.split("?").length, 2, text);
    assert.deepEqual(parseStatusText(text), { key: "hi6-x.status.y", params: { a: "x & y = z?", b: "42", c: "µs ≠ 준비됨" } });
  });

  it("durations a person reads: µs below 1 ms, ms from 1000 µs, s from 1000 ms", () => {
    assert.deepEqual([250, 999, 1000, 4500, 45000, 999000, 1500000, 45000000].map(duration), ["250 µs", "999 µs", "1.0 ms", "4.5 ms", "45 ms", "999 ms", "1.5 s", "45 s"]);
  });

  it("counts in at most four characters", () => {
    assert.deepEqual([7, 999, 1000, 1234, 12345, 250000, 1234567].map(count), ["7", "999", "1.0k", "1.2k", "12k", "250k", "1.2M"]);
  });
});

describe("nodes: what the user sees of failures", function () {
  this.timeout(30000);
  let sim;

  beforeEach(async () => {
    sim = await startRig();
  });
  afterEach(async () => {
    await stopRig(sim);
  });

  function monitorDef(extra = {}) {
    return { id: "m1", type: "hi6-monitor", session: "s1", url: JOINTS, period: 10, args: "{}", autoStart: false, output: "all", interval: 100, wires: [["out"]], ...extra };
  }
  function controlDef(extra = {}) {
    return { id: "k1", type: "hi6-control", session: "s1", method: "POST", url: "/project/robot/trajectory/joint_traject_init", args: "{}", body: "{}", wires: [["out"]], ...extra };
  }
  function trajectoryDef(extra = {}) {
    return baseTrajectoryDef({ maxSpeed: 0, startTolerance: 0, wires: [["out"], []], ...extra });
  }
  function stopDef(extra = {}) {
    return { id: "x1", type: "hi6-stop", session: "s1", target: "monitor", wires: [["out"]], ...extra };
  }

  async function load(nodes, session = {}, withCatch = true) {
    const flow = [sessionDef(sim, session), ...nodes, { id: "out", type: "helper" }, { id: "caught", type: "helper" }];
    if (withCatch) flow.push({ id: "c1", type: "catch", scope: null, uncaught: false, wires: [["caught"]] });
    await helper.load(allNodes, flow);
    const got = { out: [], caught: [] };
    helper.getNode("out").on("input", (m) => got.out.push(m));
    helper.getNode("caught").on("input", (m) => got.caught.push(m));
    return got;
  }

  const sessionState = () => (helper.getNode("s1").state || {}).state;
  const warnings = () => calls("warn", helper.getNode("s1")).map((c) => String(c.args[0]));
  const redRetries = (node, re) => statuses(node).filter((s) => s.fill === "red" && re.test(s.text || "")).length;

  async function closedPort() {
    return new Promise((resolve) => {
      const probe = net.createServer().listen(0, "127.0.0.1", () => {
        const { port } = probe.address();
        probe.close(() => resolve(port));
      });
    });
  }

  /** The session's status on a node and its warnings, once it has failed and retried at least twice. */
  async function failureSeen(session, shortForm, attempts = 3) {
    await load([monitorDef()], session);
    const m = helper.getNode("m1");
    // Each retry passes through connecting, so each failed attempt writes its red status anew.
    await waitFor(() => redRetries(m, shortForm) >= attempts, `${attempts} failed attempts showing ${shortForm}`, 25000);
    return { m, warned: warnings() };
  }

  describe("the session's status names the cause, and the log says it once", () => {
    it("refused: a port nobody listens on shows \"refused · retry N s\" and warns once with the address", async () => {
      const port = await closedPort();
      const { warned } = await failureSeen({ port }, /^refused · retry \d+ s$/);
      assert.equal(warned.length, 1, warned.join("\n"));
      assert.equal(warned[0], `Cannot connect to 127.0.0.1:${port}: connection refused. Is the controller on, and Open Stream enabled on that port? Retrying every 0.5–15 s.`);
    });

    it("name not resolved: a .invalid host shows \"no host · retry N s\" and warns once naming the host", async () => {
      const { warned } = await failureSeen({ host: "hi6-controller.invalid", port: 49000 }, /^no host · retry \d+ s$/);
      assert.equal(warned.length, 1, warned.join("\n"));
      assert.equal(warned[0], "Cannot connect to hi6-controller.invalid:49000: the host name does not resolve. Check the session's host. Retrying every 0.5–15 s.");
    });

    it("timed out: a listening socket that never answers HANDSHAKE shows \"timeout · retry N s\" and warns once", async () => {
      const server = await ScriptServer.start(() => true);
      try {
        const { warned } = await failureSeen({ port: server.port }, /^timeout · retry \d+ s$/, 2);
        assert.equal(warned.length, 1, warned.join("\n"));
        assert.equal(warned[0], `Connected to 127.0.0.1:${server.port}, but it did not answer HANDSHAKE in time. Is this the Open Stream port of a Hi6 controller? Retrying every 0.5–15 s.`);
        assert.ok(server.sent("HANDSHAKE").length >= 2);
      } finally {
        await helper.unload();
        await server.close();
      }
    });

    it("handshake rejected: a server that answers HANDSHAKE with handshake_rejected shows \"denied · retry N s\" and warns once with its message", async () => {
      const server = await ScriptServer.start((recipe, reply) => {
        reply({ error: "handshake_rejected", message: "the session is closing" });
        return true;
      });
      try {
        const { warned } = await failureSeen({ port: server.port }, /^denied · retry \d+ s$/);
        assert.equal(warned.length, 1, warned.join("\n"));
        assert.equal(warned[0], `127.0.0.1:${server.port} rejected HANDSHAKE: the session is closing (handshake_rejected). Retrying every 0.5–15 s.`);
      } finally {
        await helper.unload();
        await server.close();
      }
    });

    it("version_mismatch: the red dot names both versions, and one warning says what to set", async () => {
      const server = await ScriptServer.start((recipe, reply) => {
        reply({ type: "handshake_ack", ok: true, version: "2.0.0" });
        return true;
      });
      try {
        await load([monitorDef()], { port: server.port });
        const m = helper.getNode("m1");
        await waitFor(() => sessionState() === "failed", "failed");
        assert.deepEqual([lastStatus(m).fill, lastStatus(m).shape, lastStatus(m).text], ["red", "dot", "v1 ≠ server v2.0.0"]);
        const warned = warnings();
        assert.equal(warned.length, 1, warned.join("\n"));
        assert.match(warned[0], new RegExp(`^127\\.0\\.0\\.1:${server.port} speaks another protocol MAJOR \\(server 2\\.0\\.0, session 1\\): .+ \\(version_mismatch\\)\\. Set the session's major to the controller's\\. Retrying every 60 s\\.$`));
      } finally {
        await helper.unload();
        await server.close();
      }
    });

    it("a new cause after the session was ready warns again: a drop, then refused while the controller is gone", async () => {
      await load([monitorDef()]);
      const m = helper.getNode("m1");
      await waitFor(() => sessionState() === "ready", "ready");
      assert.deepEqual(warnings(), []);
      const port = sim.port;
      await sim.close();
      await waitFor(() => redRetries(m, /^refused · retry \d+ s$/) >= 2, "refused after the drop");
      const warned = warnings();
      assert.ok(warned.length >= 1 && warned.length <= 2, warned.join("\n"));
      assert.equal(warned.filter((w) => w.includes("connection refused")).length, 1, warned.join("\n"));
      assert.ok(warned.every((w) => w.includes(`127.0.0.1:${port}`)), warned.join("\n"));
      // The rig closes the controller again after the test.
      sim.close = async () => undefined;
    });

    it("the status reaches the editor as a key: the session's on every node, with its parameters", async () => {
      await load([monitorDef()]);
      const m = helper.getNode("m1");
      await waitFor(() => sessionState() === "ready", "ready");
      const raw = rawStatuses(m).map((s) => s.text);
      assert.ok(raw.includes(`hi6-session.status.ready?version=1.0.0`), raw.join(", "));
      assert.ok(raw.every((t) => /^(node-red:common\.status\.[a-z-]+|hi6-[a-z]+\.status\.[A-Za-z]+(\?.+)?)$/.test(t)), raw.join(", "));
    });
  });

  /** Drops the link and waits until the session is ready again, so its green status was shown on every node. */
  async function reconnect() {
    const handshakes = () => sim.received.filter((l) => l.includes('"cmd":"HANDSHAKE"')).length;
    const before = handshakes();
    sim.dropConnections();
    await waitFor(() => handshakes() > before && sessionState() === "ready", "the session ready again");
  }

  function red(node, code) {
    const s = lastStatus(node) || {};
    assert.deepEqual([s.fill, s.shape, s.text], ["red", "ring", code]);
  }

  describe("a broken node turns red, naming the code, until a later input succeeds", () => {
    it("hi6-monitor: invalid_args in its configuration stays red over the session's ready state", async () => {
      await load([monitorDef({ args: "[1, 2]", autoStart: true })]);
      const m = helper.getNode("m1");
      await waitFor(() => sessionState() === "ready", "ready");
      red(m, "invalid_args");
      await reconnect();
      red(m, "invalid_args");
    });

    it("hi6-monitor: a rejected input (invalid_url) is red until a good input arms it", async () => {
      const got = await load([monitorDef()]);
      const m = helper.getNode("m1");
      await waitFor(() => sessionState() === "ready", "ready");
      m.receive({ url: "no slash" });
      await waitFor(() => got.caught.length === 1, "caught");
      red(m, "invalid_url");
      await reconnect();
      red(m, "invalid_url");
      m.receive({});
      await waitFor(() => (lastStatus(m) || {}).fill === "green", "armed");
    });

    it("hi6-control: a bad url is red (invalid_url) until a good msg is sent", async () => {
      const got = await load([controlDef()]);
      const k = helper.getNode("k1");
      await waitFor(() => sessionState() === "ready", "ready");
      k.receive({ url: "/bad url" });
      await waitFor(() => got.caught.length === 1, "caught");
      red(k, "invalid_url");
      await reconnect();
      red(k, "invalid_url");
      k.receive({});
      await waitFor(() => (lastStatus(k) || {}).text === "sent", "sent");
    });

    it("hi6-control: a body that is not JSON in its configuration is red (invalid_body) until a msg brings its own", async () => {
      await load([controlDef({ body: "{nope" })]);
      const k = helper.getNode("k1");
      await waitFor(() => sessionState() === "ready", "ready");
      red(k, "invalid_body");
      k.receive({ payload: { ok: true } });
      await waitFor(() => (lastStatus(k) || {}).text === "sent", "sent");
    });

    it("hi6-trajectory: a refused input (joint_count_mismatch) is red until a run succeeds", async () => {
      const got = await load([trajectoryDef()]);
      const t = helper.getNode("t1");
      await waitFor(() => sessionState() === "ready", "ready");
      t.receive({ payload: [[0, 90, 0]] });
      await waitFor(() => got.caught.length === 1, "caught");
      red(t, "joint_count_mismatch");
      await reconnect();
      red(t, "joint_count_mismatch");
      t.receive({ payload: [HOME, HOME] });
      await waitFor(() => got.out.length === 1, "the run's result");
      assert.equal(lastStatus(t).fill, "green");
    });

    it("hi6-stop: invalid_target is red until a STOP is acked", async () => {
      const got = await load([stopDef()]);
      const x = helper.getNode("x1");
      await waitFor(() => sessionState() === "ready", "ready");
      x.receive({ target: "everything" });
      await waitFor(() => got.caught.length === 1, "caught");
      red(x, "invalid_target");
      await reconnect();
      red(x, "invalid_target");
      x.receive({ target: "session" });
      await waitFor(() => got.out.length === 1, "acked");
      assert.notEqual(lastStatus(x).fill, "red");
    });
  });

  describe("errors read as one line, \"<sentence> (<code>)\", with the code for Catch nodes", () => {
    const util = require(nodeRed.resolve("@node-red/util")).util;

    it("a Catch node gets msg.error {message, code, source} with the line as message, and the contract's msg.error in msg._error", async () => {
      const got = await load([controlDef()]);
      const k = helper.getNode("k1");
      await waitFor(() => sessionState() === "ready", "ready");
      k.receive({ url: "/bad url", topic: "t" });
      await waitFor(() => got.caught.length === 1, "caught");
      const c = got.caught[0];
      assert.deepEqual(Object.keys(c.error).sort(), ["code", "message", "source"]);
      assert.equal(c.error.code, "invalid_url");
      assert.match(c.error.message, /^[^\n]+ \(invalid_url\)$/);
      assert.ok(!c.error.message.startsWith("Hi6Error"), c.error.message);
      assert.deepEqual(Object.keys(c._error).sort(), ["code", "message"]);
      assert.equal(c._error.code, "invalid_url");
      assert.equal(c.error.message, `${c._error.message} (invalid_url)`);
    });

    it("a control_err keeps status and body: msg.error.cause and msg._error", async () => {
      const got = await load([controlDef({ url: "/no/such/path" })]);
      const k = helper.getNode("k1");
      await waitFor(() => sessionState() === "ready", "ready");
      k.receive({ payload: {} });
      await waitFor(() => got.caught.length === 1, "caught");
      const c = got.caught[0];
      assert.deepEqual(Object.keys(c.error).sort(), ["cause", "code", "message", "source"]);
      assert.equal(c.error.message, "the CONTROL failed with HTTP 404: not_found (control_err)");
      assert.deepEqual(c.error.cause, { status: 404, body: { error: "not_found", path: "/no/such/path" } });
      assert.equal(c._error.status, 404);
    });

    it("without a Catch node, the log and the debug sidebar get the one line, not an Error object", async () => {
      await load([controlDef()], {}, false);
      const k = helper.getNode("k1");
      await waitFor(() => sessionState() === "ready", "ready");
      k.receive({ url: "/bad url" });
      await waitFor(() => calls("error", k).length === 1, "error logged");
      const logged = calls("error", k)[0].args[0];
      assert.ok(!(logged instanceof Error));
      assert.match(String(logged), /^[^\n]+ \(invalid_url\)$/);
      assert.equal(logged.code, "invalid_url");
      // What the debug sidebar receives: Node-RED's own encoding of a log entry.
      const sent = util.encodeObject({ msg: logged });
      assert.equal(sent.msg, String(logged));
      assert.doesNotMatch(sent.format, /error/i);
    });
  });
});
