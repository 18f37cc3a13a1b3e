"use strict";
// Where each server error goes (manual §2: events carry no request id; §4: the error tables of
// each recipe). The catalogue alone decides; these rows are read from the manual, not from it.
const assert = require("node:assert/strict");
const { routeServerError, controlErrOf } = require("../../nodes/client/error-routing");

describe("client: error routing (manual §2, §4)", () => {
  const rows = [
    // code, recipe awaiting its ack, route, action
    ["monitor_internal_error", "monitor", "pending", "report", "a MONITOR's own code answers the MONITOR"],
    ["invalid_period", "monitor", "pending", "report", "a MONITOR validation code answers the MONITOR"],
    ["control_busy", "monitor", "control", "report", "a CONTROL-only code never settles a MONITOR"],
    ["control_busy", undefined, "control", "report", "a CONTROL-only code goes to the CONTROL sender"],
    ["invalid_url", undefined, "control", "report", "a code both MONITOR and CONTROL draw goes to the CONTROL sender when no MONITOR waits"],
    ["monitor_internal_error", undefined, "session", "report", "a MONITOR code with no MONITOR waiting is the session's"],
    ["invalid_ndjson", "monitor", "pending", "report", "a protocol-level code answers whatever recipe waits"],
    ["invalid_ndjson", undefined, "session", "report", "a protocol-level code with nothing waiting is the session's"],
    ["rx_buf_overflow", undefined, "session", "report", "rx_buf_overflow is the session's"],
    ["invalid_payload", undefined, "control", "report", "a payload code with nothing waiting is the latest CONTROL's"],
    ["session_timeout", "monitor", "session", "await_close", "the watchdog's session_timeout answers no recipe: the server is closing"],
    ["handshake_required", "monitor", "session", "rehandshake", "handshake_required while a MONITOR waits leads to a new HANDSHAKE"],
    ["handshake_required", "handshake", "pending", "rehandshake", "handshake_required answers a HANDSHAKE in flight"],
    ["version_mismatch", "handshake", "pending", "stop_retrying", "version_mismatch answers the HANDSHAKE and stops fast retries"],
    ["busy_session_active", "handshake", "pending", "reconnect", "busy_session_active answers the HANDSHAKE and is retried on a new connection"],
    ["nothing_to_stop", "stop", "pending", "ignore", "nothing_to_stop answers the STOP and is harmless"],
    ["stop_failed", "stop", "pending", "reconnect", "stop_failed answers the STOP and leads to a new connection"],
    ["stop_failed", undefined, "session", "reconnect", "stop_failed with no STOP waiting is the session's, and still reconnects"],
    ["invalid_target", "stop", "pending", "stop_session_instead", "invalid_target answers the STOP: the target is unsupported here"],
    ["monitor_already_active", "monitor", "pending", "stop_and_retry", "monitor_already_active answers the MONITOR: STOP it, then once more"],
    ["brand_new_code", "monitor", "session", "report", "a code the catalogue does not know never settles a recipe"],
    ["brand_new_code", undefined, "session", "report", "a code the catalogue does not know is the session's, never a CONTROL sender's"],
  ];
  for (const [code, pending, route, action, why] of rows) {
    it(`${code} with ${pending ?? "nothing"} awaiting an ack → ${route}, ${action}: ${why}`, () => {
      assert.deepEqual(routeServerError(code, pending), { route, action });
    });
  }
});

describe("client: control_err as an error", () => {
  const rows = [
    [{ status: 404, body: { error: "not_found", path: "/x" } }, "the CONTROL failed with HTTP 404: not_found", "a REST error text"],
    [{ status: 403, body: { alarm: "E159", message: "joint speed over its limit" } }, "the CONTROL failed with HTTP 403: E159 joint speed over its limit", "an alarm that refused the request names its code"],
    [{ status: 403, body: { err_code: -5, message: "points exceed the buffer" } }, "the CONTROL failed with HTTP 403: err_code -5 points exceed the buffer", "insert_points names its err_code"],
    [{ status: 400, body: { err_msg: "unknown key x" } }, "the CONTROL failed with HTTP 400: unknown key x", "init's err_msg"],
    [{ status: 500, body: "not an object" }, "the CONTROL failed with HTTP 500", "a body that is not an object adds nothing"],
    [{ body: { error: "x" } }, "the CONTROL failed: x", "no status"],
  ];
  for (const [event, message, why] of rows) {
    it(`control_err ${JSON.stringify(event)} → "${message}": ${why}`, () => {
      const err = controlErrOf({ type: "control_err", ...event });
      assert.equal(err.code, "control_err");
      assert.equal(err.message, message);
      assert.deepEqual(err.body, event.body);
    });
  }
});
