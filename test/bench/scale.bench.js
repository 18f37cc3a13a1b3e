"use strict";
// Scale: 1, 5 and 10 hi6-sessions, each with a 2 ms MONITOR in "all" mode, running in the
// Node-RED runtime (loaded through node-red-node-test-helper) against a virtual controller
// in another process. Reports CPU per session, delivered msgs/s, the latency from the socket
// chunk's arrival in the session worker to the monitor's node.send, and event-loop lag.
const path = require("node:path");
const { fork } = require("node:child_process");
const { monitorEventLoopDelay } = require("node:perf_hooks");
const helper = require("node-red-node-test-helper");
const { SessionProxy } = require("../../nodes/nodes/session/proxy");
const { table } = require("./report");

helper.init(require.resolve("node-red"));
const entries = ["hi6-session", "hi6-monitor"].map((t) => require(`../../nodes/${t}.js`));
const SECONDS = Number(process.env.BENCH_SECONDS || 10);
const COUNTS = (process.env.BENCH_SESSIONS || "1,5,10").split(",").map(Number);

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

function pct(sorted, q) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : 0;
}

async function main() {
  const receiver = fork(path.join(__dirname, "receiver.js"));
  const { port, restPort } = await new Promise((r) => receiver.once("message", r));
  await new Promise((r) => helper.startServer(r));
  const rows = [["sessions", "msgs/s total", "msgs/s per session", "CPU % total", "CPU % per session", "latency p50 µs", "latency p99 µs", "loop lag p50 ms", "loop lag p99 ms"]];
  for (const n of COUNTS) {
    const flow = [];
    for (let i = 0; i < n; i++) {
      flow.push({ id: `s${i}`, type: "hi6-session", host: "127.0.0.1", port, major: 1, restPort, reconnect: true });
      flow.push({ id: `m${i}`, type: "hi6-monitor", session: `s${i}`, url: "/project/robot/joints/joint_states", period: 2, args: "{}", autoStart: true, output: "all", interval: 100, wires: [[`h${i}`]] });
      flow.push({ id: `h${i}`, type: "helper" });
    }
    await helper.load(entries, flow);
    let delivered = 0;
    for (let i = 0; i < n; i++) helper.getNode(`h${i}`).on("input", () => delivered++);
    for (let i = 0; i < n; i++) timeSends(helper.getNode(`m${i}`));
    await new Promise((r) => setTimeout(r, 2000));
    latencies.length = 0;
    delivered = 0;
    const lag = monitorEventLoopDelay({ resolution: 1 });
    lag.enable();
    recording = true;
    const cpu0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    await new Promise((r) => setTimeout(r, SECONDS * 1000));
    const wall = Number(process.hrtime.bigint() - t0) / 1e9;
    const cpu = process.cpuUsage(cpu0);
    recording = false;
    lag.disable();
    await helper.unload();
    const cpuPct = (cpu.user + cpu.system) / 1e4 / wall;
    const sorted = latencies.slice().sort((a, b) => a - b);
    rows.push([n, (delivered / wall).toFixed(0), (delivered / wall / n).toFixed(0), cpuPct.toFixed(1), (cpuPct / n).toFixed(1),
      pct(sorted, 0.5).toFixed(0), pct(sorted, 0.99).toFixed(0), (lag.percentile(50) / 1e6).toFixed(2), (lag.percentile(99) / 1e6).toFixed(2)]);
    console.log(`  done: ${n} session(s)`);
    await new Promise((r) => setTimeout(r, 1000));
  }
  console.log(`\n2 ms MONITOR per session, ${SECONDS} s per row; CPU is the Node-RED process (main thread and session workers) as % of one core`);
  table(rows);
  await new Promise((r) => helper.stopServer(r));
  receiver.send("exit");
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
