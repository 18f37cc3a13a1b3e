"use strict";
// Ingress: a virtual controller floods one hi6-monitor in `all` mode (the floodLines fault,
// tens of thousands of data lines a second) while the flow behind it is slow: a function node
// that blocks for BENCH_INGRESS_BLOCK_MS per msg. It runs in a real Node-RED runtime embedded
// in a child process (the test helper's spies keep every call and would look like growth),
// against a controller in a process of its own. Reports RSS at the start, the most and the end,
// the samples that reached the session, the msgs the flow handled, the samples dropped (the
// monitor's status), and the age of the data the flow handled, for the monitor's default queue
// and, in the same run, for a queue set so high it never drops, as a user would get with no bound.
// BENCH_INGRESS_SECONDS (60), BENCH_INGRESS_BASELINE_SECONDS (15), BENCH_INGRESS_FLOOD (150 lines
// per tick), BENCH_INGRESS_BLOCK_MS (10) set the run; BENCH_INGRESS_TRACE=1 prints memory every 5 s.
const fs = require("node:fs");
const http = require("node:http");
const os = require("node:os");
const path = require("node:path");
const { fork } = require("node:child_process");
const { table } = require("./report");

const ROOT = path.resolve(__dirname, "../..");
const SECONDS = Number(process.env.BENCH_INGRESS_SECONDS || 60);
// The unbounded baseline grows without limit, so it runs for a shorter time, and stops early
// once its RSS passes BENCH_INGRESS_BASELINE_MAX_MB.
const BASELINE_SECONDS = Number(process.env.BENCH_INGRESS_BASELINE_SECONDS || Math.min(SECONDS, 15));
const BASELINE_MAX_MB = Number(process.env.BENCH_INGRESS_BASELINE_MAX_MB || 1500);
const FLOOD_LINES = Number(process.env.BENCH_INGRESS_FLOOD || 150);
const BLOCK_MS = Number(process.env.BENCH_INGRESS_BLOCK_MS || 10);
const PERIOD_MS = 2;
const WARM_UP_MS = 3000;
const mb = (n) => n / 1024 / 1024;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---- the child: one Node-RED runtime, one case ----------------------------------------------

function flows(port, restPort, queue) {
  const consumer = `const end = Date.now() + ${BLOCK_MS};\nwhile (Date.now() < end);\nglobal.get('ingress').handled(msg.ts);\nreturn null;`;
  return [
    { id: "ingress", type: "tab", label: "ingress" },
    { id: "s1", type: "hi6-session", host: "127.0.0.1", port, major: 1, restPort, reconnect: true },
    { id: "m1", type: "hi6-monitor", z: "ingress", session: "s1", url: "/project/robot/joints/joint_states", period: PERIOD_MS, args: "{}", autoStart: true, output: "all", interval: 100, queue, wires: [["slow"]] },
    { id: "slow", type: "function", z: "ingress", name: "slow flow", func: consumer, outputs: 1, noerr: 0, initialize: "", finalize: "", libs: [], wires: [[]] },
  ];
}

function percentile(sorted, q) {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

async function runCase({ port, restPort, queue, seconds, maxMb }) {
  const RED = require("node-red");
  const { SessionProxy } = require(path.join(ROOT, "nodes/nodes/session/proxy"));
  const now = () => Number(process.hrtime.bigint()) / 1e6;

  // The controller's ts counts from its session's start; the least (arrival − ts) seen is its
  // clock's offset from ours plus the fastest path, so a handled sample's age is its handling
  // time less (ts + offset): how long after the freshest possible delivery the flow saw it.
  let offset = Infinity;
  let received = 0;
  let workerDropped = 0;
  let measuring = false;
  const ages = [];
  const emit = SessionProxy.prototype.emit;
  SessionProxy.prototype.emit = function (name, payload) {
    if (name === "data") {
      received += 1 + payload.dropped;
      workerDropped += payload.dropped;
      const at = Number(payload.receivedAt) / 1e6 - payload.event.ts;
      if (at < offset) offset = at;
    }
    return emit.apply(this, arguments);
  };
  const ingress = {
    delivered: 0,
    handled(ts) {
      if (!measuring) return;
      this.delivered += 1;
      ages.push({ at: now(), age: now() - (ts + offset) });
    },
  };

  const userDir = fs.mkdtempSync(path.join(os.tmpdir(), "hi6-ingress-"));
  fs.mkdirSync(path.join(userDir, "node_modules"));
  fs.symlinkSync(ROOT, path.join(userDir, "node_modules", "node-red-contrib-hi6-open-stream"), "dir");
  fs.writeFileSync(path.join(userDir, "flows.json"), JSON.stringify(flows(port, restPort, queue)));
  const server = http.createServer((req, res) => RED.httpAdmin(req, res));
  RED.init(server, {
    userDir,
    flowFile: "flows.json",
    httpAdminRoot: "/",
    uiHost: "127.0.0.1",
    credentialSecret: false,
    functionGlobalContext: { ingress },
    editorTheme: { projects: { enabled: false } },
    // The monitor's drop warnings are counted below; on the console they would drown the table.
    logging: { console: { level: "error", metrics: false, audit: false } },
  });
  await RED.start();
  let monitor = null;
  while ((monitor = RED.nodes.getNode("m1")) === null) await sleep(50);
  let status = "";
  let warnings = 0;
  const setStatus = monitor.status;
  monitor.status = function (s) {
    if (s && typeof s.text === "string") status = s.text;
    return setStatus.apply(this, arguments);
  };
  const warn = monitor.warn;
  monitor.warn = function () {
    warnings += 1;
    return warn.apply(this, arguments);
  };
  await sleep(WARM_UP_MS);

  const rss = () => mb(process.memoryUsage().rss);
  const start = rss();
  let max = start;
  const trace = process.env.BENCH_INGRESS_TRACE === "1";
  let ticks = 0;
  const samples = [];
  const sampler = setInterval(() => {
    const r = rss();
    max = Math.max(max, r);
    samples.push({ at: now(), rss: r });
    // Every 5 s with BENCH_INGRESS_TRACE=1: where the memory is, while it runs.
    if (trace && ++ticks % 20 === 0) {
      const m = process.memoryUsage();
      console.log(`  queue ${queue}: RSS ${rss().toFixed(0)} MB, heap ${mb(m.heapUsed).toFixed(0)}/${mb(m.heapTotal).toFixed(0)} MB, external ${mb(m.external).toFixed(0)} MB, array buffers ${mb(m.arrayBuffers).toFixed(0)} MB`);
    }
  }, 250);
  process.send({ type: "flood" });
  await new Promise((resolve) => process.once("message", resolve));
  measuring = true;
  const receivedFrom = received;
  const t0 = now();
  let stoppedEarly = false;
  while (now() - t0 < seconds * 1000) {
    await sleep(250);
    if (rss() > maxMb) {
      stoppedEarly = true;
      break;
    }
  }
  measuring = false;
  const wall = (now() - t0) / 1000;
  const offered = (received - receivedFrom) / wall;
  const end = rss();
  max = Math.max(max, end);
  clearInterval(sampler);
  // The status counts the drops once a second: it has the last of them once the flood is over.
  process.send({ type: "calm" });
  await new Promise((resolve) => process.once("message", resolve));
  await sleep(2000);
  // The status is a message key with its parameters; droppedTotal is the exact count behind "1.2k".
  const { parseStatusText } = require(path.join(ROOT, "nodes/nodes/status"));
  const droppedTotal = parseStatusText(status).params.droppedTotal;
  const dropped = droppedTotal === undefined ? null : [status, droppedTotal];
  const sorted = ages.map((a) => a.age).sort((a, b) => a - b);
  const lastSeconds = ages.filter((a) => a.at >= t0 + (wall - 5) * 1000).map((a) => a.age).sort((a, b) => a - b);
  // Growth over the second half: the first seconds of a flood fill the heap to its working
  // size, which is not growth; what it does after that is.
  const secondHalf = samples.filter((x) => x.at >= t0 + (wall / 2) * 1000);
  const growth = secondHalf.length < 2 ? 0 : (end - secondHalf[0].rss) / ((secondHalf[secondHalf.length - 1].at - secondHalf[0].at) / 1000);
  const result = {
    queue,
    growth,
    wall,
    stoppedEarly,
    rssStart: start,
    rssMax: max,
    rssEnd: end,
    offered,
    delivered: ingress.delivered,
    dropped: dropped === null ? 0 : Number(dropped[1]),
    workerDropped,
    warnings,
    ageP50: percentile(sorted, 0.5),
    ageP99: percentile(sorted, 0.99),
    ageLast5s: percentile(lastSeconds, 0.5),
  };
  process.send({ type: "result", result });
  // A case that ran away stops here: its memory is the figure, not its shutdown.
  process.exit(0);
}

// ---- the parent: the controller, both cases, the table ---------------------------------------

function runChild(args, sim) {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, [JSON.stringify(args)], { execArgv: ["--expose-gc"] });
    let result;
    child.on("message", async (m) => {
      if (m.type === "flood") {
        await sim.setFaults({ floodLines: FLOOD_LINES });
        child.send("go");
      } else if (m.type === "calm") {
        await sim.setFaults({});
        child.send("calm");
      } else if (m.type === "result") result = m.result;
    });
    child.on("error", reject);
    child.on("exit", async (code) => {
      await sim.setFaults({});
      if (result === undefined) reject(new Error(`the ${args.queue} case exited with ${code} and no result`));
      else resolve(result);
    });
  });
}

async function main() {
  const { startSimProcess } = require("../support/sim-process");
  const sim = await startSimProcess();
  const base = { port: sim.port, restPort: sim.restPort };
  const cases = [
    { name: "queue 100 (default)", queue: 100, seconds: SECONDS, maxMb: 1e9 },
    { name: "queue 1e9 (monitor never drops)", queue: 1e9, seconds: BASELINE_SECONDS, maxMb: BASELINE_MAX_MB },
  ];
  const results = [];
  for (const c of cases) {
    results.push(await runChild({ ...base, queue: c.queue, seconds: c.seconds, maxMb: c.maxMb }, sim));
    console.log(`  done: ${c.name}`);
  }
  await sim.close();
  const f = (n, d = 0) => n.toFixed(d);
  const rows = [["", "seconds", "RSS start MB", "RSS max MB", "RSS end MB", "RSS growth, 2nd half, MB/s", "samples/s at the session", "msgs handled", "dropped", "of which in the session", "warnings", "age p50 ms", "age p99 ms", "age, last 5 s, p50 ms"]];
  results.forEach((r, i) => {
    rows.push([cases[i].name, `${f(r.wall, 1)}${r.stoppedEarly ? " (RSS cap)" : ""}`, f(r.rssStart), f(r.rssMax), f(r.rssEnd), f(r.growth, 1), f(r.offered), r.delivered, r.dropped, r.workerDropped, r.warnings, f(r.ageP50), f(r.ageP99), f(r.ageLast5s)]);
  });
  console.log(`\nflood of ${FLOOD_LINES} data lines per ${PERIOD_MS} ms MONITOR tick into hi6-monitor (all mode), a flow that blocks ${BLOCK_MS} ms per msg`);
  table(rows);
  const [bounded, open] = results;
  console.log(`\nno bound against the default queue: RSS max ${f(open.rssMax / bounded.rssMax, 1)}× in ${f(open.wall / bounded.wall, 2)}× the time; growth in the second half ${f(open.growth, 1)} against ${f(bounded.growth, 1)} MB/s; data handled in the last 5 s ${f(open.ageLast5s / Math.max(1, bounded.ageLast5s), 0)}× older (${f(open.ageLast5s)} against ${f(bounded.ageLast5s)} ms)`);
}

if (process.argv[2] !== undefined) {
  runCase(JSON.parse(process.argv[2])).catch((err) => {
    console.error(err);
    process.exit(1);
  });
} else {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
