"use strict";
const assert = require("node:assert/strict");
const { parseServerLine } = require("../../nodes/protocol/events");

function event(line) {
  const r = parseServerLine(line);
  assert.equal(r.ok, true, `expected ${line} to parse`);
  return r.event;
}

describe("protocol: server events", () => {
  it("handshake_ack carries ok and version", () => {
    assert.deepEqual(event('{"type":"handshake_ack","ok":true,"version":"1.0.0"}'), { type: "handshake_ack", ok: true, version: "1.0.0", major: 1 });
  });
  it("handshake_ack with ok:false is a failed handshake", () => {
    assert.equal(event('{"type":"handshake_ack","ok":false}').ok, false);
  });
  it("monitor_ack", () => assert.deepEqual(event('{"type":"monitor_ack"}'), { type: "monitor_ack" }));
  it("stop_ack echoes the target", () => assert.deepEqual(event('{"type":"stop_ack","target":"monitor"}'), { type: "stop_ack", target: "monitor" }));
  it("data carries ts, svc_dur_ms and the REST result", () => {
    const e = event('{"type":"data","ts":402,"svc_dur_ms":2.96,"result":{"_type":"JObject","position":[0,90,0,0,-90,0]}}');
    assert.deepEqual(e, { type: "data", ts: 402, svc_dur_ms: 2.96, result: { _type: "JObject", position: [0, 90, 0, 0, -90, 0] } });
  });
  it("data carries the HTTP status when the REST body was empty", () => {
    assert.deepEqual(event('{"type":"data","ts":1,"svc_dur_ms":0.1,"status":404}'), { type: "data", ts: 1, svc_dur_ms: 0.1, status: 404 });
  });
  it("control_err carries status and body", () => {
    assert.deepEqual(event('{"type":"control_err","status":404,"body":{"msg":"no"}}'), { type: "control_err", status: 404, body: { msg: "no" } });
  });
  it("the common error shape {error,message,hint} becomes an error event", () => {
    assert.deepEqual(event('{"error":"invalid_url","message":"bad url","hint":"start with /"}'), { type: "error", code: "invalid_url", message: "bad url", hint: "start with /" });
    assert.deepEqual(event('{"error":"nothing_to_stop","message":"idle"}'), { type: "error", code: "nothing_to_stop", message: "idle" });
  });
  it("an error that also says type error is the same error event", () => {
    assert.equal(event('{"type":"error","error":"session_timeout","message":"idle"}').code, "session_timeout");
  });
  it("unknown event types are kept, not thrown", () => {
    const e = event('{"type":"heartbeat","n":1}');
    assert.equal(e.type, "unknown");
    assert.equal(e.name, "heartbeat");
    assert.deepEqual(e.raw, { type: "heartbeat", n: 1 });
    assert.equal(event('{"hello":1}').type, "unknown");
  });
  it("a line that is not JSON is reported as invalid_json", () => {
    assert.deepEqual(parseServerLine("{oops"), { ok: false, reason: "invalid_json" });
  });
  it("JSON that is not an object is reported as not_object", () => {
    for (const line of ["[1,2]", "42", '"text"', "null"]) assert.deepEqual(parseServerLine(line), { ok: false, reason: "not_object" });
  });
  it("fields of the wrong type are left out instead of trusted", () => {
    assert.deepEqual(event('{"type":"data","ts":"soon","svc_dur_ms":null,"result":1}'), { type: "data", result: 1 });
  });
});
