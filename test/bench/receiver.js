"use strict";
// The benchmarks' loopback receiver: the virtual controller in a process of its own, so its
// work never shares a thread with the sender being measured. It counts the trajectory points
// that reached the wire and times each one's arrival, to show lateness and drift as the
// controller would see them, and it can be suspended (sim.pause) to play a controller that
// freezes mid-run.
//
// Arrival lateness: point i is due at t0 + i·dt on the sender's side; the wire adds a delay the
// receiver cannot tell from the sender's t0, so the ideal arrival schedule is anchored at the
// point that arrived soonest after its own slot: lateness_i = (arrival_i − i·dt) − min over j of
// (arrival_j − j·dt). It is how much later than the quickest point each point arrived, which is
// what a controller's buffer has to absorb. i comes from the point's time_from_start (and its
// interval); in server mode (time_from_start −1) from the order of arrival.
const { startSimulator } = require("../../nodes/sim");

const POINT = "joint_traject_insert_point";
/** The start of a run that the buffer level's lowest leaves out. */
const WARM_UP_MS = 1000;

const TFS = /"time_from_start":(-?[0-9.eE+-]+)/;
const INTERVAL = /"interval":([0-9.eE+-]+)/;

function pct(sorted, q) {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

startSimulator({ port: 0, restPort: 0 }).then((sim) => {
  let count = 0;
  let first = 0n;
  let last = 0n;
  /** Per point: arrival − i·dt, in ns relative to the first arrival (a double holds ns exactly for hours). */
  let offsets = [];
  // The simulator keeps a capped list of received lines; the bench needs every point of a
  // long run and its arrival time, so it sees each line as the simulator records it.
  const record = sim.received.push.bind(sim.received);
  sim.received.push = (...lines) => {
    const at = process.hrtime.bigint();
    for (const line of lines) {
      if (!line.includes(POINT)) continue;
      last = at;
      if (count === 0) first = at;
      const tfs = Number(TFS.exec(line)?.[1] ?? -1);
      const interval = Number(INTERVAL.exec(line)?.[1] ?? 0);
      const index = tfs >= 0 && interval > 0 ? Math.round(tfs / interval) : count;
      offsets.push(Number(at - first) - index * interval * 1e9);
      count += 1;
    }
    return record(...lines);
  };
  let watcher;
  let watched = () => ({});
  process.send({ port: sim.port, restPort: sim.restPort });
  process.on("message", (m) => {
    if (m === "reset") {
      sim.received.length = 0;
      count = 0;
      offsets = [];
    } else if (m === "count") {
      const spanMs = Number(last - first) / 1e6;
      const anchor = offsets.reduce((a, b) => Math.min(a, b), Infinity);
      const late = offsets.map((o) => (o - anchor) / 1000).sort((a, b) => a - b);
      process.send({
        count,
        arrivalPeriodMs: count > 1 ? spanMs / (count - 1) : 0,
        spanMs,
        wire: { p50_us: pct(late, 0.5), p99_us: pct(late, 0.99), max_us: late.length ? late[late.length - 1] : 0, over_1ms: late.filter((l) => l > 1000).length },
      });
    } else if (m === "pause") {
      sim.pause(true);
      process.send({ received: count, executed: sim.robot.executedPoints });
    } else if (m === "resume") {
      // Read before the socket is, so every point the wake lets in counts as executed after it.
      const executed = sim.robot.executedPoints;
      sim.pause(false);
      process.send({ executed });
    } else if (m === "robot") {
      process.send({ received: count, executed: sim.robot.executedPoints, queued: sim.robot.queued });
    } else if (m && m.watch !== undefined) {
      // The buffer's lowest level while points of a run of m.watch points are still to come, sampled every ms.
      // Alarms are kept as they come: the abort's joint_traject_init that follows one clears it.
      sim.robot.resetArrivals();
      let lowest = Infinity;
      const alarms = new Set();
      clearInterval(watcher);
      // From one second after the first point on: the level the run keeps, not the first batch's fill.
      let firstAt;
      watcher = setInterval(() => {
        const { inserted } = sim.robot.arrivalCounts;
        if (inserted > 0) firstAt ??= performance.now();
        if (inserted > 0 && inserted < m.watch && performance.now() - firstAt >= WARM_UP_MS) lowest = Math.min(lowest, sim.robot.queued);
        const alarm = sim.robot.alarm;
        if (alarm) alarms.add(alarm.code);
      }, 1);
      watched = () => ({ lowest: Number.isFinite(lowest) ? lowest : 0, ...sim.robot.arrivalCounts, executed: sim.robot.executedPoints, alarm: [...alarms].join("+") });
      process.send({ watching: true });
    } else if (m === "watched") {
      clearInterval(watcher);
      process.send(watched());
    } else if (m === "exit") sim.close().then(() => process.exit(0));
  });
});
