"use strict";
// A controller that freezes mid-run: the virtual controller, in a process of its own, is
// suspended for BENCH_PAUSE_MS (5 s) two seconds into a 2 ms trajectory with a 40 ms look-ahead,
// then resumed. Counted: the points the client wrote after the freeze, the points the robot
// executed after it woke (stale motion), and how long the client took to end the run.
// Baseline, in the same run: the first release's loop, which had no liveness check, caught up
// on late ticks and sent no STOP after an abort; it is ended by hand just before the wake so
// only its backlog is counted. Ours runs through the real session worker, with and without a
// 2 ms MONITOR of the user's on the session. Median of BENCH_RUNS runs, every run shown.
const path = require("node:path");
const { fork } = require("node:child_process");
const { OpenStreamClient } = require("../../nodes/client/OpenStreamClient");
const { SessionProxy } = require("../../nodes/nodes/session/proxy");
const { validateMonitorPayload } = require("../../nodes/protocol/validate");
const { sinePlan } = require("../../nodes/trajectory/sources");
const { runTrajectory } = require("../../nodes/trajectory/runner");
const { median, table } = require("./report");

const RUNS = Number(process.env.BENCH_RUNS || 5);
const PAUSE_MS = Number(process.env.BENCH_PAUSE_MS || 5000);
const PAUSE_AFTER_MS = 2000;
const DT = 0.002;
const LOOK_AHEAD = 0.04;
const HOME = [0, 90, 0, 0, -90, 0];
const JOINTS = "/project/robot/joints/joint_states";
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const now = () => process.hrtime.bigint();

function ask(child, msg) {
  return new Promise((resolve) => {
    child.once("message", resolve);
    child.send(msg);
  });
}

/** Waits until the controller has read everything and its buffer is empty. */
async function settled(child) {
  let last = -1;
  for (;;) {
    const r = await ask(child, "robot");
    if (r.queued === 0 && r.received === last) return r;
    last = r.received;
    await sleep(200);
  }
}

const plan = () => sinePlan({ base: HOME, amplitude_deg: 1, cycle_sec: 5, duration_sec: 30, dt: DT });

/** The first release: the pacer on a bare client, catching up late ticks, no gate, no STOP after. */
async function firstRelease(child, port) {
  const client = new OpenStreamClient({ host: "127.0.0.1", port, reconnect: false });
  client.on("error", () => undefined);
  client.start();
  await new Promise((r) => client.on("state", (s) => s.state === "ready" && r()));
  const p = plan();
  const run = runTrajectory(p, { write: (line) => client.writeLine(line) }, { lookAhead: LOOK_AHEAD, timeFromStart: "elapsed", sendInit: true, lateTicks: "catch_up" });
  await sleep(PAUSE_AFTER_MS);
  const paused = await ask(child, "pause");
  await sleep(PAUSE_MS);
  run.abort("stop");
  const r = await run.done;
  const wake = await ask(child, "resume");
  const end = await settled(child);
  await client.close({ stopSession: false });
  // It never ends by itself: the time to the end is not a figure of it.
  return { writtenAfter: r.sent - paused.received, executedAfter: end.executed - wake.executed, reason: r.reason === "stop" ? "none (ended by hand)" : r.reason, abortMs: NaN };
}

async function ours(child, port, restPort, withMonitor) {
  const proxy = new SessionProxy({ client: { host: "127.0.0.1", port }, restPort });
  await new Promise((resolve) => proxy.on("state", (s) => s.state === "ready" && resolve()));
  if (withMonitor) await proxy.monitor(validateMonitorPayload({ method: "GET", url: JOINTS, period_ms: 2 }).value, "bench");
  const p = plan();
  const done = proxy.request("trajectory", { points: p.points, dt: p.dt, jointCount: p.jointCount, count: p.count, lookAhead: LOOK_AHEAD, timeFromStart: "elapsed", sendInit: true, stopOnAbort: true, lateTicks: "abort", maxSilenceMs: 0, marginUs: 300, tag: "bench" }, [p.points.buffer]);
  let abortedAt;
  done.then(() => (abortedAt = now()), () => (abortedAt = now()));
  await sleep(PAUSE_AFTER_MS);
  const paused = await ask(child, "pause");
  const t0 = now();
  await sleep(PAUSE_MS);
  const wake = await ask(child, "resume");
  const r = await done;
  const end = await settled(child);
  await proxy.close({ stopSession: true });
  return { writtenAfter: r.sent - paused.received, executedAfter: end.executed - wake.executed, reason: r.reason, abortMs: abortedAt === undefined ? NaN : Number(abortedAt - t0) / 1e6 };
}

async function main() {
  const child = fork(path.join(__dirname, "receiver.js"));
  const { port, restPort } = await new Promise((r) => child.once("message", r));
  console.log(`controller suspended for ${PAUSE_MS} ms, ${PAUSE_AFTER_MS} ms into a run; dt ${DT * 1000} ms, look-ahead ${LOOK_AHEAD * 1000} ms; ${RUNS} runs each\n`);
  const senders = {
    "first release (no liveness, catch-up, no STOP)": () => firstRelease(child, port),
    "ours, no MONITOR": () => ours(child, port, restPort, false),
    "ours, 2 ms MONITOR": () => ours(child, port, restPort, true),
  };
  const rows = [["sender", "executed after wake (median)", "every run", "written after freeze (median)", "every run", "run ended after (ms, median)", "reason"]];
  for (const [name, run] of Object.entries(senders)) {
    const results = [];
    for (let i = 0; i < RUNS; i++) {
      child.send("reset");
      results.push(await run());
      console.log(`  ${name}, run ${i + 1}: ${JSON.stringify(results[results.length - 1])}`);
    }
    const col = (k) => results.map((r) => (Number.isNaN(r[k]) ? NaN : Math.round(r[k])));
    const ended = col("abortMs");
    rows.push([name, median(col("executedAfter")), col("executedAfter").join(" "), median(col("writtenAfter")), col("writtenAfter").join(" "), ended.every(Number.isNaN) ? "-" : median(ended), [...new Set(results.map((r) => r.reason))].join(", ")]);
  }
  console.log("");
  table(rows);
  child.send("exit");
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
