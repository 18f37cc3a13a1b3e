"use strict";
// How every node reads a number from its saved configuration.
const assert = require("node:assert/strict");
const { numberSetting } = require("../../nodes/nodes/number-setting");

describe("nodes: number settings", () => {
  it("reads numbers and the strings the editor saves", () => {
    assert.equal(numberSetting(12), 12);
    assert.equal(numberSetting("12"), 12);
    assert.equal(numberSetting(" 0.5 "), 0.5);
    assert.equal(numberSetting("0"), 0);
  });

  it("treats blank, non-numeric and non-finite values as no setting", () => {
    for (const v of [undefined, null, "", "  ", "abc", "12ms", NaN, Infinity, "Infinity", true, [], {}]) {
      assert.equal(numberSetting(v), undefined, JSON.stringify(v));
    }
  });
});
