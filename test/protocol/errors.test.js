"use strict";
const assert = require("node:assert/strict");
const { ERROR_CATALOGUE, describeError, isFatal, Hi6Error } = require("../../nodes/protocol/errors");

// Every code the manual's error tables and command tables name.
const SERVER_CODES = [
  "invalid_ndjson", "rx_buf_overflow", "handshake_required", "version_mismatch", "busy_session_active", "session_timeout",
  "invalid_cmd", "invalid_payload", "missing_field", "invalid_type", "invalid_value",
  "version_mismatch", "handshake_rejected", "missing_major", "invalid_major_type", "invalid_version",
  "invalid_method", "invalid_url", "invalid_period", "monitor_already_active", "monitor_internal_error",
  "missing_url", "url_too_long", "missing_method", "missing_period_ms", "invalid_args",
  "control_err", "invalid_body", "method_not_allowed", "control_busy",
  "invalid_target", "nothing_to_stop", "stop_failed", "missing_target",
];

describe("protocol: error catalogue", () => {
  // What each code makes the client do is tested as behaviour, code by code, in
  // test/client/error-routing.test.js and test/client/client.test.js; here only coverage.
  it("lists every server error code with a meaning, and none of them as the package's own", () => {
    for (const code of SERVER_CODES) {
      const info = ERROR_CATALOGUE.get(code);
      assert.ok(info, `catalogue lacks ${code}`);
      assert.ok(info.meaning.length > 10, `${code} has a meaning`);
      assert.notEqual(info.local, true, `${code} comes from the server`);
    }
  });
  it("version_mismatch is the one fatal server code", () => {
    assert.deepEqual(SERVER_CODES.filter((c) => isFatal(c)).filter((c, i, a) => a.indexOf(c) === i), ["version_mismatch"]);
  });
  it("an unknown server code is described, not thrown on: a recoverable report with a generic meaning", () => {
    const info = describeError("brand_new_code");
    assert.deepEqual([info.code, info.severity, info.action], ["brand_new_code", "recoverable", "report"]);
    assert.match(info.meaning, /does not know/);
  });
  it("the trajectory's own refusals are local, recoverable reports: pose_unavailable, max_accel_exceeded, trajectory_too_long", () => {
    for (const code of ["pose_unavailable", "max_accel_exceeded", "trajectory_too_long", "max_speed_exceeded", "start_pose_far"]) {
      const info = ERROR_CATALOGUE.get(code);
      assert.ok(info, `catalogue lacks ${code}`);
      assert.deepEqual([info.local, info.severity, info.action], [true, "recoverable", "report"], code);
    }
  });
  it("Hi6Error carries code, status and body into msg.error", () => {
    const err = new Hi6Error("control_err", "HTTP 404", { status: 404, body: { reason: "no such path" } });
    assert.ok(err instanceof Error);
    assert.equal(err.code, "control_err");
    assert.deepEqual(err.toJSON(), { code: "control_err", message: "HTTP 404", status: 404, body: { reason: "no such path" } });
  });
  it("Hi6Error without a message uses the catalogue's sentence", () => {
    assert.equal(new Hi6Error("url_too_long").message, describeError("url_too_long").meaning);
  });
});
