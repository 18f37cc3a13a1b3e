"use strict";
// The benchmarks' loopback receiver: the virtual controller in a process of its own, so its
// work never shares a thread with the sender being measured. It counts the trajectory points
// that reached the wire and times their arrival, to show drift as the controller would see it,
// and it can be suspended (sim.pause) to play a controller that freezes mid-run.
const { startSimulator } = require("../../nodes/sim");

const POINT = "joint_traject_insert_point";
/** The start of a run that the buffer level's lowest leaves out. */
const WARM_UP_MS = 1000;

startSimulator({ port: 0, restPort: 0 }).then((sim) => {
  let count = 0;
  let first = 0n;
  let last = 0n;
  // The simulator keeps a capped list of received lines; the bench needs every point of a
  // long run and its arrival time, so it sees each line as the simulator records it.
  const record = sim.received.push.bind(sim.received);
  sim.received.push = (...lines) => {
    for (const line of lines) {
      if (!line.includes(POINT)) continue;
      last = process.hrtime.bigint();
      if (count === 0) first = last;
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
    } else if (m === "count") {
      const spanMs = Number(last - first) / 1e6;
      process.send({ count, arrivalPeriodMs: count > 1 ? spanMs / (count - 1) : 0, spanMs });
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
