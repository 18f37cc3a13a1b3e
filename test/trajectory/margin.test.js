"use strict";
const assert = require("node:assert/strict");
const { AdaptiveMargin, FixedMargin, ADAPTIVE_MIN_NS, ADAPTIVE_MAX_NS } = require("../../nodes/trajectory/margin");
const { Pacer } = require("../../nodes/trajectory/pacer");

const US = 1000n;

/** A clock that moves 1 µs per reading, and whose sleeps wake `oversleep()` ns after the time asked for. */
function fakeClock(oversleep) {
  let t = 1_000_000_000n;
  const sleeps = [];
  const now = () => (t += US);
  return {
    sleeps,
    get t() {
      return t;
    },
    now,
    spin: (deadline, cell) => {
      let at = now();
      while (at < deadline && Atomics.load(cell, 0) === 0) at = now();
      return at;
    },
    sleep: (_cell, ms) => {
      sleeps.push(ms);
      t += BigInt(Math.round(ms * 1e6)) + oversleep();
    },
  };
}

function feed(margin, n, oversleepNs) {
  for (let i = 0; i < n; i++) margin.observe(typeof oversleepNs === "function" ? oversleepNs(i) : oversleepNs);
}

describe("trajectory: the spin margin", () => {
  it("fixed margin: the pacer sleeps until the margin before the deadline and spins the rest, whatever the oversleeps", () => {
    const clock = fakeClock(() => 40n * US);
    const pacer = new Pacer(300n * US, clock);
    const deadline = clock.t + 2_000n * US;
    const woke = pacer.waitUntil(deadline);
    assert.ok(woke >= deadline, "never returns before the deadline");
    assert.ok(woke - deadline <= US, "returns within one clock step of it");
    // Asked to wake 300 µs before the deadline, from 1 µs after the start.
    assert.ok(Math.abs(clock.sleeps[0] - 1.699) < 0.002, `slept ${clock.sleeps[0]} ms`);
    assert.equal(pacer.marginNs, 300n * US);
  });

  it("adaptive margin: starts at the margin it is given until enough sleeps were seen", () => {
    const m = new AdaptiveMargin({ initialNs: 300n * US, every: 32 });
    feed(m, 31, 5n * US);
    assert.equal(m.marginNs, 300n * US);
  });

  it("adaptive margin: a window not yet full counts only the sleeps seen so far", () => {
    const m = new AdaptiveMargin({ initialNs: 300n * US, window: 256, every: 32 });
    feed(m, 32, 80n * US);
    assert.equal(m.marginNs, 120n * US, "80 µs × 1.25 + 20 µs, not pulled down by the 224 slots never written");
  });

  it("adaptive margin: shrinks towards the oversleeps a quiet thread sees, never below its floor", () => {
    const m = new AdaptiveMargin({ initialNs: 300n * US });
    feed(m, 256, 10n * US);
    // 10 µs × 1.25 + 20 µs headroom = 32.5 µs, below the 50 µs floor.
    assert.equal(m.marginNs, ADAPTIVE_MIN_NS);
    const m2 = new AdaptiveMargin({ initialNs: 300n * US });
    feed(m2, 256, 80n * US);
    assert.equal(m2.marginNs, 120n * US, "80 µs × 1.25 + 20 µs");
  });

  it("adaptive margin: grows when the thread wakes later than the margin covers, up to its ceiling", () => {
    const m = new AdaptiveMargin({ initialNs: 300n * US });
    feed(m, 256, 400n * US);
    assert.equal(m.marginNs, 520n * US, "400 µs × 1.25 + 20 µs");
    feed(m, 256, 5_000n * US);
    assert.equal(m.marginNs, ADAPTIVE_MAX_NS);
  });

  it("adaptive margin: a rare stall is one sample of hundreds and does not make every tick spin for it", () => {
    const m = new AdaptiveMargin({ initialNs: 300n * US });
    // Two stalls of 4 ms in 256 sleeps that otherwise wake 60 µs late: under the 98th percentile.
    feed(m, 256, (i) => (i === 50 || i === 200 ? 4_000n * US : 60n * US));
    assert.equal(m.marginNs, 95n * US, "60 µs × 1.25 + 20 µs");
  });

  it("adaptive margin: follows a change of load, since only the latest window of sleeps counts", () => {
    const m = new AdaptiveMargin({ initialNs: 300n * US, window: 128 });
    feed(m, 128, 400n * US);
    assert.equal(m.marginNs, 520n * US);
    feed(m, 128, 40n * US);
    assert.equal(m.marginNs, 70n * US, "40 µs × 1.25 + 20 µs once the loaded sleeps left the window");
  });

  it("adaptive margin: an early wake counts as no oversleep", () => {
    const m = new AdaptiveMargin({ initialNs: 300n * US, minNs: 0n, headroomNs: 0n });
    feed(m, 64, -30n * US);
    assert.equal(m.marginNs, 0n);
  });

  it("adaptive margin: refuses bounds that cannot hold", () => {
    assert.throws(() => new AdaptiveMargin({ initialNs: 0n, minNs: 500n * US, maxNs: 100n * US }), RangeError);
  });

  it("the pacer reports each sleep's oversleep to an adaptive margin and sleeps less as it grows", () => {
    const clock = fakeClock(() => 500n * US);
    const margin = new AdaptiveMargin({ initialNs: 300n * US, every: 8 });
    const pacer = new Pacer(margin, clock);
    let deadline = clock.t;
    let latest = 0n;
    for (let i = 0; i < 64; i++) {
      deadline += 2_000n * US;
      const woke = pacer.waitUntil(deadline);
      latest = woke - deadline;
    }
    assert.equal(margin.marginNs, 646_250n, "(500 µs oversleep + the 1 µs clock reading after it) × 1.25 + 20 µs");
    assert.ok(latest <= US, `the last wait ended on its deadline, ${latest} ns after it`);
    assert.ok(clock.sleeps.at(-1) < clock.sleeps[0], "a larger margin means a shorter sleep");
  });

  it("a sleep cut short by interrupt() is not taken as an oversleep", () => {
    const clock = fakeClock(() => 0n);
    const seen = [];
    const pacer = new Pacer({ marginNs: 300n * US, observe: (ns) => seen.push(ns) }, clock);
    pacer.interrupt();
    pacer.waitUntil(clock.t + 2_000n * US);
    assert.deepEqual(seen, []);
    pacer.reset();
    pacer.waitUntil(clock.t + 2_000n * US);
    assert.equal(seen.length, 1);
  });

  it("a fixed margin ignores what it observes", () => {
    const m = new FixedMargin(300n * US);
    feed(m, 1000, 5_000n * US);
    assert.equal(m.marginNs, 300n * US);
  });
});
