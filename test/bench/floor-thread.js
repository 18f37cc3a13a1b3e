"use strict";
// The machine's floor for the pacing benchmark: a worker thread that only sleeps and spins to
// the same absolute schedule as the pacer, with the same scheduling asked for, and does nothing
// else (no socket, no parsing, no event loop turn between ticks). What it measures is what this
// machine lets any thread of this process do in the same condition.
const { parentPort, workerData } = require("node:worker_threads");
const { Pacer } = require("../../nodes/trajectory/pacer");
const { AdaptiveMargin } = require("../../nodes/trajectory/margin");
const { TimingStats } = require("../../nodes/trajectory/stats");
const { raiseThreadPriority } = require("../../nodes/nodes/session/thread-priority");

const { count, dt, marginUs, margin, scheduling } = workerData;
const marginNs = BigInt(Math.round(marginUs * 1000));
const pacer = new Pacer(margin === "adaptive" ? new AdaptiveMargin({ initialNs: marginNs }) : marginNs);
const stats = new TimingStats(dt);
const periodNs = BigInt(Math.round(dt * 1e9));
async function main() {
  const priority = await raiseThreadPriority(scheduling);
  try {
    const t0 = process.hrtime.bigint() + 2_000_000n;
    for (let i = 0; i < count; i++) {
      const deadline = t0 + BigInt(i) * periodNs;
      pacer.waitUntil(deadline);
      const now = process.hrtime.bigint();
      stats.record(now - deadline, now);
    }
  } finally {
    await priority?.restore();
  }
  parentPort.postMessage({
    ...stats.summary(),
    margin_us: Number(pacer.marginNs) / 1000,
    scheduling: priority === undefined ? "unknown" : priority.scheduling,
    thread_nice: priority?.nice,
  });
}

main();
