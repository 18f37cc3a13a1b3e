"use strict";
// The buffered uploader on its own: how it cuts a plan into insert_points batches and meters
// them against the buffer level, fed by the virtual controller's Open API in-process (its router
// answers the CONTROL lines and the buffer reads as the controller would).
const assert = require("node:assert/strict");
const { holdsFor } = require("../support/wait");
const { batchEnd, insertPointsLine, jointNames, runBuffered, BUFFER_CAPACITY } = require("../../nodes/trajectory/buffered");
const { planFromRows } = require("../../nodes/trajectory/plan");
const { VirtualRobot, OpenApi } = require("../../nodes/sim");

const HOME = [0, 90, 0, 0, -90, 0];
const swing = (n, peak = 2) => planFromRows(Array.from({ length: n }, (_, i) => [peak * Math.sin((Math.PI * i) / (n - 1)) ** 2, 90, 0, 0, -90, 0]), 0.002);

/** The controller's Open API in-process: CONTROL lines go to its router, reads come from its robot. */
function controller(readings = {}) {
  const robot = new VirtualRobot(undefined, HOME, { servoLagMs: 0 });
  const api = new OpenApi(robot, readings);
  const replies = [];
  const io = {
    lines: [],
    write(line) {
      this.lines.push(line);
      const { payload } = JSON.parse(line);
      replies.push(api.handle(payload.method, payload.url, payload.args, payload.body));
      return true;
    },
    readAvailable: async () => robot.bufferAvailable,
  };
  return { robot, io, replies };
}

describe("trajectory: buffered upload", () => {
  it("joint_names are j1..jN in order", () => {
    assert.deepEqual(jointNames(6), ["j1", "j2", "j3", "j4", "j5", "j6"]);
  });

  it("insert_points line: points keyed point_1.., positions in radians, time_from_start = index·dt", () => {
    const plan = swing(10);
    const body = JSON.parse(insertPointsLine(plan, 4, 7)).payload.body;
    assert.deepEqual(Object.keys(body.points), ["point_1", "point_2", "point_3"]);
    assert.equal(body.points.point_1.time_from_start, 0.008);
    assert.ok(Math.abs(body.points.point_3.positions[1] - Math.PI / 2) < 1e-15);
  });

  it("batches: never more than the room, the batch limit or 2048, and never a lone point left over (at least 2 per request)", () => {
    assert.equal(batchEnd(5000, 0, 3000, 4000), BUFFER_CAPACITY);
    assert.equal(batchEnd(5000, 0, 300, 512), 300);
    assert.equal(batchEnd(5000, 0, 2048, 512), 512);
    assert.equal(batchEnd(101, 0, 100, 512), 99, "one point would be left over: it goes with the last batch");
    assert.equal(batchEnd(101, 99, 100, 512), 101);
    assert.equal(batchEnd(100, 0, 1, 512), 0, "no room for 2 points: no batch");
  });

  it("uploads a plan longer than the buffer without ever exceeding it, and ends once the controller has played it", async function () {
    this.timeout(15000);
    const { robot, io, replies } = controller();
    const plan = swing(3000);
    const r = await runBuffered(plan, io, { sendInit: true, pollMs: 5 }).done;
    assert.deepEqual([r.sent, r.total, r.aborted], [3000, 3000, false]);
    assert.ok(replies.every((x) => x.status === 200), JSON.stringify(replies.find((x) => x.status !== 200)));
    assert.equal(robot.queued, 0);
    assert.equal(robot.alarm, undefined);
    // The level it keeps is timing (a late poll lowers it); that it never ran dry is the rule.
    assert.ok(r.upload.lowest_buffer_points > 0 && r.upload.lowest_buffer_points < BUFFER_CAPACITY, `lowest ${r.upload.lowest_buffer_points}`);
    assert.equal(r.upload.calls, io.lines.length - 1);
  });

  it("buffer_unknown: a read that fails ends the run, and nothing more is written", async () => {
    const { io } = controller();
    let reads = 0;
    io.readAvailable = async () => {
      reads += 1;
      if (reads > 1) throw new Error("no answer");
      return BUFFER_CAPACITY;
    };
    const r = await runBuffered(swing(3000), io, { sendInit: true, pollMs: 5 }).done;
    assert.equal(r.reason, "buffer_unknown");
    const written = io.lines.length;
    await holdsFor(() => io.lines.length === written, "nothing written after the run ended", 50);
  });

  it("abort: ends at once even while a read is outstanding, and nothing is written after it", async () => {
    const { io } = controller();
    let release;
    io.readAvailable = () => new Promise((res) => (release = () => res(BUFFER_CAPACITY)));
    const run = runBuffered(swing(3000), io, { sendInit: true, pollMs: 5 });
    await new Promise((res) => setImmediate(res));
    run.abort("stop");
    const r = await run.done;
    assert.equal(r.reason, "stop");
    assert.equal(r.sent, 0);
    release();
    await holdsFor(() => io.lines.length === 1, "the init only, after the outstanding read came back", 20);
  });
});
