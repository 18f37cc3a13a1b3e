"use strict";
// The bounded ingress, rule by rule, on the plain classes: the session worker's batches under
// credit (DataRelay), the monitor's output queue and batch cap (MonitorOutput), and the
// throttled drop warning (DropReport). test/nodes/monitor-ingress.test.js runs the same rules
// end to end in Node-RED against a flooding virtual controller.
const assert = require("node:assert/strict");
const { DataRelay, DATA_CREDITS, DATA_HOLD, EVENT_CREDITS, dataCreditCells, batchRouted } = require("../../nodes/nodes/session/data-relay");
const { DropOldestQueue } = require("../../nodes/nodes/drop-oldest-queue");
const { MonitorOutput, batchCap, DEFAULT_QUEUE, MAX_AGE_MS } = require("../../nodes/nodes/monitor-output");
const { DropReport } = require("../../nodes/nodes/monitor-drops");
const { until } = require("../support/wait");

const turn = () => new Promise((r) => setImmediate(r));
const sample = (ts) => ({ type: "data", ts, result: { ts } });

describe("ingress: bounded data from the socket to the flow", () => {
  describe("DropOldestQueue", () => {
    it("keeps the newest `capacity` items in order and says how many left the head", () => {
      const q = new DropOldestQueue(3);
      const dropped = [1, 2, 3, 4, 5].map((n) => q.push(n));
      assert.deepEqual(dropped, [0, 0, 0, 1, 1]);
      assert.equal(q.length, 3);
      assert.deepEqual(q.drain(), [3, 4, 5]);
      assert.equal(q.length, 0);
    });
    it("stays first in, first out across many pushes and shifts, never holding more than its capacity", () => {
      const q = new DropOldestQueue(1000);
      const out = [];
      for (let i = 0; i < 5000; i++) {
        q.push(i);
        assert.ok(q.length <= 1000);
        if (i % 3 === 0) out.push(q.shift());
      }
      while (q.length > 0) out.push(q.shift());
      assert.ok(out.every((v, k) => k === 0 || v > out[k - 1]), "in order");
      assert.equal(out[out.length - 1], 4999);
    });
  });

  describe("the session worker's data relay", () => {
    let posted;
    let relay;
    let cells;
    let wakes;
    // The main thread's side, as the session proxy does it after routing a batch.
    const routed = () => {
      if (batchRouted(cells)) {
        wakes += 1;
        relay.ack();
      }
    };
    beforeEach(() => {
      posted = [];
      wakes = 0;
      cells = dataCreditCells();
      relay = new DataRelay((batch) => posted.push(batch), cells);
    });
    afterEach(() => relay.dispose());

    it("sends the data events of one turn of its loop as one batch, in order, each with its receivedAt", async () => {
      for (let i = 0; i < 5; i++) relay.push(sample(i), BigInt(1000 + i));
      assert.equal(posted.length, 0);
      await turn();
      assert.equal(posted.length, 1);
      assert.deepEqual(posted[0].items.map((it) => [it.event.ts, it.receivedAt]), [0, 1, 2, 3, 4].map((i) => [i, BigInt(1000 + i)]));
      assert.equal(posted[0].dropped, 0);
    });
    it(`has at most ${DATA_CREDITS} batches unacknowledged; each batch the main thread routes lets the next one go`, async () => {
      for (let i = 0; i < 10; i++) {
        relay.push(sample(i), 0n);
        await turn();
      }
      assert.equal(posted.length, DATA_CREDITS);
      assert.equal(relay.holding, 10 - DATA_CREDITS);
      routed();
      await turn();
      assert.equal(posted.length, DATA_CREDITS + 1);
      assert.deepEqual(posted[DATA_CREDITS].items.map((it) => it.event.ts), [...Array(10 - DATA_CREDITS).keys()].map((i) => i + DATA_CREDITS));
    });
    it(`while it waits for credit it holds at most ${DATA_HOLD} events, drops the oldest, and reports the count with the next batch`, async () => {
      for (let i = 0; i < DATA_CREDITS; i++) {
        relay.push(sample(-1), 0n);
        await turn();
      }
      const flood = DATA_HOLD + 700;
      for (let i = 0; i < flood; i++) relay.push(sample(i), 0n);
      await turn();
      assert.equal(posted.length, DATA_CREDITS);
      assert.equal(relay.holding, DATA_HOLD);
      routed();
      await turn();
      const next = posted[DATA_CREDITS];
      assert.equal(next.dropped, 700);
      assert.equal(next.items.length, DATA_HOLD);
      assert.equal(next.items[0].event.ts, 700, "the oldest went");
      assert.equal(next.items[DATA_HOLD - 1].event.ts, flood - 1, "the newest stayed");
      routed();
      relay.push(sample(flood), 0n);
      await turn();
      assert.equal(posted[DATA_CREDITS + 1].dropped, 0, "each drop is reported once");
    });
    it("is woken by a message only when it ran out of credit: a main thread that keeps up costs it no message", async () => {
      for (let i = 0; i < 50; i++) {
        relay.push(sample(i), 0n);
        await turn();
        routed();
      }
      assert.equal(posted.length, 50);
      assert.equal(wakes, 0);
      for (let i = 0; i < 10; i++) {
        relay.push(sample(i), 0n);
        await turn();
      }
      routed();
      assert.equal(wakes, 1);
      await turn();
      assert.equal(posted.length, 50 + DATA_CREDITS + 1);
    });
    it("a stray ack does not raise the number of batches in flight", async () => {
      relay.ack();
      relay.ack();
      for (let i = 0; i < 10; i++) {
        relay.push(sample(i), 0n);
        await turn();
      }
      assert.equal(posted.length, DATA_CREDITS);
    });
    it(`batching per event: each event is posted at once on its own, at most ${EVENT_CREDITS} unrouted; the rest are held, the oldest dropped, and go as credit returns`, () => {
      relay.dispose();
      relay = new DataRelay((batch) => posted.push(batch), cells, { batching: "event" });
      relay.push(sample(0), 7n);
      assert.equal(posted.length, 1, "no turn of the loop is waited for");
      assert.deepEqual(posted[0].items.map((it) => [it.event.ts, it.receivedAt]), [[0, 7n]]);
      const more = EVENT_CREDITS + DATA_HOLD + 10;
      for (let i = 1; i <= more; i++) relay.push(sample(i), 0n);
      assert.equal(posted.length, EVENT_CREDITS);
      assert.ok(posted.every((b) => b.items.length === 1));
      assert.equal(relay.holding, DATA_HOLD);
      routed();
      routed();
      assert.equal(posted.length, EVENT_CREDITS + 2, "one message per event routed");
      assert.equal(posted[EVENT_CREDITS].dropped, more + 1 - EVENT_CREDITS - DATA_HOLD, "the drops are reported once, with the next event");
      assert.equal(posted[EVENT_CREDITS + 1].dropped, 0);
    });
    it("dispose leaves no scheduled turn behind", async () => {
      relay.push(sample(0), 0n);
      relay.dispose();
      await turn();
      assert.equal(posted.length, 0);
    });
  });

  describe("the monitor's output", () => {
    let sent;
    let dropped;
    const sink = { send: (msg) => sent.push(msg), dropped: (n) => (dropped += n) };
    beforeEach(() => {
      sent = [];
      dropped = 0;
    });

    it(`all mode: the queue defaults to ${DEFAULT_QUEUE}`, () => {
      assert.equal(DEFAULT_QUEUE, 100);
    });
    it("all mode: the first msg goes at once, then one per turn of the event loop", async () => {
      const out = new MonitorOutput({ mode: "all", intervalMs: 100, queue: 10 }, sink);
      for (let i = 0; i < 5; i++) out.push(sample(i), "/t");
      assert.deepEqual(sent.map((m) => m.ts), [0]);
      await turn();
      assert.deepEqual(sent.map((m) => m.ts), [0, 1]);
      await turn();
      assert.deepEqual(sent.map((m) => m.ts), [0, 1, 2]);
      out.stop();
    });
    it("all mode: at most `queue` msgs wait; the oldest are dropped and counted, the newest delivered", async () => {
      const out = new MonitorOutput({ mode: "all", intervalMs: 100, queue: 10 }, sink);
      for (let i = 0; i < 1000; i++) {
        out.push(sample(i), "/t");
        assert.ok(out.pending <= 10, `${out.pending} waiting`);
      }
      assert.equal(dropped, 1000 - 1 - 10);
      await until(() => out.pending === 0, "drained");
      assert.deepEqual(sent.map((m) => m.ts), [0, ...Array.from({ length: 10 }, (_, k) => 990 + k)]);
      out.stop();
    });
    it("all mode: a msg that waited longer than maxAgeMs is dropped and counted, so a slow flow handles recent data", async () => {
      const clock = { t: 0 };
      const out = new MonitorOutput({ mode: "all", intervalMs: 100, queue: 100, maxAgeMs: 1000, now: () => clock.t }, sink);
      for (let i = 0; i < 50; i++) out.push(sample(i), "/t");
      assert.deepEqual(sent.map((m) => m.ts), [0], "the first goes at once");
      // The flow held the event loop for 1.5 s: the samples that waited meanwhile are older than a second.
      clock.t = 1500;
      out.push(sample(50), "/t");
      await until(() => out.pending === 0, "drained");
      assert.deepEqual(sent.map((m) => m.ts), [0, 50]);
      assert.equal(dropped, 49);
      out.stop();
    });
    it(`all mode: the age bound defaults to ${MAX_AGE_MS} ms`, () => assert.equal(MAX_AGE_MS, 1000));
    it("all mode: samples the session dropped count as dropped too", () => {
      const out = new MonitorOutput({ mode: "all", intervalMs: 100, queue: 10 }, sink);
      out.push(sample(0), "/t", 42);
      assert.equal(dropped, 42);
      out.stop();
    });
    it("latest mode: samples it skips, and those the session dropped before the newest, are merged, never dropped", async () => {
      const out = new MonitorOutput({ mode: "latest", intervalMs: 5, queue: 10 }, sink);
      for (let i = 0; i < 1000; i++) out.push(sample(i), "/t", i === 500 ? 7 : 0);
      await until(() => sent.length === 1, "one msg");
      assert.equal(sent[0].ts, 999);
      assert.equal(out.merged, 999 + 7);
      assert.equal(dropped, 0);
      out.stop();
    });
    it("batch mode: a batch holds every sample a 2 ms stream sends in ten intervals, and at least `queue`", () => {
      assert.equal(batchCap(100, 100), 500);
      assert.equal(batchCap(10, 100), 100);
      assert.equal(batchCap(100, 2000), 2000);
    });
    it("batch mode: beyond the cap the oldest samples are dropped and counted; the batch keeps the newest in order", async () => {
      const out = new MonitorOutput({ mode: "batch", intervalMs: 20, queue: 10 }, sink);
      const cap = batchCap(20, 10);
      for (let i = 0; i < cap + 250; i++) out.push(sample(i), "/t");
      assert.equal(dropped, 250);
      await until(() => sent.length === 1, "one batch");
      assert.equal(sent[0].payload.length, cap);
      assert.deepEqual(sent[0].ts, Array.from({ length: cap }, (_, k) => 250 + k));
      assert.equal(out.merged, cap - 1);
      out.stop();
    });
    it("batch mode: under the cap nothing is dropped, and samples the session dropped are counted", async () => {
      const out = new MonitorOutput({ mode: "batch", intervalMs: 20, queue: 10 }, sink);
      for (let i = 0; i < 30; i++) out.push(sample(i), "/t", i === 0 ? 3 : 0);
      await until(() => sent.length === 1, "one batch");
      assert.equal(sent[0].payload.length, 30);
      assert.equal(dropped, 3);
      out.stop();
    });
    it("stop leaves no timer or turn behind and sends nothing more", async () => {
      const out = new MonitorOutput({ mode: "all", intervalMs: 100, queue: 10 }, sink);
      for (let i = 0; i < 5; i++) out.push(sample(i), "/t");
      out.stop();
      await turn();
      await turn();
      assert.equal(sent.length, 1);
      assert.equal(out.pending, 0);
    });
  });

  describe("the drop warning", () => {
    it("warns at once with the count, then at most once per period, and reports what came in between when the period ends", async () => {
      const warned = [];
      const report = new DropReport((n) => warned.push({ n, at: performance.now() }), 100);
      report.add(5);
      assert.deepEqual(warned.map((w) => w.n), [5]);
      report.add(3);
      report.add(2);
      assert.equal(warned.length, 1);
      await until(() => warned.length === 2, "the held-back report");
      assert.equal(warned[1].n, 5);
      assert.ok(warned[1].at - warned[0].at >= 95, `${(warned[1].at - warned[0].at).toFixed(1)} ms apart`);
      assert.equal(report.total, 10);
      report.dispose();
    });
    it("dispose drops the held-back report and its timer", () => {
      const timers = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
      const warned = [];
      const report = new DropReport((n) => warned.push(n), 60000);
      const before = timers();
      report.add(1);
      report.add(1);
      assert.equal(timers(), before + 1, "the held-back report waits on a timer");
      report.dispose();
      assert.equal(timers(), before);
      assert.deepEqual(warned, [1]);
    });
  });
});
