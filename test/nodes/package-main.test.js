"use strict";
const assert = require("node:assert/strict");
const path = require("node:path");
const pkg = require("../../package.json");

describe("packaging: the package's main entry for plain Node.js", () => {
  const main = require(path.resolve(__dirname, "../..", pkg.main));

  it("exports the client, the virtual controller, the protocol and the trajectory tools", () => {
    for (const name of ["OpenStreamClient", "startSimulator", "Hi6Error", "ERROR_CATALOGUE", "NdjsonFramer", "parseServerLine", "encodeRecipe", "validateControlPayload", "sinePlan", "waypointPlan", "preflight", "runTrajectory"]) {
      assert.equal(typeof main[name] === "function" || typeof main[name] === "object", true, name);
    }
  });

  it("the README's client example works: monitor data from the virtual controller", async () => {
    const sim = await main.startSimulator({ port: 0, restPort: 0 });
    const client = new main.OpenStreamClient({ host: "127.0.0.1", port: sim.port });
    const first = new Promise((resolve) => client.once("data", (event) => resolve(event)));
    client.start();
    await client.monitor({ url: "/project/robot/joints/joint_states", period_ms: 10 });
    const event = await first;
    assert.deepEqual(event.result.position, [0, 90, 0, 0, -90, 0]);
    await client.close();
    await sim.close();
  });
});
