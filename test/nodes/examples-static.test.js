"use strict";
// What the example flows promise before they run: a debug node fed by a stream starts off,
// except in the example about streaming.
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");

const DIR = path.resolve(__dirname, "../../examples");
const STREAMING_EXAMPLE = "01-monitor-joint-states.json";

/** Ids of the nodes a stream reaches: monitor outputs and trajectory progress (output 2), through any node between. */
function streamFed(flow) {
  const byId = new Map(flow.map((n) => [n.id, n]));
  const fed = new Set();
  const visit = (id) => {
    if (fed.has(id) || !byId.has(id)) return;
    fed.add(id);
    for (const out of byId.get(id).wires || []) for (const next of out) visit(next);
  };
  for (const n of flow) {
    if (n.type === "hi6-monitor") for (const next of (n.wires || [])[0] || []) visit(next);
    if (n.type === "hi6-trajectory") for (const next of (n.wires || [])[1] || []) visit(next);
  }
  return fed;
}

describe("examples: debug nodes fed by a stream start off", () => {
  for (const file of fs.readdirSync(DIR).filter((f) => f.endsWith(".json"))) {
    it(`${file}: ${file === STREAMING_EXAMPLE ? "its stream's debug node is on (the example is about streaming)" : "every debug node a stream reaches is active: false"}`, () => {
      const flow = JSON.parse(fs.readFileSync(path.join(DIR, file), "utf8"));
      const fed = streamFed(flow);
      const debugs = flow.filter((n) => n.type === "debug" && fed.has(n.id));
      if (file === STREAMING_EXAMPLE) {
        assert.ok(debugs.length > 0 && debugs.every((n) => n.active === true));
      } else {
        for (const n of debugs) assert.equal(n.active, false, `${n.name || n.id} is off by default`);
      }
    });
  }
});
