"use strict";
// The virtual controller's trajectory endpoints, rule by rule, as the public
// Open API documents them: request shapes, the 403 err_codes of
// joint_traject_insert_points, the playback precondition (E01554), /project/rgen
// and joint_traject_init's agility options.
const assert = require("node:assert/strict");
const http = require("node:http");
const { startSimulator, INSERT_POINTS_ERR } = require("../../nodes/sim");
const { parseArgs } = require("../../nodes/sim/cli");

const INIT = "/project/robot/trajectory/joint_traject_init";
const INSERT = "/project/robot/trajectory/joint_traject_insert_point";
const INSERT_POINTS = "/project/robot/trajectory/joint_traject_insert_points";
const NAMES = ["j1", "j2", "j3", "j4", "j5", "j6"];
const DEG = Math.PI / 180;
const HOME_RAD = [0, 90 * DEG, 0, 0, -90 * DEG, 0];

function request(port, method, path, payload) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, path, method, headers: { "content-type": "application/json" } }, (res) => {
      let body = "";
      res.on("data", (d) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode, body: body ? JSON.parse(body) : undefined }));
    });
    req.on("error", reject);
    req.end(payload === undefined ? undefined : JSON.stringify(payload));
  });
}

/** `n` points keyed point_1.. from the home pose, dt apart, joint 1 moving `stepDeg` each. */
function batch(n, { dt = 0.002, stepDeg = 0.01, from = 0, t0 = 0 } = {}) {
  const points = {};
  for (let k = 0; k < n; k++) {
    points[`point_${k + 1}`] = { positions: [(from + k * stepDeg) * DEG, ...HOME_RAD.slice(1)], time_from_start: t0 + k * dt };
  }
  return { joint_names: NAMES, points };
}

describe("sim: Open API trajectory endpoints", () => {
  let sim;
  beforeEach(async () => {
    sim = await startSimulator({ port: 0, restPort: 0 });
  });
  afterEach(async () => {
    await sim.close();
  });
  const insertPoints = (body) => request(sim.restPort, "POST", INSERT_POINTS, body);

  const cases = [
    ["-2 ERR_MISSING_JOINT_NAMES: joint_names missing", () => ({ points: batch(2).points }), INSERT_POINTS_ERR.jointNamesMissing],
    ["-3 ERR_INVALID_JOINT_NAMES: joint names out of order", () => ({ ...batch(2), joint_names: ["j1", "j3", "j2", "j4", "j5", "j6"] }), -3],
    ["-3 ERR_INVALID_JOINT_NAMES: a joint count other than the robot's", () => ({ ...batch(2), joint_names: NAMES.slice(0, 5) }), -3],
    ["-4 ERR_MISSING_POINTS: points missing", () => ({ joint_names: NAMES }), -4],
    ["-5 ERR_INVALID_POINTS: points as an array instead of an object", () => ({ joint_names: NAMES, points: [HOME_RAD, HOME_RAD] }), -5],
    ["-6 ERR_TOO_FEW_POINTS: one point", () => batch(1), -6],
    ["-7 ERR_TOO_MANY_POINTS: 2049 points in one request", () => batch(2049, { stepDeg: 0 }), -7],
    ["-9 ERR_INVALID_POINT_OBJECT: point_2 is a number", () => ({ joint_names: NAMES, points: { point_1: batch(1).points.point_1, point_2: 5 } }), -9],
    ["-10 ERR_MISSING_POSITIONS: a point without positions", () => ({ joint_names: NAMES, points: { point_1: batch(1).points.point_1, point_2: { time_from_start: 0.002 } } }), -10],
    ["-11 ERR_INVALID_POSITIONS: five positions for six joints", () => ({ joint_names: NAMES, points: { point_1: batch(1).points.point_1, point_2: { positions: HOME_RAD.slice(1), time_from_start: 0.002 } } }), -11],
    ["-11 ERR_INVALID_POSITIONS: a position that is not a number", () => ({ joint_names: NAMES, points: { point_1: batch(1).points.point_1, point_2: { positions: ["0", ...HOME_RAD.slice(1)], time_from_start: 0.002 } } }), -11],
    ["-12 ERR_MISSING_TIME: a point without time_from_start", () => ({ joint_names: NAMES, points: { point_1: batch(1).points.point_1, point_2: { positions: HOME_RAD } } }), -12],
    ["-13 ERR_INVALID_TIME: a negative time_from_start", () => ({ joint_names: NAMES, points: { point_1: { positions: HOME_RAD, time_from_start: -0.1 }, point_2: { positions: HOME_RAD, time_from_start: 0.002 } } }), -13],
    ["-13 ERR_INVALID_TIME: time_from_start going back", () => ({ joint_names: NAMES, points: { point_1: { positions: HOME_RAD, time_from_start: 0.004 }, point_2: { positions: HOME_RAD, time_from_start: 0.002 } } }), -13],
  ];
  for (const [title, body, code] of cases) {
    it(`insert_points ${title} is refused with 403 and err_code ${code}, and nothing is queued`, async () => {
      const r = await insertPoints(body());
      assert.equal(r.status, 403);
      assert.equal(r.body.err_code, code);
      assert.equal(sim.robot.queued, 0);
    });
  }

  it("insert_points -8 ERR_POINTS_EXCEED_BUFFER: more points than the free buffer space", async () => {
    assert.equal((await insertPoints(batch(2000, { stepDeg: 0 }))).status, 200);
    const r = await insertPoints(batch(100, { stepDeg: 0, t0: 10 }));
    assert.equal(r.status, 403);
    assert.equal(r.body.err_code, -8);
    const avail = (await request(sim.restPort, "GET", "/project/robot/trajectory/joint_traject_buf_avail")).body.val;
    assert.ok(avail >= 48 && avail < 100, `buf_avail ${avail}`);
  });

  it("insert_points -13 ERR_INVALID_TIME: a batch that continues a running one must start after its last point", async () => {
    assert.equal((await insertPoints(batch(1000, { stepDeg: 0 }))).status, 200);
    const r = await insertPoints(batch(10, { stepDeg: 0, t0: 1.0 }));
    assert.equal(r.status, 403);
    assert.equal(r.body.err_code, -13);
    assert.equal((await insertPoints(batch(10, { stepDeg: 0, t0: 2.0 }))).status, 200, "Δ > 0 after the last point continues it");
  });

  it("E01554: with no program playing back, /project/rgen says so and every trajectory insert is refused with 403", async () => {
    sim.setReadings({ playback: "stopped" });
    assert.deepEqual((await request(sim.restPort, "GET", "/project/rgen")).body, { _type: "JObject", is_playback: false });
    const many = await insertPoints(batch(2));
    assert.equal(many.status, 403);
    assert.equal(many.body.alarm, "E01554");
    const one = await request(sim.restPort, "POST", INSERT, { interval: 0.002, time_from_start: 0, look_ahead_time: 0.04, point: [0, 90, 0, 0, -90, 0] });
    assert.equal(one.status, 403);
    assert.equal(one.body.alarm, "E01554");
    assert.equal(sim.robot.queued, 0);
  });

  it("rgen absent: a controller without /project/rgen answers 404", async () => {
    sim.setReadings({ rgen: "absent" });
    assert.equal((await request(sim.restPort, "GET", "/project/rgen")).status, 404);
  });

  it("E2630 could not follow: after the alarm, inserts are refused with 403 until joint_traject_init", async () => {
    sim.setReadings({ servoLagMs: 0 });
    assert.equal((await insertPoints(batch(5, { stepDeg: 0.1 }))).status, 200);
    const { until } = require("../support/wait");
    await until(() => sim.robot.alarm !== undefined, "the buffer runs dry mid-motion");
    const r = await insertPoints(batch(2, { stepDeg: 0 }));
    assert.equal(r.status, 403);
    assert.equal(r.body.alarm, "E2630");
    assert.equal((await request(sim.restPort, "POST", INIT, {})).status, 200);
    assert.equal((await insertPoints(batch(2, { stepDeg: 0, from: 0.4 }))).status, 200);
  });

  describe("joint_traject_init agility options", () => {
    it("agility_mode and agility_freq (0-500) are taken and kept; an empty body turns agility off", async () => {
      assert.equal((await request(sim.restPort, "POST", INIT, { agility_mode: true, agility_freq: 120 })).status, 200);
      assert.deepEqual(sim.robot.agility, { agility_mode: true, agility_freq: 120 });
      assert.equal((await request(sim.restPort, "POST", INIT, {})).status, 200);
      assert.deepEqual(sim.robot.agility, {});
    });
    for (const [title, body] of [
      ["agility_freq above 500", { agility_mode: true, agility_freq: 501 }],
      ["agility_freq negative", { agility_freq: -1 }],
      ["agility_freq not whole", { agility_freq: 20.5 }],
      ["agility_mode not a boolean", { agility_mode: "on" }],
    ]) {
      it(`bad value: ${title} is answered 400 with err_msg, and the buffer is not cleared`, async () => {
        assert.equal((await insertPoints(batch(100, { stepDeg: 0 }))).status, 200);
        const r = await request(sim.restPort, "POST", INIT, body);
        assert.equal(r.status, 400);
        assert.equal(typeof r.body.err_msg, "string");
        assert.ok(sim.robot.queued > 0);
      });
    }
    it("agility unsupported (before 70.04-00): a body that sets agility is answered 400", async () => {
      sim.setReadings({ agility: "unsupported" });
      assert.equal((await request(sim.restPort, "POST", INIT, { agility_mode: false })).status, 400);
      assert.equal((await request(sim.restPort, "POST", INIT, {})).status, 200);
    });
  });

  it("hi6-sim takes the new readings as flags", () => {
    const o = parseArgs(["--playback", "stopped", "--rgen", "absent", "--servo-lag-ms", "40", "--joint-speed-limit", "120", "--agility", "unsupported"]);
    assert.deepEqual(o.readings, { playback: "stopped", rgen: "absent", servoLagMs: 40, jointSpeedLimitDegS: 120, agility: "unsupported" });
    assert.throws(() => parseArgs(["--playback", "maybe"]), /playing, stopped/);
  });
});
