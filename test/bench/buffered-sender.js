"use strict";
// The Node-RED host of the buffered bench, in a process of its own so the bench can suspend it
// whole (SIGSTOP), as a paused VM or a stopped container would be: a session worker
// (SessionProxy) runs one trajectory in the mode it is told, while this process's main thread is
// blocked for BLOCK_MS every BLOCK_EVERY_MS when asked, as a busy flow would block Node-RED's.
const { SessionProxy } = require("../../nodes/nodes/session/proxy");
const { planFromRows } = require("../../nodes/trajectory/plan");

const BLOCK_MS = 20;
const BLOCK_EVERY_MS = 500;
const HOME = [0, 90, 0, 0, -90, 0];

/** `seconds` of joint 1 swinging out 5 deg and back once a second, at rest at both ends. */
function swing(seconds, dt) {
  const n = Math.round(seconds / dt) + 1;
  const rows = Array.from({ length: n }, (_, i) => {
    const q = [...HOME];
    q[0] = 5 * Math.sin(Math.PI * i * dt) ** 2;
    return q;
  });
  return planFromRows(rows, dt);
}

process.once("message", async (m) => {
  const proxy = new SessionProxy({ client: { host: "127.0.0.1", port: m.port }, restPort: m.restPort });
  await new Promise((resolve) => proxy.on("state", (s) => s.state === "ready" && resolve()));
  let blocker;
  if (m.block) {
    blocker = setInterval(() => {
      const until = Date.now() + BLOCK_MS;
      while (Date.now() < until);
    }, BLOCK_EVERY_MS);
  }
  const plan = swing(m.seconds, m.dt);
  process.send({ ready: true, total: plan.count });
  // The controller's counters are armed before the first point goes.
  await new Promise((resolve) => process.once("message", resolve));
  const r = await proxy.request(
    "trajectory",
    { points: plan.points, dt: plan.dt, jointCount: plan.jointCount, count: plan.count, lookAhead: m.lookAhead, timeFromStart: "elapsed", sendInit: true, stopOnAbort: true, lateTicks: "abort", maxSilenceMs: 0, marginUs: 300, tag: "bench", mode: m.mode, openApi: { host: "127.0.0.1", port: m.restPort } },
    [plan.points.buffer],
  );
  clearInterval(blocker);
  await proxy.close({ stopSession: true });
  process.send({ result: r });
});
