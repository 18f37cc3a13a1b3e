"use strict";
// Soak (`npm run soak`, not part of CI): a 2 ms MONITOR plus back-to-back 10 s sine trajectories
// for SOAK_MINUTES (default 10) in a real Node-RED runtime embedded in this process (the test
// helper is not used: its spies keep every call and would look like a leak), against a virtual
// controller in another process. Reports heap and RSS at the start, each minute and the end,
// the samples and trajectories delivered, and every error a Catch node saw.
const fs = require("node:fs");
const http = require("node:http");
const os = require("node:os");
const path = require("node:path");
const { fork } = require("node:child_process");
const RED = require("node-red");

const ROOT = path.resolve(__dirname, "../..");
const MINUTES = Number(process.env.SOAK_MINUTES || 10);
const mb = (n) => (n / 1024 / 1024).toFixed(1);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function memory() {
  if (global.gc) global.gc();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, rss: m.rss };
}

function flows(port, restPort) {
  const fn = (id, func, x) => ({ id, type: "function", z: "soak", name: id, func, outputs: 1, noerr: 0, initialize: "", finalize: "", libs: [], x, y: 100, wires: [[]] });
  return [
    { id: "soak", type: "tab", label: "soak" },
    { id: "s1", type: "hi6-session", host: "127.0.0.1", port, major: 1, restPort, reconnect: true },
    { id: "m1", type: "hi6-monitor", z: "soak", session: "s1", url: "/project/robot/joints/joint_states", period: 2, args: "{}", autoStart: true, output: "all", interval: 100, wires: [["count"]] },
    { id: "t1", type: "hi6-trajectory", z: "soak", session: "s1", dt: 0.002, lookAhead: 0.04, timeFromStart: "elapsed", sendInit: true, stopOnAbort: true, maxSpeed: 0, startTolerance: 5, margin: 300, wires: [["result"], []] },
    fn("count", "global.get('soak').samples++;\nreturn null;", 300),
    fn("result", "global.get('soak').trajectoryDone(msg.payload);\nreturn null;", 500),
    { id: "c1", type: "catch", z: "soak", scope: null, uncaught: false, wires: [["error"]] },
    fn("error", "global.get('soak').errors.push(msg.error && msg.error.code);\nreturn null;", 700),
  ];
}

async function main() {
  const receiver = fork(path.join(__dirname, "receiver.js"));
  const { port, restPort } = await new Promise((r) => receiver.once("message", r));
  const userDir = fs.mkdtempSync(path.join(os.tmpdir(), "hi6-soak-"));
  fs.mkdirSync(path.join(userDir, "node_modules"));
  fs.symlinkSync(ROOT, path.join(userDir, "node_modules", "node-red-contrib-hi6-open-stream"), "dir");
  fs.writeFileSync(path.join(userDir, "flows.json"), JSON.stringify(flows(port, restPort)));

  let running = true;
  const soak = { samples: 0, results: [], errors: [], trajectoryDone: undefined };
  const runOne = () => RED.nodes.getNode("t1").receive({ payload: { sine: { amplitude_deg: 2, cycle_sec: 2, duration_sec: 10, joints: 2 } } });
  soak.trajectoryDone = (result) => {
    soak.results.push(result);
    if (running) setTimeout(runOne, 200);
  };
  const server = http.createServer((req, res) => RED.httpAdmin(req, res));
  RED.init(server, {
    userDir,
    flowFile: "flows.json",
    httpAdminRoot: "/",
    uiHost: "127.0.0.1",
    credentialSecret: false,
    functionGlobalContext: { soak },
    editorTheme: { projects: { enabled: false } },
    logging: { console: { level: "warn", metrics: false, audit: false } },
  });
  await RED.start();
  await sleep(3000);
  runOne();
  await sleep(10000);
  const start = memory();
  console.log(`start (after warm-up): heap ${mb(start.heap)} MiB, RSS ${mb(start.rss)} MiB`);
  for (let minute = 1; minute <= MINUTES; minute++) {
    await sleep(60000);
    const m = memory();
    console.log(`minute ${minute}: heap ${mb(m.heap)} MiB, RSS ${mb(m.rss)} MiB, samples ${soak.samples}, trajectories ${soak.results.length}, errors ${soak.errors.length}`);
  }
  running = false;
  const end = memory();
  const p99s = soak.results.map((r) => r.stats.late_p99_us).sort((a, b) => a - b);
  console.log(`\nend: heap ${mb(end.heap)} MiB (${end.heap >= start.heap ? "+" : ""}${mb(end.heap - start.heap)}), RSS ${mb(end.rss)} MiB (${end.rss >= start.rss ? "+" : ""}${mb(end.rss - start.rss)})`);
  console.log(`samples delivered: ${soak.samples}; trajectories: ${soak.results.length} (${soak.results.filter((r) => !r.aborted).length} complete), median p99 lateness ${p99s[Math.floor(p99s.length / 2)] ?? 0} µs; errors: ${soak.errors.length}${soak.errors.length ? " " + JSON.stringify(soak.errors.slice(0, 10)) : ""}`);
  await RED.stop();
  receiver.send("exit");
  fs.rmSync(userDir, { recursive: true, force: true });
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
