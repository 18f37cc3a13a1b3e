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
  it("lists every server error code with a meaning, a severity and a client action", () => {
    for (const code of SERVER_CODES) {
      const info = ERROR_CATALOGUE.get(code);
      assert.ok(info, `catalogue lacks ${code}`);
      assert.ok(info.meaning.length > 10, `${code} has a meaning`);
      assert.ok(["recoverable", "fatal"].includes(info.severity));
      assert.ok(["report", "reconnect", "rehandshake", "stop_and_retry", "stop_retrying", "ignore"].includes(info.action));
      assert.notEqual(info.local, true, `${code} comes from the server`);
    }
  });
  it("version_mismatch is fatal and stops fast retries", () => {
    assert.equal(isFatal("version_mismatch"), true);
    assert.equal(describeError("version_mismatch").action, "stop_retrying");
  });
  it("nothing_to_stop can be ignored", () => assert.equal(describeError("nothing_to_stop").action, "ignore"));
  it("busy_session_active is retried on a new connection: STOP is not allowed before HANDSHAKE", () => assert.equal(describeError("busy_session_active").action, "reconnect"));
  it("monitor_already_active is handled by STOP, then retry", () => assert.equal(describeError("monitor_already_active").action, "stop_and_retry"));
  it("each code names the recipes whose tables list it, as the manual's command tables do", () => {
    const answers = (code) => describeError(code).recipes;
    assert.deepEqual(answers("version_mismatch"), ["handshake"]);
    assert.deepEqual(answers("invalid_url"), ["monitor", "control"]);
    assert.deepEqual(answers("monitor_internal_error"), ["monitor"]);
    assert.deepEqual(answers("control_busy"), ["control"]);
    assert.deepEqual(answers("nothing_to_stop"), ["stop"]);
    // Protocol-level codes can answer any recipe.
    for (const code of ["invalid_ndjson", "rx_buf_overflow", "handshake_required", "invalid_cmd", "invalid_payload", "brand_new_code"]) assert.equal(answers(code), undefined, code);
  });
  it("session_timeout and stop_failed lead to a reconnect", () => {
    assert.equal(describeError("session_timeout").action, "reconnect");
    assert.equal(describeError("stop_failed").action, "reconnect");
  });
  it("handshake_required leads to a new handshake", () => assert.equal(describeError("handshake_required").action, "rehandshake"));
  it("an unknown server code is a recoverable report", () => {
    const info = describeError("brand_new_code");
    assert.equal(info.severity, "recoverable");
    assert.equal(info.action, "report");
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
