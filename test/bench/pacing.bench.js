"use strict";
// Trajectory pacing at dt = 2 ms and 1 ms: our pacer in the session worker against three
// main-thread senders a user might write instead, and against the machine's floor (a thread
// that only sleeps and spins), in three conditions, BENCH_RUNS times each (5 by default; every
// run is printed, then the median). Each sender measures its own lateness (write time −
// scheduled time) with process.hrtime: the send side. The receiver, a virtual controller in
// another process, times each point's arrival against the ideal schedule: the wire side (see
// receiver.js). Levers of ours are rows of their own (BENCH_OURS, see leversFrom).
const fs = require("node:fs");
const net = require("node:net");
const path = require("node:path");
const { fork, spawn } = require("node:child_process");
const { Worker } = require("node:worker_threads");
const { SessionProxy } = require("../../nodes/nodes/session/proxy");
const { validateMonitorPayload } = require("../../nodes/protocol/validate");
const { sinePlan } = require("../../nodes/trajectory/sources");
const { insertPointLine } = require("../../nodes/trajectory/runner");
const { TimingStats } = require("../../nodes/trajectory/stats");
const { NdjsonFramer } = require("../../nodes/protocol/framer");
const { median, table } = require("./report");

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
const RUNS = Number(process.env.BENCH_RUNS || 5);

/**
 * One variant of ours per entry of BENCH_OURS (comma-separated; "default" is the shipped
 * settings), each a "+"-joined list of levers:
 *   sched=fifo|nice|none       the pacing thread's scheduling (default nice; fifo falls back to nice)
 *   margin=fixed|adaptive      the spin margin (default fixed at BENCH_MARGIN_US)
 *   encoder=template|recipe    how each point's line is built (default template)
 *   relay=turn|event           data to the main thread per turn of the worker's loop, or per event
 *   parse=worker|main          MONITOR data parsed on the pacing thread, or sent as text and parsed on the main thread
 * e.g. BENCH_OURS=default,sched=fifo,margin=adaptive,encoder=recipe,relay=event
 */
const LEVERS = {
  sched: { key: "scheduling", values: ["fifo", "nice", "none"] },
  margin: { key: "margin", values: ["fixed", "adaptive"] },
  encoder: { key: "encoder", values: ["template", "recipe"] },
  relay: { key: "batching", values: ["turn", "event"] },
  parse: { key: "parse", values: ["worker", "main"] },
};
function leversFrom(spec) {
  const out = {};
  if (spec === "default") return out;
  for (const part of spec.split("+")) {
    const [name, value] = part.split("=");
    const lever = LEVERS[name];
    if (lever === undefined || !lever.values.includes(value)) throw new Error(`unknown lever "${part}" in BENCH_OURS; levers: ${Object.entries(LEVERS).map(([n, l]) => `${n}=${l.values.join("|")}`).join(", ")}`);
    out[lever.key] = value;
  }
  return out;
}
// The floor asks for what the shipped settings do, unless BENCH_FLOOR_SCHED says otherwise (e.g. fifo, beside a sched=fifo row).
const FLOOR_SCHED = process.env.BENCH_FLOOR_SCHED || "nice";
const OURS = (process.env.BENCH_OURS || "default").split(",").map((spec) => ({ spec, levers: leversFrom(spec) }));

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

async function ours(port, restPort, plan, withMonitor, levers) {
  const proxy = new SessionProxy({ client: { host: "127.0.0.1", port }, restPort, relay: { batching: levers.batching ?? "turn", parse: levers.parse ?? "worker" } });
  await new Promise((resolve) => proxy.on("state", (s) => s.state === "ready" && resolve()));
  let samples = 0;
  if (withMonitor) {
    proxy.on("data", ({ event }) => { samples += JSON.stringify(event.result).length > 0 ? 1 : 0; });
    await proxy.monitor(validateMonitorPayload({ method: "GET", url: JOINTS, period_ms: 2 }).value, "bench");
  }
  const points = plan.points.slice();
  const request = { points, dt: plan.dt, jointCount: plan.jointCount, count: plan.count, ...OPTS, sendInit: true, stopOnAbort: false, lateTicks: "abort", maxSilenceMs: 0, marginUs: MARGIN_US, tag: "bench" };
  for (const key of ["scheduling", "margin", "encoder"]) if (levers[key] !== undefined) request[key] = levers[key];
  const result = await proxy.request("trajectory", request, [points.buffer]);
  await proxy.close({ stopSession: true });
  if (result.aborted) console.log(`  ours aborted after ${result.sent} points: ${result.reason} (${result.message})`);
  return { stats: result.stats, sent: result.sent, samples };
}

// ---- the machine's floor: a thread that only sleeps and spins ----------------------------

/** Same schedule, margin and scheduling as ours by default (nice); no socket. With the MONITOR condition, the stream still runs, read on the main thread, so the machine carries the same load. */
async function floor(port, plan, withMonitor) {
  const session = withMonitor ? await rawSession(port, true) : undefined;
  const worker = new Worker(path.join(__dirname, "floor-thread.js"), { workerData: { count: plan.count, dt: plan.dt, marginUs: MARGIN_US, margin: "fixed", scheduling: FLOOR_SCHED } });
  const summary = await new Promise((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
  });
  await worker.terminate();
  session?.sock.end('{"cmd":"STOP","payload":{"target":"session"}}\n');
  return { stats: summary, sent: plan.count, samples: session?.samples() ?? 0, local: true };
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

const FLOOR = "floor (sleep+spin thread)";

function oursName(spec) {
  return spec === "default" ? "ours (session worker)" : `ours [${spec}]`;
}

async function main() {
  const receiver = fork(path.join(__dirname, "receiver.js"));
  const { port, restPort } = await new Promise((r) => receiver.once("message", r));
  console.log(`receiver: virtual controller in pid ${receiver.pid}; ${SECONDS} s per run, ${RUNS} run(s) of each row\n`);
  const senders = { [FLOOR]: (plan, m) => floor(port, plan, m) };
  for (const { spec, levers } of OURS) senders[oursName(spec)] = (plan, m) => ours(port, restPort, plan, m, levers);
  for (const [name, loop] of Object.entries(mainThreadSenders)) senders[name] = (plan, m) => mainThread(loop, port, plan, m);
  const chosen = pick(Object.keys(senders), process.env.BENCH_SENDERS);

  for (const dt of DTS) {
    const plan = sinePlan({ base: HOME, amplitude_deg: 1, cycle_sec: 5, duration_sec: SECONDS, dt });
    const runs = [];
    for (const cname of pick(Object.keys(conditions), process.env.BENCH_CONDITIONS)) {
      const cond = conditions[cname];
      // Runs of one row are spread over the whole condition, senders taking turns, so a change in the machine's other load falls on all of them alike.
      for (let k = 1; k <= RUNS; k++) {
        for (const sname of chosen) {
          receiver.send("reset");
          const stop = await cond.start();
          const cpu0 = process.cpuUsage();
          const psi0 = cpuPressureUs();
          const w0 = now();
          const r = await senders[sname](plan, cond.monitor);
          const wall = Number(now() - w0) / 1e9;
          const cpu = process.cpuUsage(cpu0);
          const psi1 = cpuPressureUs();
          stop();
          await sleep(300);
          const arrived = await ask(receiver, "count");
          const run = { condition: cname, sender: sname, run: k, stats: r.stats, local: r.local === true, arrived, wall,
            cpuPct: (cpu.user + cpu.system) / 1e4 / wall,
            waitPct: psi0 === undefined || psi1 === undefined ? undefined : (psi1 - psi0) / 1e4 / wall };
          runs.push(run);
          console.log(`  dt ${dt * 1000} ms, ${cname}, ${sname}, run ${k}/${RUNS}: p99 ${r.stats.late_p99_us} µs send` + (run.local ? "" : `, ${arrived.wire.p99_us.toFixed(0)} µs wire`));
        }
      }
    }
    report(dt, plan, runs);
  }
  receiver.send("exit");
}

const dash = (v, f = (x) => x) => (v === undefined ? "-" : f(v));

function report(dt, plan, runs) {
  console.log(`\ndt = ${dt * 1000} ms, ${plan.count} points per run: every run`);
  const every = [["condition", "sender", "run", "p50 µs", "p99 µs", "max µs", ">1ms", ">10ms", "period ms", "wire p50 µs", "wire p99 µs", "wire max µs", "arrived", "drift ms", "CPU %", "CPU wait %", "scheduling", "margin µs", "GCs", "GC max ms"]];
  for (const r of runs) {
    const s = r.stats;
    const w = r.arrived.wire;
    every.push([r.condition, r.sender, r.run, s.late_p50_us, s.late_p99_us, s.late_max_us, s.late_over_1ms, s.late_over_10ms, s.period_mean_ms.toFixed(4),
      r.local ? "-" : w.p50_us.toFixed(0), r.local ? "-" : w.p99_us.toFixed(0), r.local ? "-" : w.max_us.toFixed(0),
      r.local ? "-" : `${r.arrived.count}/${plan.count}`,
      // The timeline's stretch as the receiver saw it: arrival span minus (n−1)·dt.
      r.local ? "-" : (r.arrived.spanMs - (r.arrived.count - 1) * dt * 1000).toFixed(1),
      r.cpuPct.toFixed(1), dash(r.waitPct, (v) => v.toFixed(1)), s.scheduling ?? "-", dash(s.margin_us), dash(s.gc_count), dash(s.gc_max_ms)]);
  }
  table(every);

  console.log(`\ndt = ${dt * 1000} ms: median over ${RUNS} run(s), every run's p99 in brackets`);
  const rows = [["condition", "sender", "p50 µs", "p99 µs", "(every run)", "wire p50 µs", "wire p99 µs", "(every run)", "max µs (worst)", ">10ms (all runs)", "period ms", "CPU %", "arrived (fewest)", "p99 / floor"]];
  const groups = new Map();
  for (const r of runs) {
    const key = `${r.condition}\u0000${r.sender}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(r);
  }
  const floorP99 = new Map();
  for (const [key, rs] of groups) if (key.endsWith(`\u0000${FLOOR}`)) floorP99.set(rs[0].condition, median(rs.map((r) => r.stats.late_p99_us)));
  for (const rs of groups.values()) {
    const { condition, sender, local } = rs[0];
    const p99 = median(rs.map((r) => r.stats.late_p99_us));
    const f = floorP99.get(condition);
    rows.push([condition, sender, median(rs.map((r) => r.stats.late_p50_us)), p99, rs.map((r) => r.stats.late_p99_us).join(" "),
      local ? "-" : median(rs.map((r) => r.arrived.wire.p50_us)).toFixed(0),
      local ? "-" : median(rs.map((r) => r.arrived.wire.p99_us)).toFixed(0),
      local ? "-" : rs.map((r) => r.arrived.wire.p99_us.toFixed(0)).join(" "),
      Math.max(...rs.map((r) => r.stats.late_max_us)), rs.reduce((a, r) => a + r.stats.late_over_10ms, 0),
      median(rs.map((r) => r.stats.period_mean_ms)).toFixed(4), median(rs.map((r) => r.cpuPct)).toFixed(1),
      local ? "-" : `${Math.min(...rs.map((r) => r.arrived.count))}/${plan.count}`,
      f === undefined ? "-" : (p99 / Math.max(f, 1)).toFixed(1) + "×"]);
  }
  table(rows);
  console.log("");
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
