"use strict";
// Runs the demo launcher (`npm start`'s program: a real Node-RED runtime with every example) as a
// child process, on a free port and in a temporary user dir, and always stops it: SIGINT first,
// SIGKILL if it lingers, and SIGKILL when this process exits for any reason.
const fs = require("node:fs");
const http = require("node:http");
const os = require("node:os");
const path = require("node:path");
const { fork } = require("node:child_process");

const LAUNCHER = path.resolve(__dirname, "../../nodes/demo/start.js");
const READY_TIMEOUT_MS = 30000;
const STOP_TIMEOUT_MS = 20000;

function request(port, method, urlPath) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, path: urlPath, method }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

function killer(child) {
  const kill = () => child.exitCode === null && child.signalCode === null && child.kill("SIGKILL");
  process.once("exit", kill);
  return () => process.off("exit", kill);
}

/**
 * options.controller: `{port, restPort}` of a controller the test runs; without it the launcher
 * starts its own virtual controller on free ports. options.trace: collect every message that
 * reaches a node, by node id.
 */
async function startDemo(options = {}) {
  const userDir = fs.mkdtempSync(path.join(os.tmpdir(), "hi6-demo-"));
  const args = ["--port", "0", "--user-dir", userDir];
  if (options.controller) args.push("--controller-port", String(options.controller.port), "--controller-rest-port", String(options.controller.restPort));
  else args.push("--sim-port", "0", "--rest-port", "0");
  if (options.trace) args.push("--trace");
  const child = fork(LAUNCHER, args, { stdio: ["ignore", "pipe", "pipe", "ipc"] });
  const forget = killer(child);
  let log = "";
  child.stdout.on("data", (d) => (log += d));
  child.stderr.on("data", (d) => (log += d));
  const traces = new Map();
  const exited = new Promise((resolve) => child.once("exit", resolve));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGINT");
      const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    }
    forget();
    fs.rmSync(userDir, { recursive: true, force: true });
  };

  let ready;
  try {
    ready = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the demo did not start within ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS);
      child.on("message", (m) => {
        if (m.event === "trace") {
          if (!traces.has(m.node)) traces.set(m.node, []);
          traces.get(m.node).push({ type: m.type, ...JSON.parse(m.msg) });
        } else if (m.event === "ready") {
          clearTimeout(timer);
          resolve(m);
        }
      });
      exited.then((code) => reject(new Error(`the demo exited (${code})`)));
    });
  } catch (err) {
    await stop();
    err.message += `\n${log}`;
    throw err;
  }
  const port = Number(new URL(ready.editorUrl).port);
  return {
    url: ready.editorUrl.replace(/\/$/, ""),
    /** `{major, version, reason}` of the Node-RED release that runs the flows. */
    nodeRed: ready.nodeRed,
    dashboardUrl: ready.dashboardUrl,
    controller: ready.controller,
    port,
    log: () => log,
    /** Messages that reached node `id`, oldest first: `{type, topic?, payload?, error?, status?}`. */
    traced: (id) => traces.get(id) || [],
    get: (p) => request(port, "GET", p),
    post: (p) => request(port, "POST", p),
    stop,
  };
}

module.exports = { startDemo };
