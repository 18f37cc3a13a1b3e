"use strict";
// Property-based fuzzing, bounded to a few seconds: nothing the wire or a flow can send makes the
// framer, the event parser or a validator throw; each answers through its documented result.
const assert = require("node:assert/strict");
const fc = require("fast-check");
const { NdjsonFramer } = require("../../nodes/protocol/framer");
const { parseServerLine } = require("../../nodes/protocol/events");
const v = require("../../nodes/protocol/validate");

const RUNS = 300;

function referenceSplit(buf) {
  const parts = buf.toString("utf8").split("\n");
  parts.pop();
  return parts.map((p) => (p.endsWith("\r") ? p.slice(0, -1) : p)).filter((p) => p.length > 0);
}

describe("protocol: fuzzing", function () {
  this.timeout(20000);

  it("the framer never throws, matches the reference split under any chunking, and stays within its limit", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), fc.array(fc.integer({ min: 1, max: 600 }), { minLength: 1, maxLength: 20 }), (bytes, sizes) => {
        const buf = Buffer.from(bytes);
        const limit = 2048;
        const lines = [];
        let dropped = 0;
        const f = new NdjsonFramer({ line: (l) => lines.push(l), overflow: () => dropped++ }, { maxLineBytes: limit });
        for (let i = 0, k = 0; i < buf.length; k++) {
          const n = Math.min(sizes[k % sizes.length], buf.length - i);
          f.push(buf.subarray(i, i + n));
          i += n;
          assert.ok(f.pendingBytes <= limit);
        }
        const longest = Math.max(0, ...buf.toString("latin1").split("\n").map((s) => s.length));
        if (longest <= limit) assert.deepEqual(lines, referenceSplit(buf));
        else assert.ok(dropped > 0);
      }),
      { numRuns: RUNS },
    );
  });

  it("the event parser answers every line with a typed event or a reason, never a throw", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.jsonValue().map((j) => JSON.stringify(j))), (line) => {
        const r = parseServerLine(line);
        if (r.ok) assert.ok(["handshake_ack", "monitor_ack", "stop_ack", "data", "control_err", "error", "unknown"].includes(r.event.type));
        else assert.ok(["invalid_json", "not_object"].includes(r.reason));
      }),
      { numRuns: RUNS * 3 },
    );
  });

  it("every validator answers any JSON value with ok or a catalogued code, never a throw", () => {
    const { ERROR_CATALOGUE } = require("../../nodes/protocol/errors");
    const validators = [v.validateHandshakePayload, v.validateMonitorPayload, v.validateControlPayload, v.validateStopPayload, v.validateRecipe, v.validateEnvelope];
    const payloadish = fc.oneof(
      fc.jsonValue(),
      fc.record({ url: fc.oneof(fc.string(), fc.jsonValue()), method: fc.oneof(fc.constantFrom("GET", "POST", "PUT", "DELETE"), fc.jsonValue()), period_ms: fc.oneof(fc.integer(), fc.jsonValue()), args: fc.jsonValue(), body: fc.jsonValue(), major: fc.jsonValue(), target: fc.jsonValue() }, { requiredKeys: [] }),
      fc.record({ cmd: fc.oneof(fc.constantFrom("HANDSHAKE", "MONITOR", "CONTROL", "STOP"), fc.jsonValue()), payload: fc.jsonValue() }, { requiredKeys: [] }),
    );
    fc.assert(
      fc.property(payloadish, (input) => {
        for (const validate of validators) {
          const r = validate(input);
          if (!r.ok) assert.ok(ERROR_CATALOGUE.has(r.code), `uncatalogued ${r.code}`);
        }
      }),
      { numRuns: RUNS * 3 },
    );
  });
});
