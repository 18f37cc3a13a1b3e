"use strict";
// End to end: the demo launcher starts a real Node-RED runtime (not the test helper) with every
// example flow, against a virtual controller this test runs itself. The test clicks the examples'
// inject nodes through the admin API, reads the debug sidebar's messages over the editor's
// websocket, and checks what reached the wire.
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const WebSocket = require("ws");
const { startDemo } = require("../support/demo-process");
const { until } = require("../support/wait");

const ROOT = path.resolve(__dirname, "../..");
const INSERT = "joint_traject_insert_point";

/** What each example promises, by file: the injects to click and what its output nodes must receive. */
const EXPECTATIONS = {
  "01-monitor-joint-states.json": async (t) => {
    const msgs = await t.debug("a1c0000000000004", 2);
    assert.equal(msgs[0].position.length, 6, "six joint positions");
    t.click("a1c0000000000005");
    await until(() => t.sim.received.some((l) => l === '{"cmd":"STOP","payload":{"target":"monitor"}}'), "STOP monitor");
  },
  "02-control-with-overrides.json": async (t) => {
    t.click("b2c0000000000003");
    const [sent] = await t.debug("b2c0000000000006", 1);
    assert.ok(sent && typeof sent === "object");
    t.click("b2c0000000000004");
    await until(() => t.sim.received.some((l) => l.includes(INSERT) && l.includes('"point":[0,90,0,0,-90,0]') && l.includes('"time_from_start":-1')), "the overridden CONTROL on the wire");
  },
  "03-trajectory-sine.json": async (t) => {
    t.click("c3c0000000000003");
    const [progress] = await t.debug("c3c0000000000007", 1, 15000);
    assert.equal(progress.total, 5001);
    const [result] = await t.debug("c3c0000000000006", 1, 20000);
    assert.deepEqual([result.sent, result.total, result.aborted], [5001, 5001, false]);
    assert.ok(result.stats.late_p99_us >= 0 && result.stats.period_mean_ms > 0);
  },
  "04-trajectory-points.json": async (t) => {
    t.click("d4c0000000000003");
    const [points] = await t.debug("d4c0000000000007", 1, 10000);
    assert.deepEqual([points.sent, points.total, points.aborted], [500, 500, false]);
    t.click("d4c0000000000005");
    const [, waypoints] = await t.debug("d4c0000000000007", 2, 15000);
    assert.equal(waypoints.aborted, false);
    assert.equal(waypoints.sent, waypoints.total);
  },
  "05-stop-targets.json": async (t) => {
    t.click("e5c000000000000a");
    const [rgen] = await t.debug("e5c0000000000009", 1);
    assert.deepEqual(rgen, { is_playback: true });
    t.click("e5c0000000000004");
    const [ack] = await t.debug("e5c0000000000008", 1);
    assert.deepEqual(ack, { type: "stop_ack", target: "monitor" });
    t.click("e5c0000000000006");
    const [, sessionAck] = await t.debug("e5c0000000000008", 2);
    assert.deepEqual(sessionAck, { type: "stop_ack", target: "session" });
  },
  "07-dashboard-joint-chart.json": async (t) => {
    const [sample] = await t.debug("g7c0000000000006", 1);
    assert.equal(sample.position.length, 6);
    await until(async () => (await t.demo.get("/dashboard/joints")).status === 200, "the dashboard page is served");
  },
  "06-error-handling.json": async (t) => {
    t.click("f6c0000000000003");
    const [refused] = await t.debug("f6c0000000000007", 1);
    assert.equal(refused.code, "invalid_url");
    t.click("f6c0000000000004");
    let notFound;
    await until(() => (notFound = t.seen("f6c0000000000007").find((e) => e.code === "control_err")), "the 404 at the Catch node");
    assert.equal(notFound.cause.status, 404);
    const statuses = await t.debug("f6c0000000000009", 1);
    assert.ok(statuses[0].fill, "the Status node reports the control node's status");
  },
};

describe("e2e: every example flow in a real Node-RED runtime", function () {
  this.timeout(120000);
  let demo;
  let ws;
  const debugById = new Map();

  before(async () => {
    demo = await startDemo();
    ws = new WebSocket(`ws://127.0.0.1:${demo.port}/comms`);
    await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
    ws.send(JSON.stringify({ subscribe: "debug" }));
    ws.on("message", (raw) => {
      for (const { topic, data } of JSON.parse(raw.toString())) {
        if (topic !== "debug") continue;
        if (!debugById.has(data.id)) debugById.set(data.id, []);
        let value = data.msg;
        try {
          value = JSON.parse(data.msg);
        } catch {
          // Strings arrive as they are.
        }
        debugById.get(data.id).push(value);
      }
    });
  });

  after(async () => {
    if (ws) ws.close();
    if (demo) await demo.stop();
  });

  const harness = () => ({
    sim: demo.sim,
    demo,
    click: (id) => demo.post(`/inject/${id}`),
    seen: (id) => debugById.get(id) || [],
    debug: async (id, count, timeoutMs = 8000) => {
      await until(() => (debugById.get(id) || []).length >= count, `${count} msg(s) at debug node ${id}`, timeoutMs);
      return debugById.get(id);
    },
  });
  const files = fs.readdirSync(path.join(ROOT, "examples")).filter((f) => f.endsWith(".json")).sort();

  it("every example file has expectations, a comment node and a hi6-session on the default ports", () => {
    assert.deepEqual(files, Object.keys(EXPECTATIONS).sort());
    for (const f of files) {
      const nodes = JSON.parse(fs.readFileSync(path.join(ROOT, "examples", f), "utf8"));
      assert.ok(nodes.some((n) => n.type === "comment" && n.info), `${f} explains itself`);
      const sessions = nodes.filter((n) => n.type === "hi6-session");
      assert.ok(nodes.every((n) => !n.type.startsWith("ui-") || f.includes("dashboard")), `${f}: dashboard nodes only in the dashboard example`);
      assert.equal(sessions.length, 1, f);
      assert.deepEqual([sessions[0].host, sessions[0].port, sessions[0].restPort], ["127.0.0.1", 49000, 8888]);
    }
  });

  for (const file of Object.keys(EXPECTATIONS)) {
    it(`${file} delivers what it promises`, async () => EXPECTATIONS[file](harness()));
  }
});
