"use strict";
// The pacing loop's own work per tick, and the spin before each deadline: what they allocate
// and how long they take. Every byte allocated on the pacing thread is collected there, and a collection that
// falls on a deadline makes that point late by its pause (the pacing bench counts the run's
// GCs). Two ways of building each point's line are compared: through the recipe encoder (a
// payload object per point, checked and stringified) and from a template (point-line.ts), each
// with the tick's deadline arithmetic on BigInts as the runner does it. Run with --expose-gc
// (test/bench/run.js does); allocation is the heap's growth over a batch of ticks too small to
// trigger a collection, checked by counting collections.
const v8 = require("node:v8");
const { PerformanceObserver } = require("node:perf_hooks");
const { sinePlan } = require("../../nodes/trajectory/sources");
const { insertPointLine, PointLineTemplate } = require("../../nodes/trajectory/point-line");
const { TimingStats } = require("../../nodes/trajectory/stats");
const { SYSTEM_CLOCK } = require("../../nodes/trajectory/pacer");
const { median, table } = require("./report");

if (typeof global.gc !== "function") {
  console.error("run with --expose-gc (node test/bench/run.js tick)");
  process.exit(1);
}
const ROUNDS = Number(process.env.BENCH_ROUNDS || 7);
const BATCH = Number(process.env.BENCH_TICK_BATCH || 200);
const TIMED = 200_000;
const OPTS = { lookAhead: 0.04, timeFromStart: "elapsed" };
const plan = sinePlan({ base: [0, 90, 0, 0, -90, 0], amplitude_deg: 1, cycle_sec: 5, duration_sec: 600, dt: 0.002 });
const template = new PointLineTemplate(plan, OPTS);

let gcs = 0;
const gcObserver = new PerformanceObserver((list) => (gcs += list.getEntries().length));
gcObserver.observe({ entryTypes: ["gc"] });
/** Collections so far, counting those whose entries were not delivered yet. */
const gcCount = () => (gcs += gcObserver.takeRecords().length);

/** One tick as the runner does it after its wait: the clock, the deadline, the stats, the next line. */
function tickWith(encode) {
  const stats = new TimingStats(plan.dt);
  const periodNs = BigInt(Math.round(plan.dt * 1e9));
  const t0 = process.hrtime.bigint();
  let sink = 0;
  return (i) => {
    const deadline = t0 + BigInt(i) * periodNs;
    const now = process.hrtime.bigint();
    stats.record(now - deadline, now);
    sink += encode(i % plan.count).length;
    return sink;
  };
}

// The spin before each deadline, 300 µs (the default margin): reading process.hrtime.bigint()
// back to back, as the pacer first did, against the pacer's own spin (pacer.ts, SYSTEM_CLOCK).
const SPIN_NS = 300_000n;
const cell = new Int32Array(new SharedArrayBuffer(4));
const spinWith = (spin) => () => spin(process.hrtime.bigint() + SPIN_NS);

const variants = {
  "recipe encoder": tickWith((i) => insertPointLine(plan, i, OPTS)),
  "template": tickWith((i) => template.line(i)),
  "clock + stats only (no line)": tickWith(() => ""),
  "300 µs spin, hrtime.bigint() back to back": spinWith((deadline) => {
    let now = process.hrtime.bigint();
    while (now < deadline) now = process.hrtime.bigint();
    return now;
  }),
  "300 µs spin, the pacer's": spinWith((deadline) => SYSTEM_CLOCK.spin(deadline, cell)),
};
/** Spins take 300 µs each and may allocate hundreds of kB: fewer per batch, and far fewer timed. */
const isSpin = (name) => name.includes("spin");

async function main() {
  const bytes = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
  const ns = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
  let spoiled = 0;
  for (let r = 0; r < ROUNDS; r++) {
    for (const [name, tick] of Object.entries(variants)) {
      const batch = isSpin(name) ? 5 : BATCH;
      const timed = isSpin(name) ? 200 : TIMED;
      for (let i = 0; i < batch; i++) tick(i); // warm
      global.gc();
      await new Promise((res) => setImmediate(res));
      const g0 = gcCount();
      const h0 = v8.getHeapStatistics().used_heap_size;
      for (let i = 0; i < batch; i++) tick(i);
      const h1 = v8.getHeapStatistics().used_heap_size;
      if (gcCount() === g0) bytes[name].push((h1 - h0) / batch);
      else spoiled += 1;
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < timed; i++) tick(i);
      ns[name].push(Number(process.hrtime.bigint() - t0) / timed);
    }
  }
  const rows = [["per tick", "bytes allocated", "ns of work"]];
  for (const name of Object.keys(variants)) {
    rows.push([name, bytes[name].length ? median(bytes[name]).toFixed(0) : "-", median(ns[name]).toFixed(0)]);
  }
  console.log(`median of ${ROUNDS} rounds; ${BATCH} ticks (5 spins) per allocation batch, ${TIMED} (200 spins) per timing${spoiled ? `; ${spoiled} batch(es) with a GC left out` : ""}`);
  table(rows);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
