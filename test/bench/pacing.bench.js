"use strict";
// Trajectory pacing at dt = 2 ms and 1 ms: our pacer in the session worker against three
// main-thread senders a user might write instead, in three conditions. Each sender measures
// its own lateness (write time − scheduled time) with process.hrtime; the receiver counts
// what arrived and times it, so drift shows as the controller would see it. Prints p50/p99/max
// lateness, misses, mean period, CPU, the machine's CPU wait (other load colours every figure
// on a shared host) and each sender's p99 against ours.
const fs = require("node:fs");
const net = require("node:net");
const path = require("node:path");
const { fork, spawn } = require("node:child_process");
const { SessionProxy } = require("../../nodes/nodes/session/proxy");
const { sinePlan } = require("../../nodes/trajectory/sources");
const { insertPointLine } = require("../../nodes/trajectory/runner");
const { TimingStats } = require("../../nodes/trajectory/stats");
const { NdjsonFramer } = require("../../nodes/protocol/framer");
const { table } = require("./report");

const SECONDS = Number(process.env.BENCH_SECONDS || 10);
const DTS = (process.env.BENCH_DTS || "0.002,0.001").split(",").map(Number);
// Comma-separated name fragments to run only some senders or conditions, e.g. BENCH_SENDERS=ours.
const pick = (names, env) => names.filter((n) => !env || env.split(",").some((f) => n.includes(f)));
const HOME = [0, 90, 0, 0, -90, 0];
const JOINTS = "/project/robot/joints/joint_states";
const now = () => process.hrtime.bigint();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const OPTS = { lookAhead: 0.04, timeFromStart: "elapsed" };
const MARGIN_US = Number(process.env.BENCH_MARGIN_US || 300);

// ---- conditions --------------------------------------------------------------------------

const conditions = {
  idle: { start: async () => () => undefined, monitor: false },
  "cpu-bound neighbour": {
    monitor: false,
    start: async () => {
      const hog = spawn(process.execPath, ["-e", "for (;;) {}"], { stdio: "ignore" });
      await sleep(200);
      return () => hog.kill("SIGKILL");
    },
  },
  "main thread blocked 20ms/500ms + 2ms MONITOR": {
    monitor: true,
    start: async () => {
      const timer = setInterval(() => {
        const end = now() + 20_000_000n;
        while (now() < end);
      }, 500);
      return () => clearInterval(timer);
    },
  },
};

// ---- our sender: the real session worker -------------------------------------------------

async function ours(port, restPort, plan, withMonitor) {
  const proxy = new SessionProxy({ client: { host: "127.0.0.1", port }, restPort });
  await new Promise((resolve) => proxy.on("state", (s) => s.state === "ready" && resolve()));
  let samples = 0;
  if (withMonitor) {
    proxy.on("data", ({ event }) => { samples += JSON.stringify(event.result).length > 0 ? 1 : 0; });
    await proxy.monitor({ url: JOINTS, period_ms: 2 }, "bench");
  }
  const points = plan.points.slice();
  const result = await proxy.request("trajectory", { points, dt: plan.dt, jointCount: plan.jointCount, count: plan.count, ...OPTS, sendInit: true, stopOnAbort: false, lateTicks: "abort", maxSilenceMs: 0, marginUs: MARGIN_US, tag: "bench" }, [points.buffer]);
  await proxy.close({ stopSession: true });
  if (result.aborted) console.log(`  ours aborted after ${result.sent} points: ${result.reason} (${result.message})`);
  return { stats: result.stats, sent: result.sent, samples };
}

// ---- main-thread senders -----------------------------------------------------------------

async function rawSession(port, withMonitor) {
  const sock = net.connect(port, "127.0.0.1");
  sock.setNoDelay(true);
  let samples = 0;
  let acked;
  const ready = new Promise((r) => (acked = r));
  const framer = new NdjsonFramer({
    line: (l) => {
      const e = JSON.parse(l);
      if (e.type === "handshake_ack") acked();
      else if (e.type === "data") samples++;
    },
    overflow() {},
  });
  sock.on("data", (c) => framer.push(c));
  await new Promise((r) => sock.once("connect", r));
  sock.write('{"cmd":"HANDSHAKE","payload":{"major":1}}\n');
  await ready;
  if (withMonitor) sock.write(`{"cmd":"MONITOR","payload":{"method":"GET","url":"${JOINTS}","period_ms":2}}\n`);
  return { sock, samples: () => samples };
}

/**
 * setTimeout(dt) after every write: the loop most flows start with. Its points still promise
 * time_from_start = i·dt, so it is measured against t0 + i·dt too: its drift grows into lateness.
 */
function naiveLoop(plan, sock, stats) {
  const dtMs = plan.dt * 1000;
  const period = BigInt(Math.round(plan.dt * 1e9));
  return new Promise((resolve) => {
    let i = 0;
    const t0 = now() + 2_000_000n;
    const tick = () => {
      const t = now();
      sock.write(insertPointLine(plan, i, OPTS));
      stats.record(t - (t0 + BigInt(i) * period), t);
      if (++i < plan.count) setTimeout(tick, dtMs);
      else resolve();
    };
    setTimeout(tick, 2);
  });
}

/** The vendor example's loop: write, then sleep until t0 + (i+1)·dt (time.sleep becomes setTimeout). */
async function vendorLoop(plan, sock, stats) {
  const period = BigInt(Math.round(plan.dt * 1e9));
  const t0 = now();
  for (let i = 0; i < plan.count; i++) {
    const t = now();
    sock.write(insertPointLine(plan, i, OPTS));
    stats.record(t - (t0 + BigInt(i) * period), t);
    const remainMs = Number(t0 + BigInt(i + 1) * period - now()) / 1e6;
    if (remainMs > 0) await sleep(remainMs);
  }
}

/** A main-thread hybrid: setTimeout to ~1.5 ms before the deadline, then spin. */
async function hybridLoop(plan, sock, stats) {
  const period = BigInt(Math.round(plan.dt * 1e9));
  const t0 = now() + 2_000_000n;
  for (let i = 0; i < plan.count; i++) {
    const deadline = t0 + BigInt(i) * period;
    const early = Number(deadline - now()) / 1e6 - 1.5;
    if (early > 0) await sleep(early);
    while (now() < deadline);
    const t = now();
    sock.write(insertPointLine(plan, i, OPTS));
    stats.record(t - deadline, t);
    await new Promise((r) => setImmediate(r));
  }
}

const mainThreadSenders = { "setTimeout(dt)": naiveLoop, "vendor example loop": vendorLoop, "main-thread hybrid": hybridLoop };

async function mainThread(loop, port, plan, withMonitor) {
  const { sock, samples } = await rawSession(port, withMonitor);
  const stats = new TimingStats(plan.dt);
  sock.write('{"cmd":"CONTROL","payload":{"method":"POST","url":"/project/robot/trajectory/joint_traject_init","body":{}}}\n');
  await loop(plan, sock, stats);
  sock.end('{"cmd":"STOP","payload":{"target":"session"}}\n');
  return { stats: stats.summary(), sent: plan.count, samples: samples() };
}

// ---- the run -----------------------------------------------------------------------------

/** Microseconds in which some runnable task waited for a CPU (Linux PSI); undefined elsewhere. */
function cpuPressureUs() {
  try {
    const m = /^some .*total=(\d+)/m.exec(fs.readFileSync("/proc/pressure/cpu", "utf8"));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

function ask(child, msg) {
  return new Promise((resolve) => {
    child.once("message", resolve);
    child.send(msg);
  });
}

async function main() {
  const receiver = fork(path.join(__dirname, "receiver.js"));
  const { port, restPort } = await new Promise((r) => receiver.once("message", r));
  console.log(`receiver: virtual controller in pid ${receiver.pid}; ${SECONDS} s per run\n`);
  const senders = { "ours (session worker)": (plan, m) => ours(port, restPort, plan, m) };
  for (const [name, loop] of Object.entries(mainThreadSenders)) senders[name] = (plan, m) => mainThread(loop, port, plan, m);

  for (const dt of DTS) {
    const plan = sinePlan({ base: HOME, amplitude_deg: 1, cycle_sec: 5, duration_sec: SECONDS, dt });
    const rows = [["condition", "sender", "p50 µs", "p99 µs", "max µs", ">1ms", ">10ms", "period ms", "CPU %", "arrived", "arr. period ms", "drift ms", "CPU wait %", "nice", "p99 / ours"]];
    for (const cname of pick(Object.keys(conditions), process.env.BENCH_CONDITIONS)) {
      const cond = conditions[cname];
      let oursP99;
      for (const sname of pick(Object.keys(senders), process.env.BENCH_SENDERS)) {
        const run = senders[sname];
        receiver.send("reset");
        const stop = await cond.start();
        const cpu0 = process.cpuUsage();
        const psi0 = cpuPressureUs();
        const w0 = now();
        const r = await run(plan, cond.monitor);
        const wall = Number(now() - w0) / 1e9;
        const cpu = process.cpuUsage(cpu0);
        const psi1 = cpuPressureUs();
        stop();
        await sleep(300);
        const { count, arrivalPeriodMs, spanMs } = await ask(receiver, "count");
        const s = r.stats;
        if (sname.startsWith("ours")) oursP99 = s.late_p99_us;
        rows.push([cname, sname, s.late_p50_us, s.late_p99_us, s.late_max_us, s.late_over_1ms, s.late_over_10ms, s.period_mean_ms.toFixed(4),
          ((cpu.user + cpu.system) / 1e4 / wall).toFixed(1), `${count}/${plan.count}`, arrivalPeriodMs.toFixed(4),
          // The timeline's stretch as the receiver saw it: arrival span minus (n−1)·dt.
          (spanMs - (count - 1) * dt * 1000).toFixed(1),
          psi0 === undefined || psi1 === undefined ? "-" : ((psi1 - psi0) / 1e4 / wall).toFixed(1),
          // The pacing thread's priority during the run: raised where the OS allows it (root or CAP_SYS_NICE).
          s.thread_nice ?? "-",
          oursP99 === undefined ? "-" : (s.late_p99_us / Math.max(oursP99, 1)).toFixed(1) + "×"]);
        console.log(`  done: dt ${dt * 1000} ms, ${cname}, ${sname}`);
      }
    }
    console.log(`\ndt = ${dt * 1000} ms, ${plan.count} points per run`);
    table(rows);
    console.log("");
  }
  receiver.send("exit");
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
