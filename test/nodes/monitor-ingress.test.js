"use strict";
// The bounded path from the socket to the flow, end to end: hi6-session and hi6-monitor in
// Node-RED against a virtual controller that floods (the floodLines fault). The controller
// runs in a process of its own, so it keeps sending while a test blocks this process's main
// thread the way a slow flow does. Rates and ages are compared with each other, never with
// wall-clock limits.
const assert = require("node:assert/strict");
const { SessionProxy } = require("../../nodes/nodes/session/proxy");
const { DATA_HOLD } = require("../../nodes/nodes/session/data-relay");
const { batchCap } = require("../../nodes/nodes/monitor-output");
const { helper, allNodes, sessionDef, waitFor, statuses, lastStatus, calls } = require("./support");
const { startSimProcess } = require("../support/sim-process");
const { count } = require("../../nodes/nodes/status");

const JOINTS = "/project/robot/joints/joint_states";
const DROPPED = /^\d+ Hz, dropped (\S+)$/;

function block(ms) {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

/** The drop count the status shows, as it shows it ("1.2k" above 999), or undefined. */
function droppedShown(node) {
  const m = DROPPED.exec((lastStatus(node) || {}).text || "");
  return m === null ? undefined : m[1];
}

describe("nodes: hi6-monitor's bounded ingress under a flood", function () {
  this.timeout(60000);
  let sim;
  // What reached the main thread, in order: every data event the session's proxy emitted.
  let seen;
  const emit = SessionProxy.prototype.emit;
  const route = SessionProxy.prototype.route;

  before(async () => {
    sim = await startSimProcess();
    SessionProxy.prototype.emit = function (name, payload) {
      if (name === "data") {
        seen.count += 1;
        seen.workerDropped += payload.dropped;
        seen.ts.push(payload.event.ts);
        seen.newestTs = Math.max(seen.newestTs, payload.event.ts);
        if (payload.event.result !== null && typeof payload.event.result === "object") seen.seqOf.set(payload.event.result, seen.count);
      }
      return emit.apply(this, arguments);
    };
    SessionProxy.prototype.route = function (batch) {
      seen.largestBatch = Math.max(seen.largestBatch, batch.items.length);
      return route.apply(this, arguments);
    };
  });
  after(async () => {
    SessionProxy.prototype.emit = emit;
    SessionProxy.prototype.route = route;
    await sim.close();
  });
  beforeEach(async () => {
    seen = { count: 0, workerDropped: 0, largestBatch: 0, newestTs: -Infinity, ts: [], seqOf: new WeakMap() };
    await sim.setFaults({});
    await new Promise((r) => helper.startServer(r));
  });
  afterEach(async () => {
    await helper.unload();
    await new Promise((r) => helper.stopServer(r));
    await sim.setFaults({});
  });

  function monitorDef(extra = {}) {
    return { id: "m1", type: "hi6-monitor", session: "s1", url: JOINTS, period: 2, args: "{}", autoStart: true, output: "all", interval: 100, wires: [["out"]], ...extra };
  }

  /** Loads the flow; `handle` is the next node's work per msg (a slow flow blocks in it). */
  async function load(nodes, handle = () => undefined) {
    await helper.load(allNodes, [sessionDef(sim), ...nodes, { id: "out", type: "helper" }]);
    const got = [];
    helper.getNode("out").on("input", (msg) => {
      handle(msg, got);
      got.push(msg);
    });
    return got;
  }

  /** Wraps the monitor's node.send to see each msg as it leaves the node. */
  function watchSends(node, onSend) {
    const send = node.send;
    node.send = function (msg) {
      onSend(msg);
      return send.apply(this, arguments);
    };
  }

  const warnings = (node) => calls("warn", node).map((c) => String(c.args[0]));

  /**
   * Floods, then blocks this thread long enough for the session to receive three times what it
   * may hold, at the rate the controller is managing on this machine right now.
   */
  async function floodAndBlock(floodLines) {
    await sim.setFaults({ floodLines });
    const before = seen.count;
    const t0 = performance.now();
    await waitFor(() => seen.count > before + 500, "the flood arriving");
    const perMs = (seen.count - before) / (performance.now() - t0);
    block(Math.min(10000, Math.max(800, (3 * DATA_HOLD) / perMs)));
  }

  it("all mode into a slow flow: at most `queue` msgs wait, Node-RED holds about one, the flow handles recent data, and the drops are shown and warned", async () => {
    const QUEUE = 20;
    let sent = 0;
    let mostWaiting = 0;
    let mostInFlight = 0;
    const handled = [];
    const got = await load([monitorDef({ queue: QUEUE })], (msg, all) => {
      mostInFlight = Math.max(mostInFlight, sent - all.length);
      handled.push({ ts: msg.ts, newestTs: seen.newestTs });
      block(5);
    });
    const m = helper.getNode("m1");
    watchSends(m, (msg) => {
      sent += 1;
      // The msg leaving now, and every sample that reached the node after it, were waiting together.
      mostWaiting = Math.max(mostWaiting, seen.count - seen.seqOf.get(msg.payload) + 1);
    });
    await waitFor(() => got.length >= 5, "data");
    await sim.setFaults({ floodLines: 20 });
    const floodFrom = handled.length;
    const started = Date.now();
    await waitFor(() => handled.length >= floodFrom + 200, "200 msgs handled under the flood", 40000);

    assert.ok(mostWaiting <= QUEUE, `${mostWaiting} samples waited in the monitor; the queue is ${QUEUE}`);
    assert.ok(mostInFlight <= 2, `${mostInFlight} msgs were sent and not yet handled`);
    assert.ok(seen.count > got.length * 5, `${seen.count} samples arrived, ${got.length} handled: a flood`);

    // Age in the controller's own clock: how far the handled sample is behind the newest one
    // that had reached Node-RED, against how much data the run has seen.
    const run = handled.slice(floodFrom);
    const span = run[run.length - 1].newestTs - run[0].ts;
    const late = run.slice(run.length / 2).map((h) => h.newestTs - h.ts);
    assert.ok(Math.max(...late) <= span / 4, `handled samples up to ${Math.max(...late)} ms behind the newest, over a run of ${span} ms`);

    await waitFor(() => droppedShown(m) !== undefined && warnings(m).some((w) => /samples dropped/.test(w)), "dropped in the status and a warning");
    const elapsed = Date.now() - started;
    const shown = statuses(m).filter((s) => DROPPED.test(s.text || ""));
    assert.ok(shown.every((s) => s.fill === "yellow"));
    const warned = warnings(m).filter((w) => /samples dropped/.test(w));
    assert.match(warned[0], /^\d+ samples dropped: the flow is slower than the stream \(queue 20\)/);
    assert.ok(warned.length <= 2 + Math.floor(elapsed / 5000), `${warned.length} warnings in ${elapsed} ms: at most one per 5 s`);
  });

  it("while Node-RED's main thread is blocked, the session holds at most 1024 samples, drops the oldest, and the monitor counts them as dropped", async () => {
    const got = await load([monitorDef({ queue: 100000 })]);
    const m = helper.getNode("m1");
    await waitFor(() => got.length >= 5, "data");
    await floodAndBlock(10);
    await waitFor(() => seen.largestBatch > DATA_HOLD / 2, "the samples the session held while the main thread was blocked");
    assert.ok(seen.largestBatch <= DATA_HOLD, `a batch of ${seen.largestBatch} samples`);
    await waitFor(() => seen.workerDropped > 0, "a batch reporting the session's drops");
    await sim.setFaults({});
    // The monitor's queue is far larger than the stall, so every loss it shows is the session's.
    await waitFor(() => droppedShown(m) === count(seen.workerDropped), `the status showing the session's ${seen.workerDropped} drops`, 10000);
    assert.ok(warnings(m).some((w) => /samples dropped/.test(w)));
  });

  it("batch mode under a flood: a batch holds at most its cap, keeps the newest samples in order, and the drops are shown", async () => {
    const cap = batchCap(10, 10);
    const batches = [];
    await load([monitorDef({ output: "batch", interval: 10, queue: 10 })]);
    const m = helper.getNode("m1");
    watchSends(m, (msg) => batches.push({ size: msg.payload.length, ts: msg.ts, newestIncluded: seen.seqOf.get(msg.payload[msg.payload.length - 1]) === seen.count }));
    await waitFor(() => batches.length >= 3, "batches");
    await sim.setFaults({ floodLines: 20 });
    const from = batches.length;
    await waitFor(() => batches.slice(from).filter((b) => b.size >= cap).length >= 5, "full batches", 20000);
    assert.ok(batches.every((b) => b.size <= cap), `batch sizes ${batches.map((b) => b.size)}; the cap is ${cap}`);
    assert.ok(batches.every((b) => b.ts.every((t, k) => k === 0 || t >= b.ts[k - 1])), "samples in arrival order");
    assert.ok(batches.every((b) => b.newestIncluded), "each batch ends with the newest sample");
    await waitFor(() => droppedShown(m) !== undefined && warnings(m).some((w) => /samples dropped/.test(w)), "dropped in the status and a warning");
  });

  it("latest mode under a flood and a blocked main thread: skipped samples are counted as skipped, never called dropped, and nothing is warned", async () => {
    const got = await load([monitorDef({ output: "latest", interval: 50 })]);
    const m = helper.getNode("m1");
    await waitFor(() => got.length >= 2, "data");
    await floodAndBlock(10);
    await waitFor(() => seen.workerDropped > 0, "the session dropping while blocked");
    await waitFor(() => statuses(m).some((s) => /skipped/.test(s.text || "")), "skipped in the status", 10000);
    const n = got.length;
    await waitFor(() => got.length >= n + 3, "more msgs");
    assert.deepEqual(statuses(m).filter((s) => /dropped/.test(s.text || "")), []);
    assert.deepEqual(warnings(m).filter((w) => /dropped/.test(w)), []);
  });

  for (const output of ["all", "batch"]) {
    it(`${output} mode at a normal rate loses nothing: the flow gets every sample, in order`, async () => {
      const got = await load([monitorDef({ output, interval: 50 })]);
      const m = helper.getNode("m1");
      const delivered = () => got.flatMap((msg) => (Array.isArray(msg.ts) ? msg.ts : [msg.ts]));
      await waitFor(() => delivered().length >= 400, "400 samples");
      assert.deepEqual(delivered(), seen.ts.slice(0, delivered().length));
      assert.equal(seen.workerDropped, 0);
      assert.deepEqual(statuses(m).filter((s) => /dropped/.test(s.text || "")), []);
      assert.deepEqual(warnings(m), []);
    });
  }

  it("redeploys while a flood fills the queue and drops are being warned leave no socket, worker, timer or turn behind", async () => {
    const resources = () => process.getActiveResourcesInfo();
    const count = (list, kind) => list.filter((r) => r === kind).length;
    const cycle = async (i) => {
      await load([monitorDef({ queue: 20 })], () => block(5));
      const m = helper.getNode("m1");
      await waitFor(() => droppedShown(m) !== undefined, `drops shown ${i}`, 20000);
      await helper.unload();
      await waitFor(async () => (await sim.connectionCount()) === 0, `closed ${i}`);
    };
    await sim.setFaults({ floodLines: 20 });
    await cycle(0);
    const baseline = resources();
    for (let i = 1; i <= 5; i++) await cycle(i);
    const after = resources();
    assert.equal(await sim.connectionCount(), 0);
    assert.ok(after.length <= baseline.length + 2, `active resources ${after.length} vs ${baseline.length}: ${after}`);
    for (const kind of ["Immediate", "Timeout", "TCPSocketWrap", "MessagePort"]) {
      assert.ok(count(after, kind) <= count(baseline, kind), `${kind}: ${count(after, kind)} vs ${count(baseline, kind)}`);
    }
  });
});
