"use strict";
// The one rate limit behind warnings and drop reports, on an injected clock.
const assert = require("node:assert/strict");
const { Throttle } = require("../../nodes/client/throttle");

function clocked(everyMs) {
  const clock = { t: 0 };
  return { clock, throttle: new Throttle(everyMs, () => clock.t) };
}

describe("client: throttle", () => {
  it("lets a key through once per interval, and again when the interval has run out", () => {
    const { clock, throttle } = clocked(1000);
    assert.equal(throttle.pass("invalid_url"), true);
    clock.t = 999;
    assert.equal(throttle.pass("invalid_url"), false);
    clock.t = 1000;
    assert.equal(throttle.pass("invalid_url"), true);
  });

  it("keeps each key's interval apart", () => {
    const { clock, throttle } = clocked(1000);
    assert.equal(throttle.pass("a"), true);
    clock.t = 10;
    assert.equal(throttle.pass("b"), true);
    assert.equal(throttle.pass("a"), false);
  });

  it("says how long a key must wait, and a refused pass does not restart the interval", () => {
    const { clock, throttle } = clocked(5000);
    assert.equal(throttle.wait(), 0);
    throttle.mark();
    clock.t = 1500;
    assert.equal(throttle.wait(), 3500);
    assert.equal(throttle.pass(), false);
    clock.t = 5000;
    assert.equal(throttle.wait(), 0);
  });

  it("stays bounded when a server sends a new code every time", () => {
    const { clock, throttle } = clocked(60000);
    for (let i = 0; i < 10000; i++) {
      clock.t = i;
      assert.equal(throttle.pass(`code_${i}`), true);
    }
    assert.ok(throttle.size <= 256, `${throttle.size} keys held`);
    // The newest keys are the ones kept: a repeat of the last code is still held back.
    assert.equal(throttle.pass("code_9999"), false);
  });
});
