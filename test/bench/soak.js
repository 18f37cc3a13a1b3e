"use strict";
// Soak (`npm run soak`, not part of CI): a 2 ms MONITOR plus back-to-back 10 s sine trajectories
// through the Node-RED runtime for SOAK_MINUTES (default 10), against a virtual controller in
// another process. Reports heap and RSS at the start and the end (and each minute), the samples
// and trajectories delivered, and every error a Catch node saw.
const path = require("node:path");
const { fork } = require("node:child_process");
const helper = require("node-red-node-test-helper");

helper.init(require.resolve("node-red"));
const entries = ["hi6-session", "hi6-monitor", "hi6-trajectory"].map((t) => require(`../../nodes/${t}.js`));
const catchNode = require("@node-red/nodes/core/common/25-catch.js");
const MINUTES = Number(process.env.SOAK_MINUTES || 10);
const mb = (n) => (n / 1024 / 1024).toFixed(1);

function memory() {
  if (global.gc) global.gc();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, rss: m.rss };
}

async function main() {
  const receiver = fork(path.join(__dirname, "receiver.js"));
  const { port, restPort } = await new Promise((r) => receiver.once("message", r));
  await new Promise((r) => helper.startServer(r));
  await helper.load([...entries, catchNode], [
    { id: "s1", type: "hi6-session", host: "127.0.0.1", port, major: 1, restPort, reconnect: true },
    { id: "m1", type: "hi6-monitor", session: "s1", url: "/project/robot/joints/joint_states", period: 2, args: "{}", autoStart: true, output: "all", interval: 100, wires: [["samples"]] },
    { id: "t1", type: "hi6-trajectory", session: "s1", dt: 0.002, lookAhead: 0.04, timeFromStart: "elapsed", sendInit: true, stopOnAbort: true, maxSpeed: 0, startTolerance: 5, margin: 300, wires: [["results"], []] },
    { id: "samples", type: "helper" },
    { id: "results", type: "helper" },
    { id: "c1", type: "catch", scope: null, uncaught: false, wires: [["errors"]] },
    { id: "errors", type: "helper" },
  ]);
  let samples = 0;
  const results = [];
  const errors = [];
  helper.getNode("samples").on("input", () => samples++);
  helper.getNode("errors").on("input", (msg) => errors.push(msg.error && msg.error.code));
  const t = helper.getNode("t1");
  const runOne = () => t.receive({ payload: { sine: { amplitude_deg: 2, cycle_sec: 2, duration_sec: 10, joints: 2 } } });
  helper.getNode("results").on("input", (msg) => {
    results.push(msg.payload);
    if (running) setTimeout(runOne, 200);
  });
  let running = true;
  await new Promise((r) => setTimeout(r, 3000));
  runOne();
  await new Promise((r) => setTimeout(r, 10000));
  const start = memory();
  console.log(`start (after warm-up): heap ${mb(start.heap)} MiB, RSS ${mb(start.rss)} MiB`);
  for (let minute = 1; minute <= MINUTES; minute++) {
    await new Promise((r) => setTimeout(r, 60000));
    const m = memory();
    console.log(`minute ${minute}: heap ${mb(m.heap)} MiB, RSS ${mb(m.rss)} MiB, samples ${samples}, trajectories ${results.length}, errors ${errors.length}`);
  }
  running = false;
  const end = memory();
  const p99s = results.map((r) => r.stats.late_p99_us).sort((a, b) => a - b);
  console.log(`\nend: heap ${mb(end.heap)} MiB (${end.heap >= start.heap ? "+" : ""}${mb(end.heap - start.heap)}), RSS ${mb(end.rss)} MiB (${end.rss >= start.rss ? "+" : ""}${mb(end.rss - start.rss)})`);
  console.log(`samples delivered: ${samples}; trajectories: ${results.length} (${results.filter((r) => !r.aborted).length} complete), median p99 lateness ${p99s[Math.floor(p99s.length / 2)] ?? 0} µs; errors: ${errors.length}${errors.length ? " " + JSON.stringify(errors.slice(0, 10)) : ""}`);
  await helper.unload();
  await new Promise((r) => helper.stopServer(r));
  receiver.send("exit");
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
