"use strict";
const assert = require("node:assert/strict");
const { checkJsonData, MAX_JSON_DEPTH } = require("../../nodes/protocol/json-data");
const v = require("../../nodes/protocol/validate");
const r = require("../../nodes/protocol/recipes");

function refused(value, path, reason) {
  const verdict = checkJsonData(value, "body");
  assert.equal(verdict.ok, false, `expected a refusal at ${path}`);
  assert.equal(verdict.path, path);
  if (reason) assert.match(verdict.reason, reason);
}

class Pose {
  constructor() {
    this.j1 = 0;
  }
}

// Every kind of value JSON.stringify would convert or drop, each where the robot's point sits.
const NOT_JSON = [
  ["NaN", NaN, /NaN is not a finite number/],
  ["Infinity", Infinity, /Infinity is not a finite number/],
  ["-Infinity", -Infinity, /-Infinity is not a finite number/],
  ["a Map", new Map([["a", 1]]), /a Map is not plain JSON data/],
  ["a Set", new Set([1]), /a Set is not plain JSON data/],
  ["a Buffer", Buffer.from("hi"), /a Buffer is not plain JSON data/],
  ["a Float64Array", new Float64Array([1, 2]), /a Float64Array is not plain JSON data/],
  ["a Uint8Array", new Uint8Array([1]), /a Uint8Array is not plain JSON data/],
  ["an ArrayBuffer", new ArrayBuffer(4), /an ArrayBuffer is not plain JSON data/],
  ["a Date", new Date(0), /a Date is not plain JSON data/],
  ["a RegExp", /x/, /a RegExp is not plain JSON data/],
  ["a class instance", new Pose(), /a Pose is not plain JSON data/],
  ["a boxed number", Object(1), /a Number is not plain JSON data/],
  ["a function", () => 1, /a function has no JSON form/],
  ["a BigInt", 10n, /BigInt 10n has no JSON form/],
  ["a symbol", Symbol("s"), /a symbol has no JSON form/],
  ["undefined in an array", undefined, /undefined has no JSON form \(it would be sent as null\)/],
];

describe("protocol: only plain JSON data is encoded", () => {
  it("accepts null, booleans, finite numbers, strings, arrays and plain objects, at any depth", () => {
    const plain = { a: null, b: true, c: -0.5, d: "로봇", e: [1, [2, { f: [] }]], g: Object.create(null) };
    assert.deepEqual(checkJsonData(plain, "body"), { ok: true });
    assert.deepEqual(checkJsonData([], "body"), { ok: true });
  });

  it("an undefined property is left out, as JSON and the recipe rules leave it out", () => {
    assert.deepEqual(checkJsonData({ a: 1, b: undefined }, "body"), { ok: true });
  });

  it("a value shared by two branches is not a cycle", () => {
    const shared = [1, 2];
    assert.deepEqual(checkJsonData({ a: shared, b: shared }, "body"), { ok: true });
  });

  for (const [name, value, reason] of NOT_JSON) {
    it(`refuses ${name}, naming its path`, () => {
      refused({ point: [0, 90, value, 0] }, "body.point[2]", reason);
    });
  }

  it("refuses a function or symbol as an object's value, which JSON would drop", () => {
    refused({ a: 1, toJSON: () => ({}) }, "body.toJSON", /a function/);
    refused({ s: Symbol("x") }, "body.s", /a symbol/);
  });

  it("refuses an empty slot in an array, which JSON would send as null", () => {
    // eslint-disable-next-line no-sparse-arrays
    refused({ point: [1, , 3] }, "body.point[1]", /empty slot/);
  });

  it("refuses a cycle, naming where it closes", () => {
    const body = { a: { b: [] } };
    body.a.b.push(body);
    refused(body, "body.a.b[0]", /cycle/);
  });

  it("refuses nesting deeper than the limit instead of running out of stack", () => {
    let deep = 1;
    for (let i = 0; i < MAX_JSON_DEPTH + 5; i++) deep = [deep];
    const verdict = checkJsonData(deep, "body");
    assert.equal(verdict.ok, false);
    assert.match(verdict.reason, /nested more than/);
  });

  it("refuses an array subclass and a value whose getter throws", () => {
    class Points extends Array {}
    refused({ p: Points.from([1]) }, "body.p", /a Points is not plain JSON data/);
    const trap = { get x() { throw new Error("no"); } };
    refused(trap, "body", /reading it failed: no/);
  });

  it("names keys that are not identifiers in brackets", () => {
    refused({ "a b": { c: NaN } }, 'body["a b"].c');
  });

  it("refuses the root itself when it is not JSON data", () => {
    refused(new Map(), "body", /a Map/);
    refused(undefined, "body", /undefined/);
  });

  describe("the recipe rules use it", () => {
    const control = { method: "POST", url: "/project/robot/trajectory/joint_traject_insert_point" };

    it("invalid_body: a CONTROL body holding non-JSON data, with the path", () => {
      const result = v.validateControlPayload({ ...control, body: { point: [0, 90, NaN, 0, -90, 0] } });
      assert.equal(result.ok, false);
      assert.equal(result.code, "invalid_body");
      assert.match(result.message, /^body\.point\[2\]: NaN is not a finite number/);
    });
    it("invalid_body: a Map, a Buffer or a Date as the whole body", () => {
      for (const body of [new Map(), Buffer.from("hello"), new Date()]) {
        const result = v.validateControlPayload({ ...control, body });
        assert.equal(result.code, "invalid_body", String(body));
        assert.match(result.message, /^body: /);
      }
    });
    it("invalid_args: CONTROL and MONITOR args holding non-JSON data, or a Map as args", () => {
      const c = v.validateControlPayload({ ...control, args: { n: Infinity } });
      assert.deepEqual([c.code, c.message.split(":")[0]], ["invalid_args", "args.n"]);
      const m = v.validateMonitorPayload({ method: "GET", url: "/x", period_ms: 10, args: { jno: [1, undefined] } });
      assert.deepEqual([m.code, m.message.split(":")[0]], ["invalid_args", "args.jno[1]"]);
      assert.equal(v.validateMonitorPayload({ method: "GET", url: "/x", period_ms: 10, args: new Map() }).code, "invalid_args");
    });
    it("the builders refuse too, with the same codes, so a recipe built by hand cannot carry non-JSON data", () => {
      assert.throws(() => r.controlRecipe({ ...control, body: { point: [NaN] } }), { code: "invalid_body", message: /body\.point\[0\]/ });
      assert.throws(() => r.controlRecipe({ ...control, args: { d: new Date() } }), { code: "invalid_args", message: /args\.d/ });
      assert.throws(() => r.monitorRecipe({ method: "GET", url: "/x", period_ms: 10, args: { big: 1n } }), { code: "invalid_args" });
    });
    it("the encoder refuses a recipe object that never went through a builder", () => {
      const handmade = { cmd: "CONTROL", payload: { ...control, body: { point: [Infinity] } } };
      assert.throws(() => r.encodeRecipe(handmade), { code: "invalid_body", message: /body\.point\[0\]/ });
      assert.throws(() => r.encodeRecipe({ cmd: "HANDSHAKE", payload: { major: NaN } }), { code: "invalid_payload", message: /^major: NaN/ });
    });
  });
});
