"use strict";
const assert = require("node:assert/strict");
const r = require("../../nodes/protocol/recipes");

describe("protocol: recipes", () => {
  it("each recipe is one compact JSON object ending in exactly one newline", () => {
    const line = r.encodeRecipe(r.handshakeRecipe(1));
    assert.equal(line, '{"cmd":"HANDSHAKE","payload":{"major":1}}\n');
    assert.equal(line.indexOf("\n"), line.length - 1);
  });
  it("MONITOR, CONTROL and STOP encode as {cmd, payload}", () => {
    assert.equal(r.encodeRecipe(r.monitorRecipe({ method: "GET", url: "/x", period_ms: 10 })), '{"cmd":"MONITOR","payload":{"method":"GET","url":"/x","period_ms":10}}\n');
    assert.equal(r.encodeRecipe(r.controlRecipe({ method: "POST", url: "/y", args: {}, body: { a: 1 } })), '{"cmd":"CONTROL","payload":{"method":"POST","url":"/y","args":{},"body":{"a":1}}}\n');
    assert.equal(r.encodeRecipe(r.stopRecipe("session")), '{"cmd":"STOP","payload":{"target":"session"}}\n');
  });
  it("a newline inside a string is escaped, so framing holds", () => {
    const line = r.encodeRecipe(r.controlRecipe({ method: "PUT", url: "/z", body: { text: "a\nb" } }));
    assert.equal(line.split("\n").length, 2);
  });
  it("non-ASCII text is encoded as UTF-8 JSON without breaking the line", () => {
    const line = r.encodeRecipe(r.controlRecipe({ method: "PUT", url: "/z", body: { name: "로봇" } }));
    assert.deepEqual(JSON.parse(Buffer.from(line, "utf8").toString("utf8")).payload.body, { name: "로봇" });
  });
});
