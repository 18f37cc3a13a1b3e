"use strict";
// Stream against buffered mode, in one run, under what a Node-RED host goes through:
//  - its main thread blocked 20 ms every 500 ms, with a CPU-bound process beside it;
//  - the same, and the whole host suspended for BENCH_HOST_PAUSE_MS (200 ms) halfway through.
// The host (buffered-sender.js) and the virtual controller (receiver.js) run in processes of
// their own. Counted at the controller: the lowest level of its trajectory buffer while points
// were still to come, from one second into the run (in ms of motion), the points that arrived before their time (on time) out
// of those that arrived, and the alarm it ended with, if any (E2630: the buffer ran dry while the
// arm moved). Median of BENCH_RUNS runs (5), every run shown; BENCH_SECONDS (10) per run.
const path = require("node:path");
const { fork, spawn } = require("node:child_process");
const { median, table } = require("./report");

const RUNS = Number(process.env.BENCH_RUNS || 5);
const SECONDS = Number(process.env.BENCH_SECONDS || 10);
const HOST_PAUSE_MS = Number(process.env.BENCH_HOST_PAUSE_MS || 200);
const DT = 0.002;
const LOOK_AHEAD = 0.1;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function ask(child, msg) {
  return new Promise((resolve) => {
    child.once("message", resolve);
    child.send(msg);
  });
}

async function once(receiver, ports, mode, pauseHost) {
  const sender = fork(path.join(__dirname, "buffered-sender.js"));
  const hog = spawn(process.execPath, ["-e", "for (;;) {}"], { stdio: "ignore" });
  try {
    const got = [];
    sender.on("message", (m) => got.push(m));
    sender.send({ ...ports, mode, seconds: SECONDS, dt: DT, lookAhead: LOOK_AHEAD, block: true });
    while (!got.some((m) => m.ready)) await sleep(10);
    const total = got.find((m) => m.ready).total;
    await ask(receiver, { watch: total });
    sender.send("go");
    if (pauseHost) {
      // Half-way, a quarter swing on: joint 1 at its fastest, so a buffer that runs dry leaves the arm mid-motion.
      await sleep((SECONDS * 1000) / 2 + 250);
      sender.kill("SIGSTOP");
      await sleep(HOST_PAUSE_MS);
      sender.kill("SIGCONT");
    }
    while (!got.some((m) => m.result)) await sleep(20);
    // The run's end is the host's; the controller may still play what it holds.
    let c = await ask(receiver, "robot");
    while (c.queued > 0) {
      await sleep(50);
      c = await ask(receiver, "robot");
    }
    const at = await ask(receiver, "watched");
    const r = got.find((m) => m.result).result;
    return {
      lowestMs: at.lowest * DT * 1000,
      onTime: at.inserted - at.late,
      arrived: at.inserted,
      total,
      alarm: at.alarm || "-",
      ended: r.aborted ? r.reason : "done",
      calls: r.upload ? r.upload.calls : r.sent,
    };
  } finally {
    hog.kill("SIGKILL");
    sender.kill("SIGKILL");
  }
}

async function main() {
  const receiver = fork(path.join(__dirname, "receiver.js"));
  const ports = await new Promise((r) => receiver.once("message", r));
  console.log(`${SECONDS} s runs at dt ${DT * 1000} ms (stream look-ahead ${LOOK_AHEAD * 1000} ms); main thread blocked 20 ms / 500 ms and a CPU-bound process beside it in every row; ${RUNS} runs each\n`);
  const rows = [["condition", "mode", "lowest buffer ms (median)", "every run", "points on time (median)", "every run", "alarms", "run ended", "calls"]];
  for (const [condition, pauseHost] of [["blocked + CPU hog", false], [`+ host paused ${HOST_PAUSE_MS} ms`, true]]) {
    for (const mode of ["stream", "buffered"]) {
      const results = [];
      for (let i = 0; i < RUNS; i++) {
        const r = await once(receiver, ports, mode, pauseHost);
        results.push(r);
        console.log(`  ${condition}, ${mode}, run ${i + 1}: ${JSON.stringify(r)}`);
      }
      const lowest = results.map((r) => Number(r.lowestMs.toFixed(1)));
      const onTime = results.map((r) => r.onTime);
      rows.push([
        condition,
        mode,
        median(lowest),
        lowest.join(" "),
        `${median(onTime)} / ${results[0].total}`,
        results.map((r) => `${r.onTime}/${r.arrived}`).join(" "),
        results.map((r) => r.alarm).join(" "),
        [...new Set(results.map((r) => r.ended))].join(", "),
        median(results.map((r) => r.calls)),
      ]);
    }
  }
  console.log("");
  table(rows);
  receiver.send("exit");
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
