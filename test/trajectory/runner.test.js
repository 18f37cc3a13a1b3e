"use strict";
const assert = require("node:assert/strict");
const { runTrajectory } = require("../../nodes/trajectory/runner");
const { planFromRows } = require("../../nodes/trajectory/plan");
const { TimingStats } = require("../../nodes/trajectory/stats");

function ramp(n, dt = 0.002) {
  return planFromRows(Array.from({ length: n }, (_, i) => [i, 90, 0, 0, -90, 0]), dt);
}

function recorder(limit = Infinity) {
  const lines = [];
  return { lines, write: (l) => (lines.length < limit ? (lines.push(JSON.parse(l)), true) : false) };
}

// Catch-up keeps these runs whole on a busy machine; the late-tick rule has tests of its own below.
const OPTS = { lookAhead: 0.04, timeFromStart: "elapsed", sendInit: true, lateTicks: "catch_up" };

describe("trajectory: the run loop", () => {
  it("sends joint_traject_init first, then every point in order with time_from_start = i·dt", async () => {
    const w = recorder();
    const r = await runTrajectory(ramp(50), w, OPTS).done;
    assert.deepEqual([r.sent, r.total, r.aborted], [50, 50, false]);
    assert.equal(w.lines[0].payload.url, "/project/robot/trajectory/joint_traject_init");
    const points = w.lines.slice(1);
    assert.equal(points.length, 50);
    points.forEach((l, i) => {
      assert.equal(l.cmd, "CONTROL");
      assert.equal(l.payload.method, "POST");
      assert.equal(l.payload.url, "/project/robot/trajectory/joint_traject_insert_point");
      assert.deepEqual(l.payload.body, { interval: 0.002, time_from_start: Math.round(i * 0.002 * 1e9) / 1e9, look_ahead_time: 0.04, point: [i, 90, 0, 0, -90, 0] });
    });
  });
  it("time_from_start is -1 in server mode, and init can be left out", async () => {
    const w = recorder();
    await runTrajectory(ramp(5), w, { ...OPTS, timeFromStart: "server", sendInit: false }).done;
    assert.equal(w.lines.length, 5);
    assert.ok(w.lines.every((l) => l.payload.body.time_from_start === -1));
  });
  it("abort stops the run at once: no point is written after it, and the count sent is reported", async () => {
    const w = recorder();
    let run;
    let abortedAt;
    const origWrite = w.write;
    w.write = (l) => {
      const ok = origWrite(l);
      if (w.lines.length === 21) {
        run.abort("stop");
        abortedAt = w.lines.length;
      }
      return ok;
    };
    run = runTrajectory(ramp(500), w, OPTS);
    const r = await run.done;
    assert.equal(w.lines.length, abortedAt, "nothing after the abort");
    assert.deepEqual([r.sent, r.aborted, r.reason], [20, true, "stop"]);
  });
  it("abort from the event loop between ticks: the next write never happens", async () => {
    const w = recorder();
    const run = runTrajectory(ramp(5000), w, OPTS);
    let atAbort;
    // An event-loop callback, as a flow's "stop" would be, once a few points are out.
    let finished = false;
    run.done.then(() => (finished = true));
    const poll = () => {
      if (finished) return;
      if (w.lines.length < 10) return void setImmediate(poll);
      atAbort = w.lines.length;
      run.abort("stop");
    };
    setImmediate(poll);
    const r = await run.done;
    assert.equal(w.lines.length, atAbort, "nothing after the abort");
    assert.deepEqual([r.sent, r.aborted, r.reason], [atAbort - 1, true, "stop"]);
    assert.ok(r.sent < r.total);
  });
  it("a late tick writes every due point at once and keeps time_from_start = i·dt", async () => {
    const lines = [];
    const blockOnPoint = 6; // the init line comes first, so line 6 is point 5
    const w = {
      write: (l) => {
        lines.push(JSON.parse(l));
        if (lines.length === blockOnPoint) {
          const end = process.hrtime.bigint() + 10_000_000n;
          while (process.hrtime.bigint() < end);
        }
        return true;
      },
    };
    const r = await runTrajectory(ramp(40), w, OPTS).done;
    assert.equal(r.sent, 40);
    lines.slice(1).forEach((l, i) => assert.equal(l.payload.body.time_from_start, Math.round(i * 0.002 * 1e9) / 1e9));
    // Points 6..9 fell due while point 5's write held the thread for 10 ms: each is counted late.
    assert.ok(r.stats.late_over_1ms >= 4, `late_over_1ms ${r.stats.late_over_1ms}`);
    assert.ok(r.stats.late_max_us >= 7000, `late_max_us ${r.stats.late_max_us}`);
  });
  it("refusing the init line aborts with write_queue_full before any point", async () => {
    const r = await runTrajectory(ramp(10), recorder(0), OPTS).done;
    assert.deepEqual([r.sent, r.aborted, r.reason], [0, true, "write_queue_full"]);
  });
  it("write_queue_full: a refused write aborts the run with that reason", async () => {
    const r = await runTrajectory(ramp(100), recorder(11), OPTS).done;
    assert.deepEqual([r.sent, r.aborted, r.reason], [10, true, "write_queue_full"]);
  });
  it("reports stats: fields present, finite and ordered p50 ≤ p99 ≤ max", async () => {
    const r = await runTrajectory(ramp(100), recorder(), OPTS).done;
    const s = r.stats;
    for (const k of ["dt_ms", "period_mean_ms", "late_mean_us", "late_p50_us", "late_p99_us", "late_max_us", "late_over_1ms", "late_over_10ms"]) assert.ok(Number.isFinite(s[k]), k);
    assert.equal(s.dt_ms, 2);
    assert.ok(s.late_p50_us <= s.late_p99_us && s.late_p99_us <= s.late_max_us);
    assert.ok(s.period_mean_ms > 0);
  });
  it("reports progress, the last one at the end of the run", async () => {
    const seen = [];
    await runTrajectory(ramp(30), recorder(), { ...OPTS, onProgress: (p) => seen.push(p) }).done;
    assert.ok(seen.length >= 1);
    assert.deepEqual(seen[seen.length - 1].sent, 30);
    assert.equal(seen[seen.length - 1].total, 30);
  });
  it("timing statistics: percentiles from buckets, misses counted", () => {
    const s = new TimingStats(0.002);
    for (let i = 0; i < 98; i++) s.record(5_000n, BigInt(i) * 2_000_000n);
    s.record(2_000_000n, 98n * 2_000_000n);
    s.record(20_000_000n, 99n * 2_000_000n);
    const sum = s.summary();
    assert.equal(sum.late_p50_us, 6, "the 5 µs bucket reports its upper edge");
    assert.equal(sum.late_max_us, 20000);
    assert.equal(sum.late_over_1ms, 2);
    assert.equal(sum.late_over_10ms, 1);
    assert.equal(sum.period_mean_ms, 2);
    assert.equal(sum.late_mean_us, (98 * 5 + 2000 + 20000) / 100);
  });
  it("timing statistics: coarse buckets past 10 ms still bound the percentile from above, capped at the exact max", () => {
    const s = new TimingStats(0.001);
    s.record(-3_000n, 0n);
    s.record(12_345_678n, 1_000_000n);
    assert.equal(s.percentileUs(0.5), 1, "an early write lands in the first bucket, reported by its upper edge");
    assert.equal(s.summary().late_p99_us, 12345.7);
    assert.equal(s.summary().late_max_us, 12345.7);
  });
  describe("late ticks and the gate", () => {
    /** A writer that holds the thread for `blockMs` on the write of point `at`: the next tick falls due late. */
    function stallingWriter(at, blockMs) {
      const w = recorder();
      const orig = w.write;
      w.write = (l) => {
        const ok = orig(l);
        if (w.lines.length === at + 1) {
          const until = process.hrtime.bigint() + BigInt(blockMs * 1e6);
          while (process.hrtime.bigint() < until);
        }
        return ok;
      };
      return w;
    }

    it("late_tick: a point due later than the look-ahead aborts the run by default, instead of a burst of catch-up points", async () => {
      const w = stallingWriter(10, 80);
      const r = await runTrajectory(ramp(200), w, { ...OPTS, lookAhead: 0.025, lateTicks: undefined }).done;
      assert.deepEqual([r.aborted, r.reason], [true, "late_tick"]);
      assert.equal(r.sent, 10, "the stalled write was the last one");
      assert.equal(w.lines.length - 1, r.sent);
    });

    it("lateTicks catch_up: the same stall writes every due point and the run completes", async () => {
      const w = stallingWriter(10, 80);
      const r = await runTrajectory(ramp(200), w, { ...OPTS, lookAhead: 0.025, lateTicks: "catch_up" }).done;
      assert.deepEqual([r.sent, r.aborted], [200, false]);
      assert.ok(r.stats.late_max_us >= 20000, "the late tick is reported, not hidden");
    });

    it("a tick late by less than the look-ahead still catches up: the controller's buffer held points", async () => {
      const w = stallingWriter(10, 12);
      const r = await runTrajectory(ramp(100), w, { ...OPTS, lookAhead: 1, lateTicks: "abort" }).done;
      assert.deepEqual([r.sent, r.aborted], [100, false]);
    });

    it("the gate is asked before every write, and the reason it gives ends the run there with nothing written after", async () => {
      const w = recorder();
      let asked = 0;
      const gate = () => (++asked > 25 ? "controller_silent" : undefined);
      const r = await runTrajectory(ramp(100), w, { ...OPTS, gate }).done;
      assert.deepEqual([r.sent, r.aborted, r.reason], [25, true, "controller_silent"]);
      assert.equal(w.lines.length - 1, 25);
      assert.equal(asked, 26);
    });

    it("the first abort reason wins and is readable on the run", async () => {
      const run = runTrajectory(ramp(5000), recorder(), OPTS);
      run.abort("closed");
      run.abort("connection_lost");
      const r = await run.done;
      assert.equal(r.reason, "closed");
      assert.equal(run.reason, "closed");
    });
  });
});
