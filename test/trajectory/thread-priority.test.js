"use strict";
const assert = require("node:assert/strict");
const fs = require("node:fs");
const os = require("node:os");
const { startSimulator } = require("../../nodes/sim");
const { SessionProxy } = require("../../nodes/nodes/session/proxy");
const { sinePlan } = require("../../nodes/trajectory/sources");
const { PACING_NICE } = require("../../nodes/nodes/session/thread-priority");
const { until } = require("../support/wait");

/** The nice value of every thread of this process, from /proc (Linux). */
function threadNices() {
  return fs.readdirSync("/proc/self/task").map((tid) => {
    const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
    // Fields after the command name, which is in parentheses: state is field 3, nice is field 19.
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16]);
  });
}

const linux = process.platform === "linux";
const mayRaise = linux && process.getuid && process.getuid() === 0;

(linux ? describe : describe.skip)("trajectory: the pacing thread's priority", function () {
  let sim;
  let proxy;

  afterEach(async () => {
    if (proxy) await proxy.close({ stopSession: false });
    if (sim) await sim.close();
    proxy = sim = undefined;
  });

  it(`is raised to nice ${PACING_NICE} for the run where the OS allows it, reported in stats.thread_nice, and given back after`, async () => {
    sim = await startSimulator({ port: 0, restPort: 0 });
    proxy = new SessionProxy({ client: { host: "127.0.0.1", port: sim.port }, restPort: sim.restPort });
    await new Promise((resolve) => proxy.on("state", (s) => s.state === "ready" && resolve()));
    const own = os.getPriority();
    const plan = sinePlan({ base: [0, 90, 0, 0, -90, 0], amplitude_deg: 1, cycle_sec: 1, duration_sec: 1, dt: 0.002 });
    const points = plan.points.slice();
    const seen = new Set();
    let running = true;
    const done = proxy
      .request("trajectory", { points, dt: plan.dt, jointCount: plan.jointCount, count: plan.count, lookAhead: 0.04, timeFromStart: "elapsed", sendInit: true, stopOnAbort: false, marginUs: 300, tag: "t" }, [points.buffer])
      .finally(() => (running = false));
    await until(() => {
      for (const n of threadNices()) seen.add(n);
      return !running || (mayRaise && seen.has(PACING_NICE));
    }, "the run");
    const result = await done;
    assert.equal(result.sent, plan.count);
    if (mayRaise) {
      assert.ok(seen.has(PACING_NICE), `a thread ran at nice ${PACING_NICE} during the run`);
      assert.equal(result.stats.thread_nice, PACING_NICE);
    } else {
      assert.equal(result.stats.thread_nice, own, "without the right to raise it, the thread keeps its priority");
    }
    await until(() => !threadNices().includes(PACING_NICE) || own === PACING_NICE, "the priority given back");
  });
});
