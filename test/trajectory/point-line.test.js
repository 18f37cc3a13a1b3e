"use strict";
const assert = require("node:assert/strict");
const { PointLineTemplate, insertPointLine } = require("../../nodes/trajectory/point-line");
const { planFromRows } = require("../../nodes/trajectory/plan");
const { sinePlan } = require("../../nodes/trajectory/sources");
const { runTrajectory } = require("../../nodes/trajectory/runner");

describe("trajectory: each point's line from a template", () => {
  it("is byte for byte the recipe encoder's line, for every point of a sine and in both time_from_start modes", () => {
    const plan = sinePlan({ base: [0, 90, 0, 0, -90, 0], amplitude_deg: 3.3, cycle_sec: 0.7, duration_sec: 2, dt: 0.002 });
    for (const timeFromStart of ["elapsed", "server"]) {
      const o = { lookAhead: 0.04, timeFromStart };
      const t = new PointLineTemplate(plan, o);
      for (let i = 0; i < plan.count; i++) assert.equal(t.line(i), insertPointLine(plan, i, o), `point ${i}, ${timeFromStart}`);
    }
  });

  it("writes awkward numbers as JSON does: -0, tiny, huge, integers, and dt and look-ahead with long fractions", () => {
    const plan = planFromRows([[-0, 1e-7, 1.5e21, 42, -90, 0.1 + 0.2]], 0.001 / 3);
    const o = { lookAhead: 0.1 / 3, timeFromStart: "elapsed" };
    assert.equal(new PointLineTemplate(plan, o).line(0), insertPointLine(plan, 0, o));
  });

  it("refuses a non-finite joint value with invalid_body, as the recipe encoder does, instead of writing it", () => {
    const plan = planFromRows([[0, 90, 0, 0, -90, 0], [0, NaN, 0, 0, -90, 0]], 0.002);
    const t = new PointLineTemplate(plan, { lookAhead: 0.04, timeFromStart: "elapsed" });
    assert.throws(() => insertPointLine(plan, 1, { lookAhead: 0.04, timeFromStart: "elapsed" }), { code: "invalid_body" });
    assert.throws(() => t.line(1), { code: "invalid_body" });
  });

  it("refuses a non-finite look-ahead when it is made, before any line of the run", () => {
    const plan = planFromRows([[0, 90, 0, 0, -90, 0]], 0.002);
    assert.throws(() => new PointLineTemplate(plan, { lookAhead: Infinity, timeFromStart: "elapsed" }), { code: "invalid_body" });
    const lines = [];
    assert.throws(() => runTrajectory(plan, { write: (l) => lines.push(l) }, { lookAhead: Infinity, timeFromStart: "elapsed", sendInit: true }), { code: "invalid_body" });
    assert.deepEqual(lines, [], "nothing was written, not even the init");
  });

  it("the runner writes the same lines with either encoder", async () => {
    const plan = sinePlan({ base: [0, 90, 0, 0, -90, 0], amplitude_deg: 1, cycle_sec: 0.1, duration_sec: 0.05, dt: 0.002 });
    const written = {};
    for (const encoder of ["template", "recipe"]) {
      const lines = [];
      const r = await runTrajectory(plan, { write: (l) => (lines.push(l), true) }, { lookAhead: 0.04, timeFromStart: "elapsed", sendInit: true, lateTicks: "catch_up", encoder }).done;
      assert.equal(r.sent, plan.count);
      written[encoder] = lines;
    }
    assert.deepEqual(written.template, written.recipe);
  });
});
