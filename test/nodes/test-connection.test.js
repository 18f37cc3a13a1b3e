"use strict";
// The session dialog's Test connection button: its admin endpoint, hit as the editor hits it,
// against the virtual controller, a closed port and a server that never answers.
const assert = require("node:assert/strict");
const net = require("node:net");
const { helper, allNodes, waitFor, startRig, stopRig } = require("./support");
const { TEST_CONNECTION_PATH, TEST_CONNECTION_TIMEOUT_MS, TEST_CONNECTION_MAX_IN_FLIGHT } = require("../../nodes/nodes/test-connection");

/** A port that was free a moment ago, so nothing listens on it. */
async function closedPort() {
  const server = net.createServer();
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address();
  await new Promise((r) => server.close(r));
  return port;
}

describe("nodes: the session dialog's Test connection endpoint", function () {
  let sim;

  beforeEach(async () => {
    sim = await startRig();
    await helper.load(allNodes, [{ id: "s1", type: "hi6-session", host: "127.0.0.1", port: sim.port, major: 1, restPort: sim.restPort }]);
  });
  afterEach(async () => {
    await stopRig(sim);
  });

  const test = (body) => helper.request().post(TEST_CONNECTION_PATH).send(body).set("Content-Type", "application/json");

  it("a HANDSHAKE to the virtual controller answers ok with its version, and the test connection is closed afterwards", async () => {
    const res = await test({ host: "127.0.0.1", port: String(sim.port), major: "1" }).expect(200);
    assert.equal(res.body.ok, true);
    assert.match(res.body.version, /^1\.\d+\.\d+/);
    assert.ok(sim.received.some((l) => /"cmd":"HANDSHAKE"/.test(l)), "the controller got a HANDSHAKE");
    assert.ok(!sim.received.some((l) => /"cmd":"(MONITOR|CONTROL|STOP)"/.test(l)), "and nothing else");
    await waitFor(() => sim.connectionCount() === 0, "no socket left open");
  });

  it("a closed port answers refused (ECONNREFUSED)", async () => {
    const res = await test({ host: "127.0.0.1", port: await closedPort(), major: 1 }).expect(200);
    assert.deepEqual(res.body, { ok: false, cause: "refused", code: "ECONNREFUSED" });
  });

  it("a major the controller does not speak answers handshake rejected with version_mismatch", async () => {
    const res = await test({ host: "127.0.0.1", port: sim.port, major: 2 }).expect(200);
    assert.equal(res.body.ok, false);
    assert.equal(res.body.cause, "handshake_rejected");
    assert.equal(res.body.code, "version_mismatch");
    assert.match(res.body.detail, /server major 1/);
    await waitFor(() => sim.connectionCount() === 0, "no socket left open");
  });

  it("a server that accepts and never answers HANDSHAKE times out (no_handshake_answer) within the bound, and its socket is closed", async () => {
    const silent = net.createServer();
    const closed = new Promise((resolve) => silent.on("connection", (s) => s.resume().on("close", resolve)));
    await new Promise((r) => silent.listen(0, "127.0.0.1", r));
    try {
      const started = Date.now();
      const res = await test({ host: "127.0.0.1", port: silent.address().port, major: 1 }).expect(200);
      const took = Date.now() - started;
      assert.equal(res.body.cause, "no_handshake_answer");
      assert.equal(res.body.detail, String(TEST_CONNECTION_TIMEOUT_MS / 1000));
      assert.ok(took >= TEST_CONNECTION_TIMEOUT_MS - 50, `waited the bound, ${took} ms`);
      await closed;
    } finally {
      await new Promise((r) => silent.close(r));
    }
  });

  it("at most TEST_CONNECTION_MAX_IN_FLIGHT tests run at once; one more is turned away with 429 and connects nowhere", async () => {
    const silent = net.createServer((s) => s.resume());
    await new Promise((r) => silent.listen(0, "127.0.0.1", r));
    let accepted = 0;
    silent.on("connection", () => accepted++);
    try {
      const port = silent.address().port;
      const running = Array.from({ length: TEST_CONNECTION_MAX_IN_FLIGHT }, () => test({ host: "127.0.0.1", port, major: 1 }).then((r) => r));
      await waitFor(() => accepted === TEST_CONNECTION_MAX_IN_FLIGHT, "every allowed test connected");
      const extra = await test({ host: "127.0.0.1", port, major: 1 }).expect(429);
      assert.equal(extra.body.cause, "busy");
      const answers = await Promise.all(running);
      for (const a of answers) assert.equal(a.body.cause, "no_handshake_answer");
      assert.equal(accepted, TEST_CONNECTION_MAX_IN_FLIGHT, "the turned-away test opened no connection");
      await test({ host: "127.0.0.1", port: sim.port, major: 1 }).expect(200);
    } finally {
      await new Promise((r) => silent.close(r));
    }
  });

  for (const [what, body] of [
    ["an empty host", { host: "", port: 49000 }],
    ["a host with a path", { host: "127.0.0.1/admin", port: 49000 }],
    ["a url in place of a host", { host: "http://127.0.0.1", port: 49000 }],
    ["a port out of range", { host: "127.0.0.1", port: 65536 }],
    ["a port that is not a number", { host: "127.0.0.1", port: "49000; x" }],
    ["a negative major", { host: "127.0.0.1", port: 49000, major: -1 }],
    ["an ${ENV_VAR} port, which only gets its value at deploy", { host: "127.0.0.1", port: "${HI6_PORT}" }],
    ["no body at all", undefined],
  ]) {
    it(`bad input (${what}) is refused with 400 invalid_input and connects nowhere`, async () => {
      const before = sim.received.length;
      const res = await (body === undefined ? helper.request().post(TEST_CONNECTION_PATH) : test(body)).expect(400);
      assert.equal(res.body.ok, false);
      assert.equal(res.body.cause, "invalid_input");
      assert.ok(res.body.detail.length > 0, "says what is wrong");
      assert.equal(sim.received.length, before);
    });
  }
});
