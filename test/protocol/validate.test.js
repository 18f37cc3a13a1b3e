"use strict";
const assert = require("node:assert/strict");
const v = require("../../nodes/protocol/validate");

function rejects(result, code) {
  assert.equal(result.ok, false, `expected ${code}, got ok`);
  assert.equal(result.code, code);
  assert.ok(result.message.length > 0, "a rejection carries a message");
}

describe("protocol: recipe payload rules", () => {
  describe("HANDSHAKE", () => {
    it("accepts an integer major of 0 or more", () => {
      assert.deepEqual(v.validateHandshakePayload({ major: 1 }), { ok: true, value: { major: 1 }, warnings: [] });
      assert.equal(v.validateHandshakePayload({ major: 0 }).ok, true);
    });
    it("missing_major: major must be present", () => rejects(v.validateHandshakePayload({}), "missing_major"));
    it("invalid_major_type: major must be an integer number", () => {
      rejects(v.validateHandshakePayload({ major: "1" }), "invalid_major_type");
      rejects(v.validateHandshakePayload({ major: 1.5 }), "invalid_major_type");
      rejects(v.validateHandshakePayload({ major: null }), "invalid_major_type");
    });
    it("invalid_version: major must not be negative", () => rejects(v.validateHandshakePayload({ major: -1 }), "invalid_version"));
    it("invalid_payload: the payload must be an object", () => rejects(v.validateHandshakePayload([1]), "invalid_payload"));
  });

  describe("MONITOR", () => {
    const ok = { method: "GET", url: "/project/robot/joints/joint_states", period_ms: 10 };
    it("accepts a GET with url, period_ms and object args", () => {
      const r = v.validateMonitorPayload({ ...ok, args: { jno_start: 1, jno_n: 6 } });
      assert.equal(r.ok, true);
      assert.deepEqual(r.value, { ...ok, args: { jno_start: 1, jno_n: 6 } });
      assert.deepEqual(r.warnings, []);
    });
    it("missing_url: url must be present", () => rejects(v.validateMonitorPayload({ method: "GET", period_ms: 10 }), "missing_url"));
    it("invalid_url: url must start with /", () => rejects(v.validateMonitorPayload({ ...ok, url: "project/x" }), "invalid_url"));
    it("invalid_url: url must not contain spaces", () => rejects(v.validateMonitorPayload({ ...ok, url: "/project/ro bot" }), "invalid_url"));
    it("invalid_url: url must be a string", () => rejects(v.validateMonitorPayload({ ...ok, url: 42 }), "invalid_url"));
    it("url_too_long: url may have at most 2048 characters", () => {
      assert.equal(v.validateMonitorPayload({ ...ok, url: "/" + "a".repeat(2047) }).ok, true);
      rejects(v.validateMonitorPayload({ ...ok, url: "/" + "a".repeat(2048) }), "url_too_long");
    });
    it("missing_method: method must be present", () => rejects(v.validateMonitorPayload({ url: "/x", period_ms: 10 }), "missing_method"));
    it("invalid_method: MONITOR takes GET only", () => {
      rejects(v.validateMonitorPayload({ ...ok, method: "POST" }), "invalid_method");
      rejects(v.validateMonitorPayload({ ...ok, method: "get" }), "invalid_method");
    });
    it("missing_period_ms: period_ms must be present", () => rejects(v.validateMonitorPayload({ method: "GET", url: "/x" }), "missing_period_ms"));
    it("invalid_period: period_ms must be an integer", () => {
      rejects(v.validateMonitorPayload({ ...ok, period_ms: "10" }), "invalid_period");
      rejects(v.validateMonitorPayload({ ...ok, period_ms: 2.5 }), "invalid_period");
    });
    it("period_ms below 2 is clamped to 2, with a warning", () => {
      const r = v.validateMonitorPayload({ ...ok, period_ms: 1 });
      assert.equal(r.ok, true);
      assert.equal(r.value.period_ms, v.PERIOD_MIN_MS);
      assert.equal(r.warnings.length, 1);
      assert.equal(r.warnings[0].code, "period_clamped");
      assert.deepEqual(r.warnings[0].params, { period: 1, clamped: 2 });
      assert.match(r.warnings[0].message, /clamped to 2/);
    });
    it("period_ms above 30000 is clamped to 30000, with a warning", () => {
      const r = v.validateMonitorPayload({ ...ok, period_ms: 99999 });
      assert.equal(r.value.period_ms, v.PERIOD_MAX_MS);
      assert.match(r.warnings[0].message, /clamped to 30000/);
    });
    it("invalid_args: args must be a JSON object", () => {
      rejects(v.validateMonitorPayload({ ...ok, args: "a=1" }), "invalid_args");
      rejects(v.validateMonitorPayload({ ...ok, args: [1] }), "invalid_args");
      rejects(v.validateMonitorPayload({ ...ok, args: null }), "invalid_args");
    });
    it("drops fields the command reference does not define", () => {
      const r = v.validateMonitorPayload({ ...ok, id: 1, extra: true });
      assert.deepEqual(Object.keys(r.value).sort(), ["method", "period_ms", "url"]);
    });
  });

  describe("CONTROL", () => {
    const ok = { method: "POST", url: "/project/robot/trajectory/joint_traject_init" };
    it("accepts POST, PUT and DELETE with object args and an object or array body", () => {
      for (const method of ["POST", "PUT", "DELETE"]) assert.equal(v.validateControlPayload({ ...ok, method }).ok, true);
      assert.deepEqual(v.validateControlPayload({ ...ok, args: { a: 1 }, body: [1, 2] }).value, { ...ok, args: { a: 1 }, body: [1, 2] });
      assert.deepEqual(v.validateControlPayload({ ...ok, body: {} }).value, { ...ok, body: {} });
    });
    it("missing_url: url must be present", () => rejects(v.validateControlPayload({ method: "POST" }), "missing_url"));
    it("invalid_url: url must start with / and have no spaces", () => {
      rejects(v.validateControlPayload({ ...ok, url: "x/y" }), "invalid_url");
      rejects(v.validateControlPayload({ ...ok, url: "/x y" }), "invalid_url");
      rejects(v.validateControlPayload({ ...ok, url: "/x\ty" }), "invalid_url");
    });
    it("no url length limit: the manual gives CONTROL none (§3.3), so a long url is not refused here", () => {
      const r = v.validateControlPayload({ ...ok, url: "/" + "b".repeat(5000) });
      assert.equal(r.ok, true);
    });
    it("missing_method: method must be present", () => rejects(v.validateControlPayload({ url: "/x" }), "missing_method"));
    it("invalid_method: CONTROL takes POST, PUT or DELETE", () => {
      rejects(v.validateControlPayload({ ...ok, method: "GET" }), "invalid_method");
      rejects(v.validateControlPayload({ ...ok, method: "post" }), "invalid_method");
      rejects(v.validateControlPayload({ ...ok, method: 1 }), "invalid_method");
    });
    it("invalid_args: args must be a JSON object", () => rejects(v.validateControlPayload({ ...ok, args: "x" }), "invalid_args"));
    it("invalid_body: body must be an object or an array", () => {
      rejects(v.validateControlPayload({ ...ok, body: "text" }), "invalid_body");
      rejects(v.validateControlPayload({ ...ok, body: 3 }), "invalid_body");
      rejects(v.validateControlPayload({ ...ok, body: null }), "invalid_body");
    });
  });

  describe("STOP", () => {
    it("accepts session, control and monitor", () => {
      for (const target of ["session", "control", "monitor"]) assert.deepEqual(v.validateStopPayload({ target }).value, { target });
    });
    it("missing_target: target must be present", () => rejects(v.validateStopPayload({}), "missing_target"));
    it("invalid_target: target must be one of the three", () => {
      rejects(v.validateStopPayload({ target: "all" }), "invalid_target");
      rejects(v.validateStopPayload({ target: 1 }), "invalid_target");
    });
  });

  describe("whole recipes", () => {
    it("dispatches on cmd and returns the typed recipe", () => {
      const r = v.validateRecipe({ cmd: "STOP", payload: { target: "monitor" } });
      assert.deepEqual(r.value, { cmd: "STOP", payload: { target: "monitor" } });
    });
    it("invalid_ndjson: a line must be one JSON object", () => rejects(v.validateRecipe([1, 2]), "invalid_ndjson"));
    it("missing_field: cmd must be present", () => rejects(v.validateRecipe({ payload: {} }), "missing_field"));
    it("invalid_type: cmd must be a string", () => rejects(v.validateRecipe({ cmd: 7, payload: {} }), "invalid_type"));
    it("invalid_cmd: unknown commands are rejected", () => rejects(v.validateRecipe({ cmd: "PING", payload: {} }), "invalid_cmd"));
    it("invalid_payload: the payload must be an object", () => {
      rejects(v.validateRecipe({ cmd: "MONITOR" }), "invalid_payload");
      rejects(v.validateRecipe({ cmd: "CONTROL", payload: "x" }), "invalid_payload");
    });
    it("carries the clamping warning of a MONITOR recipe", () => {
      const r = v.validateRecipe({ cmd: "MONITOR", payload: { method: "GET", url: "/x", period_ms: 0 } });
      assert.equal(r.value.payload.period_ms, 2);
      assert.equal(r.warnings.length, 1);
    });
  });
});
