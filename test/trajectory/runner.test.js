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

const OPTS = { lookAhead: 0.04, timeFromStart: "elapsed", sendInit: true };

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
  it("write_queue_full: a refused write aborts the run with that reason", async () => {
    const r = await runTrajectory(ramp(100), recorder(11), OPTS).done;
    assert.deepEqual([r.sent, r.aborted, r.reason], [10, true, "write_queue_full"]);
  });
  it("reports stats: fields present, finite and ordered p50 ≤ p99 ≤ max", async () => {
    const r = await runTrajectory(ramp(100), recorder(), OPTS).done;
    const s = r.stats;
    for (const k of ["dt_ms", "period_mean_ms", "late_p50_us", "late_p99_us", "late_max_us", "late_over_1ms", "late_over_10ms"]) assert.ok(Number.isFinite(s[k]), k);
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
  });
});
