"use strict";
// Which Node-RED runs: the demo (`npm start`) and the tests pick the same release, by
// HI6_NODE_RED or by what the running Node.js supports; and package.json claims the matrix
// that `npm test` runs, from its oldest leg up.
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const { chooseNodeRed, minimumNode } = require("../../nodes/demo/node-red-release");
const { LEGS, major } = require("../matrix/legs");

const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, "../../package.json"), "utf8"));

describe("demo: which Node-RED release runs", function () {
  it("without HI6_NODE_RED, Node-RED 5 where Node.js can run it (22.9 or newer)", function () {
    assert.equal(chooseNodeRed({}, "24.21.0").major, 5);
    assert.equal(chooseNodeRed({}, "22.9.0").major, 5);
  });

  it("without HI6_NODE_RED, Node-RED 4.1 on an older Node.js, and the start message says why", function () {
    for (const node of ["20.20.2", "22.8.1"]) {
      const chosen = chooseNodeRed({}, node);
      assert.equal(chosen.major, 4, node);
      assert.match(chosen.version, /^4\.1\./);
      assert.match(chosen.reason, new RegExp(`needs Node\\.js 22\\.9 or newer; this is Node\\.js ${node.replace(/\./g, "\\.")}`));
    }
  });

  it("HI6_NODE_RED=4 runs Node-RED 4.1 on any supported Node.js", function () {
    for (const node of ["20.20.2", "24.21.0"]) assert.equal(chooseNodeRed({ HI6_NODE_RED: "4" }, node).major, 4);
  });

  it("HI6_NODE_RED=5 on a Node.js too old for it is an error, never a quiet fall back to 4.1", function () {
    assert.throws(() => chooseNodeRed({ HI6_NODE_RED: "5" }, "20.20.2"), /HI6_NODE_RED=5: Node-RED 5\.\d+\.\d+ needs Node\.js 22\.9 or newer/);
  });

  it("HI6_NODE_RED names a release the project tests, or is an error", function () {
    assert.throws(() => chooseNodeRed({ HI6_NODE_RED: "3" }, "20.20.2"), /the choices are 5 and 4/);
  });

  it("resolves Node-RED's own modules from the chosen release, not from the other one", function () {
    const four = chooseNodeRed({ HI6_NODE_RED: "4" }, "24.21.0");
    const five = chooseNodeRed({ HI6_NODE_RED: "5" }, "24.21.0");
    const version = (release) => JSON.parse(fs.readFileSync(release.resolve("@node-red/nodes/package.json"), "utf8")).version;
    assert.equal(version(four), four.version);
    assert.equal(version(five), five.version);
  });

  it("reads a Node.js floor only in the form Node-RED states it", function () {
    assert.equal(minimumNode(">=22.9"), "22.9");
    assert.equal(minimumNode(">=18.5.0"), "18.5.0");
    assert.equal(minimumNode("^20 || ^22"), undefined);
  });
});

describe("package.json claims the tested matrix", function () {
  const oldest = LEGS[0];
  const newest = LEGS[LEGS.length - 1];
  const oldestRelease = chooseNodeRed({ HI6_NODE_RED: String(oldest.nodeRed) }, oldest.node);

  it("the legs run oldest first, each on a Node.js its Node-RED supports", function () {
    assert.ok(LEGS.every((l, i) => i === 0 || l.nodeRed > LEGS[i - 1].nodeRed));
    for (const leg of LEGS) assert.doesNotThrow(() => chooseNodeRed({ HI6_NODE_RED: String(leg.nodeRed) }, leg.node));
    assert.equal(chooseNodeRed({}, newest.node).major, newest.nodeRed, "npm start runs the newest release on the newest leg's Node.js");
  });

  it("node-red.version starts at the oldest leg's Node-RED minor", function () {
    const [maj, min] = oldestRelease.version.split(".");
    assert.equal(minimumNode(pkg["node-red"].version), `${maj}.${min}.0`);
  });

  it("engines.node starts at the oldest leg's Node.js major", function () {
    assert.equal(minimumNode(pkg.engines.node), String(major(oldest.node)));
  });
});
