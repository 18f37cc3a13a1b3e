"use strict";
// ${ENV_VAR} in a numeric setting: the dialogs accept it, Node-RED puts the variable's value in
// when the flow starts, and the nodes read the resulting text as the number it names.
const assert = require("node:assert/strict");
const { helper, allNodes, waitFor, lastStatus, calls, startRig, stopRig } = require("./support");

const VARS = ["HI6_TEST_PORT", "HI6_TEST_REST_PORT", "HI6_TEST_MAJOR", "HI6_TEST_PERIOD", "HI6_TEST_UNSET"];

describe("nodes: ${ENV_VAR} in numeric settings", function () {
  let sim;

  beforeEach(async () => {
    sim = await startRig();
  });
  afterEach(async () => {
    await stopRig(sim);
    for (const v of VARS) delete process.env[v];
  });

  it("a session whose port, REST port and major are ${ENV_VAR}s connects with their values, and a monitor's ${ENV_VAR} period is the one armed", async () => {
    process.env.HI6_TEST_PORT = String(sim.port);
    process.env.HI6_TEST_REST_PORT = String(sim.restPort);
    process.env.HI6_TEST_MAJOR = "1";
    process.env.HI6_TEST_PERIOD = "25";
    const flow = [
      { id: "s1", type: "hi6-session", host: "127.0.0.1", port: "${HI6_TEST_PORT}", major: "${HI6_TEST_MAJOR}", restPort: "${HI6_TEST_REST_PORT}", reconnect: true },
      { id: "m1", type: "hi6-monitor", session: "s1", url: "/project/robot/joints/joint_states", period: "${HI6_TEST_PERIOD}", args: "{}", autoStart: true, output: "all", interval: 100, wires: [["out"]] },
      { id: "out", type: "helper" },
    ];
    await helper.load(allNodes, flow);
    const got = [];
    helper.getNode("out").on("input", (m) => got.push(m));
    await waitFor(() => got.length >= 2, "samples from the monitor");
    assert.ok(sim.received.some((l) => /"cmd":"HANDSHAKE".*"major":1/.test(l)), "HANDSHAKE carried the variable's major");
    const monitor = sim.received.find((l) => l.includes('"cmd":"MONITOR"'));
    assert.match(monitor, /"period_ms":25\b/, "MONITOR carried the variable's period");
    assert.equal(lastStatus(helper.getNode("m1")).fill, "green");
  });

  it("an unset ${ENV_VAR} port is refused at deploy with invalid_config naming the port, and nothing connects", async () => {
    const flow = [
      { id: "s1", type: "hi6-session", host: "127.0.0.1", port: "${HI6_TEST_UNSET}", major: 1, restPort: sim.restPort, reconnect: true },
      { id: "k1", type: "hi6-control", session: "s1", method: "POST", url: "/project/rgen", args: "{}", body: "{}", wires: [[]] },
    ];
    await helper.load(allNodes, flow);
    const s1 = helper.getNode("s1");
    await waitFor(() => calls("error", s1).length === 1, "the session's deploy error");
    const err = calls("error", s1)[0].args[0];
    assert.match(String(err.message || err), /port .*\(invalid_config\)/);
    assert.equal(sim.connectionCount(), 0, "nothing connects");
  });
});
