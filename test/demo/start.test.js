"use strict";
// The demo launcher's command line and start message (`npm start`).
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const { execFileSync } = require("node:child_process");
const { describe: startMessage, USAGE } = require("../../nodes/demo/start");
const { dashboardPath, demoFlows } = require("../../nodes/demo/flows");

const LAUNCHER = path.resolve(__dirname, "../../nodes/demo/start.js");
const README = fs.readFileSync(path.resolve(__dirname, "../../README.md"), "utf8");
const OPTIONS = ["--port", "--user-dir", "--sim-port", "--rest-port", "--controller-port", "--controller-rest-port", "--trace", "--help"];

function demo(port, restPort) {
  return { controller: { host: "127.0.0.1", port, restPort }, nodeRed: { version: "4.1.0", reason: "test" }, editorUrl: "http://127.0.0.1:1880/", skipped: [] };
}

describe("demo: npm start's options and start message", () => {
  it("--help prints every option and exits 0 without starting anything", () => {
    const out = execFileSync(process.execPath, [LAUNCHER, "--help"], { encoding: "utf8", timeout: 10000 });
    assert.equal(out, USAGE);
    for (const o of OPTIONS) assert.ok(out.includes(o), `--help names ${o}`);
  });

  it("the README documents every option --help lists", () => {
    for (const o of OPTIONS) assert.ok(README.includes(`\`${o}`), `README names ${o}`);
  });

  it("an unknown option fails with a pointer to --help", () => {
    assert.throws(() => execFileSync(process.execPath, [LAUNCHER, "--no-such-option"], { encoding: "utf8", stdio: "pipe", timeout: 10000 }), (err) => {
      assert.equal(err.status, 1);
      assert.match(err.stderr, /--help lists the options/);
      return true;
    });
  });

  it("with ports named on the command line, the start message never says the default ports were taken", () => {
    assert.doesNotMatch(startMessage(demo(40001, 40002), true, true), /default ports were taken/);
    assert.match(startMessage(demo(40001, 40002), true, true), /Open Stream 127\.0\.0\.1:40001, Open API http:\/\/127\.0\.0\.1:40002/);
  });

  it("without named ports, it says so only when the defaults were taken", () => {
    assert.match(startMessage(demo(40001, 40002), true, false), /default ports were taken/);
    assert.doesNotMatch(startMessage(demo(49000, 8888), true, false), /default ports were taken/);
  });

  it("the dashboard address it prints is the page the README names, /dashboard/joints", () => {
    const { flows } = demoFlows(path.resolve(__dirname, "../../examples"), { host: "127.0.0.1", port: 49000, restPort: 8888 }, () => true);
    assert.equal(dashboardPath(flows), "/dashboard/joints");
    assert.ok(README.includes("http://127.0.0.1:1880/dashboard/joints"));
    const message = startMessage({ ...demo(49000, 8888), dashboardUrl: "http://127.0.0.1:1880/dashboard/joints" }, true, false);
    assert.match(message, /dashboard: +http:\/\/127\.0\.0\.1:1880\/dashboard\/joints/);
  });
});
