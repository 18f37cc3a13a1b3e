"use strict";
// hi6-control encodes only plain JSON data: a body or args that JSON would
// convert is refused through done(err), where Catch nodes get it, and the
// virtual controller receives nothing for it.
const assert = require("node:assert/strict");
const { helper, allNodes, sessionDef, waitFor, lastStatus, startRig, stopRig } = require("./support");

const INSERT = "/project/robot/trajectory/joint_traject_insert_point";
const point = (third) => ({ interval: 0.002, time_from_start: 0, look_ahead_time: 0.04, point: [0, 90, third, 0, -90, 0] });

describe("nodes: hi6-control sends only plain JSON data", function () {
  let sim;

  beforeEach(async () => {
    sim = await startRig();
  });
  afterEach(async () => {
    await stopRig(sim);
  });

  async function load() {
    const flow = [
      sessionDef(sim),
      { id: "k1", type: "hi6-control", session: "s1", method: "POST", url: INSERT, args: "{}", body: "{}", wires: [["out"]] },
      { id: "out", type: "helper" },
      { id: "c1", type: "catch", scope: null, uncaught: false, wires: [["caught"]] },
      { id: "caught", type: "helper" },
    ];
    await helper.load(allNodes, flow);
    const k = helper.getNode("k1");
    await waitFor(() => (lastStatus(k) || {}).fill === "green", "session ready");
    const got = { out: [], caught: [] };
    helper.getNode("out").on("input", (m) => got.out.push(m));
    helper.getNode("caught").on("input", (m) => got.caught.push(m));
    return { k, got };
  }

  const controls = () => sim.received.filter((l) => l.includes('"cmd":"CONTROL"'));

  /** A sound CONTROL after the refused one: once it is on the wire, anything the refused one sent would be there before it. */
  async function nothingWasSent(k, got) {
    k.receive({ payload: point(0), topic: "sound" });
    await waitFor(() => controls().length >= 1, "the sound CONTROL on the wire");
    assert.equal(controls().length, 1, "only the sound CONTROL reached the controller");
    assert.deepEqual(JSON.parse(controls()[0]).payload.body, point(0));
    assert.deepEqual(got.out.map((m) => m.topic), ["sound"], "the refused msg was not passed on");
  }

  const cycle = { a: 1 };
  cycle.self = cycle;
  const sparse = [0, 90];
  sparse[3] = 0;

  for (const [name, payload, path] of [
    ["NaN in a joint_traject_insert_point", point(NaN), "body.point[2]"],
    ["Infinity in a joint_traject_insert_point", point(Infinity), "body.point[2]"],
    ["a Map", new Map([["point", [0]]]), "body"],
    ["a Set", new Set([1]), "body"],
    ["a Buffer", Buffer.from("hello"), "body"],
    ["a Float64Array", new Float64Array([0, 90, 0, 0, -90, 0]), "body"],
    ["a Date inside the body", { at: new Date(0) }, "body.at"],
    ["a function inside the body", { f: () => 1 }, "body.f"],
    ["a BigInt inside the body", { n: 1n }, "body.n"],
    ["a symbol inside the body", { s: Symbol("x") }, "body.s"],
    ["undefined inside an array", { point: [0, undefined] }, "body.point[1]"],
    ["an empty slot in an array", { point: sparse }, "body.point[2]"],
    ["a cycle", cycle, "body.self"],
  ]) {
    it(`invalid_body: ${name} is refused through done(err), shows red, reaches a Catch node naming ${path}, and sends nothing`, async () => {
      const { k, got } = await load();
      k.receive({ payload, topic: "refused" });
      await waitFor(() => got.caught.length === 1, "caught");
      const caught = got.caught[0];
      assert.equal(caught.error.code, "invalid_body");
      assert.equal(caught.error.source.id, "k1");
      assert.ok(caught.error.message.includes(`${path}: `), caught.error.message);
      assert.ok(caught._error.message.startsWith(`${path}: `), caught._error.message);
      assert.equal(caught.topic, "refused");
      assert.deepEqual([lastStatus(k).fill, lastStatus(k).shape, lastStatus(k).text], ["red", "ring", "invalid_body"]);
      await nothingWasSent(k, got);
    });
  }

  it("invalid_args: msg.args holding non-JSON data is refused the same way, and nothing is sent", async () => {
    const { k, got } = await load();
    k.receive({ payload: point(0), args: { jno: NaN }, topic: "refused" });
    await waitFor(() => got.caught.length === 1, "caught");
    assert.equal(got.caught[0].error.code, "invalid_args");
    assert.ok(got.caught[0]._error.message.startsWith("args.jno: NaN is not a finite number"), got.caught[0]._error.message);
    await nothingWasSent(k, got);
  });
});
