"use strict";
// Each leg of the matrix must test its own Node-RED: the helper runs the release HI6_NODE_RED
// names, with that release's runtime and core nodes, never the other one found first on disk.
const assert = require("node:assert/strict");
const { helper, nodeRed } = require("./support");

describe("nodes: the Node-RED release under test", function () {
  it("is the one HI6_NODE_RED names (by default the newest this Node.js runs)", function () {
    if (process.env.HI6_NODE_RED) assert.equal(nodeRed.major, Number(process.env.HI6_NODE_RED));
    // Node-RED adds "-git" when it finds a .git four folders above its runtime: here, this project's.
    assert.equal(helper._RED.version().replace(/-git$/, ""), nodeRed.version);
  });

  it("provides the runtime's Node class and the core nodes from that release", function () {
    const runtimeNode = require(nodeRed.resolve("@node-red/runtime/lib/nodes/Node"));
    assert.equal(helper._NodePrototype, runtimeNode.prototype);
    assert.equal(require(nodeRed.resolve("@node-red/nodes/package.json")).version, nodeRed.version);
  });
});
