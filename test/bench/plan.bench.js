"use strict";
// Plan building: a hi6-trajectory in the Node-RED runtime is sent a plan of the maximum size
// (1,000,000 points) from each source, against a virtual controller in another process. From
// the msg to the "sending" status the node reads the pose, builds the plan and runs pre-flight;
// a setImmediate chain on the main thread records the longest gap between two turns of the
// event loop in that time: how long another flow could have waited. On a shared machine that
// gap also holds time the OS gave to other processes, so the chain records as well the CPU
// time the process used between two turns (process.cpuUsage: the main thread, plus the GC's
// helper threads; the session worker is idle then). Each run is stopped at once. Beside it, the same build and pre-flight run all at once, which is how long one
// block of the main thread would have been without slices.
const path = require("node:path");
const { fork } = require("node:child_process");
const helper = require("node-red-node-test-helper");
const { MAX_PLAN_POINTS } = require("../../nodes/trajectory/plan");
const { runAtOnce } = require("../../nodes/trajectory/slices");
const { sineWork, pointsWork } = require("../../nodes/trajectory/sources");
const { waypointWork } = require("../../nodes/trajectory/waypoints");
const { preflightWork } = require("../../nodes/trajectory/preflight");
const { median, table } = require("./report");

helper.init(require.resolve("node-red"));
const entries = ["hi6-session", "hi6-trajectory"].map((t) => require(`../../nodes/${t}.js`));
const RUNS = Number(process.env.BENCH_RUNS || 7);
const HOME = [0, 90, 0, 0, -90, 0];
const DT = 0.002;
const DURATION = (MAX_PLAN_POINTS - 1) * DT;

const SOURCES = {
  sine: {
    payload: () => ({ sine: { amplitude_deg: 5, cycle_sec: 4, duration_sec: DURATION, joints: 2 } }),
    atOnce: () => runAtOnce(sineWork({ base: HOME, amplitude_deg: 5, cycle_sec: 4, duration_sec: DURATION, joints: 2, dt: DT, robotJoints: 6 })),
  },
  waypoints: {
    payload: () => ({ waypoints: [HOME, [15, 80, 10, 0, -90, 0], HOME], duration_sec: DURATION }),
    atOnce: () => runAtOnce(waypointWork({ waypoints: [HOME, [15, 80, 10, 0, -90, 0], HOME], duration_sec: DURATION, dt: DT, robotJoints: 6 })),
  },
  points: {
    payload: () => ({ points: pointRows() }),
    atOnce: () => runAtOnce(pointsWork(pointRows(), DT, 6)),
  },
};

let rows;
/** One msg's worth of explicit points, built once: the msg's own arrays are the flow's, not the node's, cost. */
function pointRows() {
  rows ??= Array.from({ length: MAX_PLAN_POINTS }, (_, i) => [10 * Math.sin((Math.PI * i) / (MAX_PLAN_POINTS - 1)), 90, 0, 0, -90, 0]);
  return rows;
}

function waitFor(predicate) {
  return new Promise((resolve) => {
    const poll = () => (predicate() ? resolve() : setTimeout(poll, 5));
    poll();
  });
}

async function main() {
  const receiver = fork(path.join(__dirname, "receiver.js"));
  const { port, restPort } = await new Promise((r) => receiver.once("message", r));
  await new Promise((r) => helper.startServer(r));
  await helper.load(entries, [
    { id: "s1", type: "hi6-session", host: "127.0.0.1", port, major: 1, restPort, reconnect: true },
    { id: "t1", type: "hi6-trajectory", session: "s1", dt: DT, startTolerance: 5, wires: [["r"], []] },
    { id: "r", type: "helper" },
  ]);
  const t = helper.getNode("t1");
  let status = "";
  const setStatus = t.status.bind(t);
  t.status = (s) => {
    status = typeof s === "object" && s !== null ? String(s.text ?? "") : "";
    return setStatus(s);
  };
  let results = 0;
  helper.getNode("r").on("input", () => results++);
  await waitFor(() => /^hi6-session\.status\.ready|^ready/.test(status));

  const table1 = [["source", "msg → sending ms", "longest gap ms", "longest gap ms, every run", "longest CPU between turns ms", "every run", "at once ms"]];
  for (const [name, source] of Object.entries(SOURCES)) {
    source.payload();
    const took = [];
    const gaps = [];
    const cpus = [];
    const once = [];
    for (let run = 0; run < RUNS; run++) {
      let worst = 0;
      let worstCpu = 0;
      let last = performance.now();
      let lastCpu = process.cpuUsage();
      let counting = true;
      const tick = () => {
        const now = performance.now();
        const cpu = process.cpuUsage(lastCpu);
        lastCpu = process.cpuUsage();
        worst = Math.max(worst, now - last);
        worstCpu = Math.max(worstCpu, (cpu.user + cpu.system) / 1000);
        last = now;
        if (/^hi6-trajectory\.status\.(starting|sending)/.test(status)) counting = false;
        if (counting) setImmediate(tick);
      };
      const before = results;
      const t0 = performance.now();
      t.receive({ payload: source.payload() });
      setImmediate(tick);
      await waitFor(() => !counting);
      took.push(performance.now() - t0);
      gaps.push(worst);
      cpus.push(worstCpu);
      t.receive({ payload: "stop" });
      await waitFor(() => results > before);
      const t1 = performance.now();
      const plan = source.atOnce();
      runAtOnce(preflightWork(plan, { jointCount: 6, currentPose: HOME }));
      once.push(performance.now() - t1);
      await new Promise((r) => setTimeout(r, 200));
    }
    const each = (values) => values.map((v) => v.toFixed(1)).join(" ");
    table1.push([name, median(took).toFixed(0), median(gaps).toFixed(1), each(gaps), median(cpus).toFixed(1), each(cpus), median(once).toFixed(0)]);
    console.log(`  done: ${name}`);
  }
  console.log(`\n${MAX_PLAN_POINTS} points of 6 joints, dt ${DT * 1000} ms, ${RUNS} runs per source, medians unless "every run"; the pose is read over HTTP first`);
  table(table1);
  await helper.unload();
  await new Promise((r) => helper.stopServer(r));
  receiver.send("exit");
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
