"use strict";
// hi6-sim from the command line: its timers and readings come from flags, so a user can
// reproduce a watchdog or an unsupported STOP in seconds.
const assert = require("node:assert/strict");
const path = require("node:path");
const { spawn } = require("node:child_process");
const { parseArgs } = require("../../nodes/sim/cli");
const { RawClient } = require("../support/raw-client");
const { until } = require("../support/wait");

const CLI = path.resolve(__dirname, "../../nodes/sim/cli.js");

describe("sim: the hi6-sim command line", () => {
  it("parses the timers and every reading", () => {
    const o = parseArgs(["--port", "0", "--idle-timeout-ms", "2000", "--stall-timeout-ms", "300", "--max-line-bytes", "4096", "--control-errors", "control_err", "--stop-unsupported", "monitor,control", "--armed-watchdog", "client_inactivity", "--rx-overflow", "close"]);
    assert.deepEqual(o.sim, { idleTimeoutMs: 2000, stallTimeoutMs: 300, maxLineBytes: 4096 });
    assert.deepEqual(o.readings, { controlErrors: "control_err", unsupportedStopTargets: ["monitor", "control"], armedWatchdog: "client_inactivity", rxOverflow: "close" });
  });

  it("refuses a reading it does not know, naming the choices", () => {
    assert.throws(() => parseArgs(["--rx-overflow", "explode"]), /drop_line, close/);
    assert.throws(() => parseArgs(["--stop-unsupported", "session"]), /monitor, control/);
  });

  it("a controller started with --stop-unsupported monitor answers STOP monitor with invalid_target", async function () {
    this.timeout(15000);
    const child = spawn(process.execPath, [CLI, "--port", "0", "--rest-port", "0", "--quiet", "--stop-unsupported", "monitor"], { stdio: ["ignore", "pipe", "inherit"] });
    try {
      let out = "";
      child.stdout.on("data", (d) => (out += d));
      await until(() => /Open Stream on 127\.0\.0\.1:(\d+)/.test(out), "the start line", 10000);
      assert.match(out, /readings: unsupportedStopTargets=monitor/);
      const port = Number(/Open Stream on 127\.0\.0\.1:(\d+)/.exec(out)[1]);
      const c = await RawClient.connect(port);
      await c.handshake();
      c.send({ cmd: "STOP", payload: { target: "monitor" } });
      await c.next((e) => e.error === "invalid_target");
      c.close();
    } finally {
      child.kill("SIGTERM");
    }
  });
});
