"use strict";
// Where a session's MONITOR data is parsed: in the worker that reads the socket (the default),
// or, with relay parse "main", on the main thread from the line's text, so the worker that
// paces trajectories spends nothing on it.
const assert = require("node:assert/strict");
const { startSimulator } = require("../../nodes/sim");
const { SessionProxy } = require("../../nodes/nodes/session/proxy");
const { validateMonitorPayload } = require("../../nodes/protocol/validate");
const { until } = require("../support/wait");

const JOINTS = "/project/robot/joints/joint_states";

describe("session: where MONITOR data is parsed", () => {
  let sim;
  const proxies = [];

  async function session(relay) {
    const proxy = new SessionProxy({ client: { host: "127.0.0.1", port: sim.port }, relay });
    proxies.push(proxy);
    await new Promise((resolve) => proxy.on("state", (s) => s.state === "ready" && resolve()));
    const data = [];
    const warnings = [];
    proxy.on("data", (d) => data.push(d));
    proxy.on("warning", (w) => warnings.push(w));
    await proxy.monitor(validateMonitorPayload({ method: "GET", url: JOINTS, period_ms: 5 }).value, "t");
    return { proxy, data, warnings };
  }

  beforeEach(async () => {
    sim = await startSimulator({ port: 0, restPort: 0 });
  });
  afterEach(async () => {
    for (const p of proxies.splice(0)) await p.close({ stopSession: false });
    await sim.close();
  });

  it('relay parse "main": data lines cross as text and reach the flow as the same typed events the worker would have made', async () => {
    const inWorker = await session({ parse: "worker" });
    const onMain = await session({ parse: "main" });
    await until(() => inWorker.data.length >= 5 && onMain.data.length >= 5, "data on both sessions");
    const shape = ({ event, receivedAt, deliveredAt, dropped }) => [Object.keys(event).sort(), event.type, event.result.position, typeof receivedAt, typeof deliveredAt, dropped];
    assert.deepEqual(shape(onMain.data[0]), shape(inWorker.data[0]));
    assert.ok(onMain.data.every((d) => d.deliveredAt >= d.receivedAt), "receivedAt is still the chunk's arrival in the worker");
  });

  it('relay parse "main": a line that begins as a data event but is not one is skipped with garbage_line, and the stream goes on', async () => {
    const onMain = await session({ parse: "main" });
    await until(() => onMain.data.length >= 1, "data");
    sim.sendRaw('{"type":"data",broken\n'.repeat(3));
    await until(() => onMain.warnings.some((w) => w.code === "garbage_line"), "the garbage warning");
    const after = onMain.data.length;
    await until(() => onMain.data.length >= after + 5, "data after the garbage");
    assert.equal(onMain.warnings.filter((w) => w.code === "garbage_line").length, 1, "one warning for the three lines, as the client throttles its own");
    assert.ok(onMain.data.every((d) => d.event.type === "data"));
  });

  it('relay batching "event": every sample still arrives, in order', async () => {
    const perEvent = await session({ batching: "event" });
    await until(() => perEvent.data.length >= 20, "data");
    const ts = perEvent.data.map((d) => d.event.ts);
    assert.deepEqual(ts, [...ts].sort((a, b) => a - b));
  });
});
