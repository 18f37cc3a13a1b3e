"use strict";
// Scale: 1, 5, 10 and 20 hi6-sessions, each with a 2 ms MONITOR in "all" mode, running in the
// Node-RED runtime (loaded through node-red-node-test-helper) against a virtual controller
// in another process. Reports CPU per session, delivered msgs/s, the latency from the socket
// chunk's arrival in the session worker to the monitor's node.send, and event-loop lag: the
// median of BENCH_RUNS runs (5) per row, with every run's latency percentiles.
const path = require("node:path");
const { fork } = require("node:child_process");
const { monitorEventLoopDelay } = require("node:perf_hooks");
const helper = require("node-red-node-test-helper");
const proxyModule = require("../../nodes/nodes/session/proxy");
const { SessionProxy } = proxyModule;
const { median, table } = require("./report");

helper.init(require.resolve("node-red"));
const entries = ["hi6-session", "hi6-monitor"].map((t) => require(`../../nodes/${t}.js`));
const SECONDS = Number(process.env.BENCH_SECONDS || 10);
/** Runs per row; each row reports the median of every figure and each run's latency percentiles. */
const RUNS = Number(process.env.BENCH_RUNS || 5);
const COUNTS = (process.env.BENCH_SESSIONS || "1,5,10,20").split(",").map(Number);
// How each session's data crosses to the main thread, one set of rows per entry: "default" (a batch per turn of the
// worker's loop, parsed in the worker), or "+"-joined batching=turn|event and parse=worker|main, e.g.
// BENCH_RELAYS=default,batching=event,parse=main.
const RELAYS = (process.env.BENCH_RELAYS || "default").split(",").map((spec) => ({ spec, relay: relayFrom(spec) }));
function relayFrom(spec) {
  const relay = {};
  if (spec === "default") return relay;
  for (const part of spec.split("+")) {
    const [key, value] = part.split("=");
    const allowed = { batching: ["turn", "event"], parse: ["worker", "main"] }[key];
    if (allowed === undefined || !allowed.includes(value)) throw new Error(`unknown relay setting "${part}" in BENCH_RELAYS; settings: batching=turn|event, parse=worker|main`);
    relay[key] = value;
  }
  return relay;
}
// The session node makes its SessionProxy through the module's export at the time it connects,
// so a subclass put there gives every session of a row that row's relay settings.
let rowRelay = {};
proxyModule.SessionProxy = class extends SessionProxy {
  constructor(init) {
    super({ ...init, relay: { ...init.relay, ...rowRelay } });
  }
};

// Socket-to-node.send: the data event's receivedAt was stamped in the worker when its chunk
// arrived. The monitor node sends at most one msg per turn of the event loop, so a sample may
// wait a turn or more after the proxy emits it: the latency is taken in node.send itself, which
// carries the event's result object as msg.payload.
const latencies = [];
const receivedAt = new WeakMap();
const emit = SessionProxy.prototype.emit;
SessionProxy.prototype.emit = function (name, payload) {
  if (name === "data" && payload.event.result !== null && typeof payload.event.result === "object") receivedAt.set(payload.event.result, payload.receivedAt);
  return emit.apply(this, arguments);
};
function timeSends(node) {
  const send = node.send;
  node.send = function (msg) {
    const at = receivedAt.get(msg.payload);
    const result = send.apply(this, arguments);
    if (recording && at !== undefined) latencies.push(Number(process.hrtime.bigint() - at) / 1000);
    return result;
  };
}
let recording = false;

// node-red-node-test-helper wraps Node.prototype's send, status, log and the rest in sinon
// spies that record every call, with its msg, until the flow is unloaded: at 10 sessions × 500
// msgs/s that record, and the nextTick the helper schedules per call, cost a third of the main
// thread and keep every msg alive. Node-RED itself has none of it, so Node's own methods are
// put back once the flow is loaded (BENCH_KEEP_SPIES=1 keeps the spies, to show their cost).
const KEEP_SPIES = process.env.BENCH_KEEP_SPIES === "1";
const NodePrototype = helper._NodePrototype;
const NODE_METHODS = ["log", "status", "warn", "error", "debug", "trace", "send"];
const nodeMethods = Object.fromEntries(NODE_METHODS.map((m) => [m, NodePrototype[m]]));
const logLog = helper._log.log;
/** After helper.load: Node's methods as Node-RED has them, on the prototype and on the nodes that copied send from it. */
function dropHelperSpies(nodes) {
  const spiedSend = NodePrototype.send;
  for (const m of NODE_METHODS) NodePrototype[m] = nodeMethods[m];
  helper._log.log = logLog;
  for (const node of nodes) if (node.send === spiedSend) node.send = nodeMethods.send;
}

/** CPU seconds of Node-RED's main thread alone (Linux /proc: utime + stime of the thread whose id is the pid); undefined elsewhere. */
function mainThreadCpuS() {
  try {
    const stat = require("node:fs").readFileSync(`/proc/self/task/${process.pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return undefined;
  }
}

function pct(sorted, q) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : 0;
}

/** One run of a row: every figure as a number (NaN where this platform cannot give it). */
async function runOnce(port, restPort, n) {
  const flow = [];
  for (let i = 0; i < n; i++) {
    flow.push({ id: `s${i}`, type: "hi6-session", host: "127.0.0.1", port, major: 1, restPort, reconnect: true });
    flow.push({ id: `m${i}`, type: "hi6-monitor", session: `s${i}`, url: "/project/robot/joints/joint_states", period: 2, args: "{}", autoStart: true, output: "all", interval: 100, wires: [[`h${i}`]] });
    flow.push({ id: `h${i}`, type: "helper" });
  }
  await helper.load(entries, flow);
  let delivered = 0;
  for (let i = 0; i < n; i++) helper.getNode(`h${i}`).on("input", () => delivered++);
  if (!KEEP_SPIES) dropHelperSpies(flow.map((n) => helper.getNode(n.id)).filter((node) => node));
  for (let i = 0; i < n; i++) timeSends(helper.getNode(`m${i}`));
  await new Promise((r) => setTimeout(r, 2000));
  latencies.length = 0;
  delivered = 0;
  const lag = monitorEventLoopDelay({ resolution: 1 });
  lag.enable();
  recording = true;
  const cpu0 = process.cpuUsage();
  const main0 = mainThreadCpuS();
  const t0 = process.hrtime.bigint();
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  const main1 = mainThreadCpuS();
  recording = false;
  lag.disable();
  await helper.unload();
  const cpuPct = (cpu.user + cpu.system) / 1e4 / wall;
  // The main thread routes every session's data; the rest is the session workers (socket, framing, parsing, posting) and V8's helper threads.
  const mainPct = main0 === undefined || main1 === undefined ? NaN : ((main1 - main0) * 100) / wall;
  const sorted = latencies.slice().sort((a, b) => a - b);
  await new Promise((r) => setTimeout(r, 1000));
  return {
    msgs: delivered / wall,
    cpu: cpuPct,
    main: mainPct,
    p50: pct(sorted, 0.5),
    p99: pct(sorted, 0.99),
    lag50: lag.percentile(50) / 1e6,
    lag99: lag.percentile(99) / 1e6,
  };
}

async function main() {
  const receiver = fork(path.join(__dirname, "receiver.js"));
  const { port, restPort } = await new Promise((r) => receiver.once("message", r));
  await new Promise((r) => helper.startServer(r));
  const fixed = (x, d) => (Number.isNaN(x) ? "-" : x.toFixed(d));
  const rows = [["relay", "sessions", "msgs/s total", "msgs/s per session", "CPU % total", "CPU % per session", "main thread CPU %", "rest CPU % per session", "latency p50 µs", "latency p99 µs", "p50 every run", "p99 every run", "loop lag p50 / p99 ms"]];
  for (const { spec, relay } of RELAYS) for (const n of COUNTS) {
    rowRelay = relay;
    const runs = [];
    for (let k = 1; k <= RUNS; k++) {
      const r = await runOnce(port, restPort, n);
      runs.push(r);
      console.log(`  ${spec}, ${n} session(s), run ${k}/${RUNS}: ${r.msgs.toFixed(0)} msgs/s, CPU ${r.cpu.toFixed(1)} %, latency p50 ${r.p50.toFixed(0)} µs, p99 ${r.p99.toFixed(0)} µs`);
    }
    const med = (k) => median(runs.map((r) => r[k]));
    const cpu = med("cpu");
    const main = med("main");
    rows.push([spec, n, fixed(med("msgs"), 0), fixed(med("msgs") / n, 0), fixed(cpu, 1), fixed(cpu / n, 1), fixed(main, 1), fixed((cpu - main) / n, 1),
      fixed(med("p50"), 0), fixed(med("p99"), 0), runs.map((r) => r.p50.toFixed(0)).join(" "), runs.map((r) => r.p99.toFixed(0)).join(" "), `${fixed(med("lag50"), 2)} / ${fixed(med("lag99"), 2)}`]);
  }
  console.log(`\n2 ms MONITOR per session, ${SECONDS} s per run, median of ${RUNS} run(s) per row (every run's latency shown); CPU is the Node-RED process (main thread and session workers) as % of one core`);
  table(rows);
  await new Promise((r) => helper.stopServer(r));
  receiver.send("exit");
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
