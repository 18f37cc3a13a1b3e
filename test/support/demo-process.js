"use strict";
// Runs the demo launcher (a real Node-RED runtime with every example) against a virtual
// controller the test owns, on free ports, in a temporary user dir; and stops it cleanly.
const fs = require("node:fs");
const http = require("node:http");
const net = require("node:net");
const os = require("node:os");
const path = require("node:path");
const { spawn } = require("node:child_process");
const { startSimulator } = require("../../nodes/sim");
const { until } = require("./wait");

const ROOT = path.resolve(__dirname, "../..");

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function request(port, method, urlPath) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, path: urlPath, method }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode }));
    });
    req.on("error", reject);
    req.end();
  });
}

async function startDemo() {
  const sim = await startSimulator({ port: 0, restPort: 0 });
  const port = await freePort();
  const userDir = fs.mkdtempSync(path.join(os.tmpdir(), "hi6-demo-"));
  const child = spawn(process.execPath, [path.join(ROOT, "nodes/demo/start.js")], {
    env: { ...process.env, PORT: String(port), DEMO_USER_DIR: userDir, DEMO_SIM_PORT: String(sim.port), DEMO_REST_PORT: String(sim.restPort) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  child.stdout.on("data", (d) => (log += d));
  child.stderr.on("data", (d) => (log += d));
  await until(() => log.includes("Started flows") || child.exitCode !== null, "Node-RED to start", 60000);
  if (child.exitCode !== null) throw new Error(`the demo exited:\n${log}`);
  return {
    sim,
    port,
    url: `http://127.0.0.1:${port}`,
    log: () => log,
    get: (p) => request(port, "GET", p),
    post: (p) => request(port, "POST", p),
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGINT");
        await exited;
      }
      await sim.close();
      fs.rmSync(userDir, { recursive: true, force: true });
    },
  };
}

module.exports = { startDemo };
