"use strict";
// The virtual controller in a process of its own, for tests and benchmarks that block or
// flood this process's main thread: a controller in the same process would stop sending
// whenever the flow under test blocks, and its flood would share the thread it floods.
// Run as a child it serves startSimulator on ephemeral ports; required, it starts that child.
const { fork } = require("node:child_process");

if (require.main === module) {
  const { startSimulator } = require("../../nodes/sim");
  startSimulator({ port: 0, restPort: 0 }).then((sim) => {
    process.on("message", (m) => {
      if (m.type === "faults") sim.setFaults(m.faults);
      else if (m.type === "exit") return void sim.close().then(() => process.exit(0));
      process.send({ type: "reply", id: m.id, connections: sim.connectionCount() });
    });
    process.on("disconnect", () => process.exit(0));
    process.send({ type: "ready", port: sim.port, restPort: sim.restPort });
  });
} else {
  /** Starts the child; resolves with its ports and a small API to steer it. */
  module.exports.startSimProcess = async function startSimProcess() {
    const child = fork(__filename, [], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
    const kill = () => child.exitCode === null && child.kill("SIGKILL");
    process.once("exit", kill);
    const { port, restPort } = await new Promise((resolve, reject) => {
      child.once("error", reject);
      child.once("message", resolve);
    });
    let nextId = 1;
    const ask = (msg) =>
      new Promise((resolve) => {
        const id = nextId++;
        const onReply = (m) => {
          if (m.type !== "reply" || m.id !== id) return;
          child.off("message", onReply);
          resolve(m);
        };
        child.on("message", onReply);
        child.send({ ...msg, id });
      });
    return {
      port,
      restPort,
      /** Replaces the controller's faults, as Simulator.setFaults does; resolves once they apply. */
      setFaults: (faults) => ask({ type: "faults", faults }),
      connectionCount: async () => (await ask({ type: "count" })).connections,
      close: async () => {
        process.off("exit", kill);
        if (child.exitCode !== null) return;
        const exited = new Promise((r) => child.once("exit", r));
        child.send({ type: "exit" });
        await exited;
      },
    };
  };
}
