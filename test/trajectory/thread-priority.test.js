"use strict";
const assert = require("node:assert/strict");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { startSimulator } = require("../../nodes/sim");
const { SessionProxy } = require("../../nodes/nodes/session/proxy");
const { sinePlan } = require("../../nodes/trajectory/sources");
const { PACING_NICE, PACING_RT_PRIORITY, raiseThreadPriority } = require("../../nodes/nodes/session/thread-priority");
const { until } = require("../support/wait");

/** The nice value of every thread of this process, from /proc (Linux). */
function threadNices() {
  return fs.readdirSync("/proc/self/task").map((tid) => {
    const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
    // Fields after the command name, which is in parentheses: state is field 3, nice is field 19.
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16]);
  });
}

/** Each thread's scheduling policy and real-time priority (fields 41 and 40 of its stat), as "fifo 10" or "other". */
function threadPolicies() {
  return fs.readdirSync("/proc/self/task").map((tid) => {
    const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return f[38] === "1" ? `fifo ${f[37]}` : f[38] === "2" ? `rr ${f[37]}` : "other";
  });
}

/** True where `chrt` is on the PATH (util-linux). */
function hasChrt() {
  return (process.env.PATH || "").split(":").some((d) => d && fs.existsSync(`${d}/chrt`));
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

  async function ready() {
    sim = await startSimulator({ port: 0, restPort: 0 });
    proxy = new SessionProxy({ client: { host: "127.0.0.1", port: sim.port }, restPort: sim.restPort });
    await new Promise((resolve) => proxy.on("state", (s) => s.state === "ready" && resolve()));
  }

  function runPlan(extra) {
    const plan = sinePlan({ base: [0, 90, 0, 0, -90, 0], amplitude_deg: 1, cycle_sec: 1, duration_sec: 1, dt: 0.002 });
    const points = plan.points.slice();
    const state = { running: true, plan };
    state.done = proxy
      .request("trajectory", { points, dt: plan.dt, jointCount: plan.jointCount, count: plan.count, lookAhead: 0.04, timeFromStart: "elapsed", sendInit: true, stopOnAbort: false, marginUs: 300, tag: "t", lateTicks: "catch_up", maxSilenceMs: 10_000, ...extra }, [points.buffer])
      .finally(() => (state.running = false));
    return state;
  }

  (mayRaise && hasChrt() ? it : it.skip)(`SCHED_FIFO, asked for: with the right, the pacing thread runs real-time (chrt -f ${PACING_RT_PRIORITY}) for the run, stats.scheduling says so, and ordinary scheduling comes back after`, async () => {
    await ready();
    const rt = `fifo ${PACING_RT_PRIORITY}`;
    assert.ok(!threadPolicies().includes(rt), "no thread is real-time before the run");
    const run = runPlan({ scheduling: "fifo" });
    let seen = false;
    await until(() => (seen ||= threadPolicies().includes(rt)) || !run.running, "the run");
    const result = await run.done;
    assert.equal(result.sent, run.plan.count);
    assert.ok(seen, "a thread ran SCHED_FIFO during the run");
    assert.equal(result.stats.scheduling, rt);
    await until(() => !threadPolicies().includes(rt), "the ordinary policy given back");
  });

  it('scheduling "nice" asks for no real-time policy: stats.scheduling names the nice value the run had', async () => {
    await ready();
    const run = runPlan({ scheduling: "nice" });
    const result = await run.done;
    assert.equal(result.sent, run.plan.count);
    assert.equal(result.stats.scheduling, `nice ${result.stats.thread_nice}`);
    if (mayRaise) assert.equal(result.stats.thread_nice, PACING_NICE);
  });

  it("SCHED_FIFO falls back to nice where chrt is missing or refused, and the thread is given back its priority", async () => {
    const own = os.getPriority();
    const p = await raiseThreadPriority("fifo", { chrt: "/nonexistent/chrt" });
    try {
      assert.equal(p.scheduling, `nice ${p.nice}`, "not real-time");
      assert.equal(p.nice, mayRaise ? PACING_NICE : own);
    } finally {
      await p.restore();
    }
    assert.equal(os.getPriority(), own);
  });

  it("a chrt that never answers does not hold the thread: the run goes ahead at nice once it times out", async function () {
    this.timeout(10_000);
    const own = os.getPriority();
    // A program that ignores its arguments, says it was started, and outlives the timeout (30 s, past this test's own 10 s).
    const hang = path.join(os.tmpdir(), `hi6-hanging-chrt-${process.pid}`);
    const started = `${hang}.started`;
    fs.writeFileSync(hang, `#!/bin/sh\ntouch "${started}"\nexec sleep 30\n`, { mode: 0o755 });
    try {
      let turns = 0;
      const ticking = setInterval(() => turns++, 10);
      const p = await raiseThreadPriority("fifo", { chrt: hang });
      clearInterval(ticking);
      // Answered without the program's answer: only the CHRT_TIMEOUT_MS deadline can have ended the wait.
      assert.ok(fs.existsSync(started), "chrt was asked");
      assert.ok(turns > 0, "and the thread's event loop kept turning meanwhile");
      assert.equal(p.scheduling, `nice ${p.nice}`);
      await p.restore();
    } finally {
      fs.rmSync(hang, { force: true });
      fs.rmSync(started, { force: true });
    }
    assert.equal(os.getPriority(), own);
  });

  it('scheduling "none" leaves the thread as it was', async () => {
    const own = os.getPriority();
    const p = await raiseThreadPriority("none");
    assert.deepEqual([p.nice, p.scheduling], [own, `nice ${own}`]);
    await p.restore();
    assert.equal(os.getPriority(), own);
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
      .request("trajectory", { points, dt: plan.dt, jointCount: plan.jointCount, count: plan.count, lookAhead: 0.04, timeFromStart: "elapsed", sendInit: true, stopOnAbort: false, marginUs: 300, tag: "t", lateTicks: "catch_up", maxSilenceMs: 10_000 }, [points.buffer])
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
