"use strict";
// The benchmarks' loopback receiver: the virtual controller in a process of its own, so its
// work never shares a thread with the sender being measured. It counts what reached the wire.
const { startSimulator } = require("../../nodes/sim");

startSimulator({ port: 0, restPort: 0 }).then((sim) => {
  process.send({ port: sim.port, restPort: sim.restPort });
  process.on("message", (m) => {
    if (m === "reset") sim.received.length = 0;
    else if (m === "count") process.send({ count: sim.received.filter((l) => l.includes("joint_traject_insert_point")).length });
    else if (m === "exit") sim.close().then(() => process.exit(0));
  });
});
