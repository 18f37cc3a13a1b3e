"use strict";
// The MAJOR in handshake_ack's version is checked against the session's:
// a server that acks a HANDSHAKE but reports another MAJOR, or a version
// that cannot be read, is treated as the server-sent version_mismatch.
const assert = require("node:assert/strict");
const { OpenStreamClient } = require("../../nodes/client/OpenStreamClient");
const { versionMajor, versionProblem } = require("../../nodes/protocol/version");
const { parseServerLine } = require("../../nodes/protocol/events");
const { until } = require("../support/wait");
const { ScriptServer } = require("../support/script-server");

describe("protocol: the server version in handshake_ack", () => {
  it("MAJOR is read from MAJOR.MINOR.PATCH, with or without MINOR, PATCH and a suffix", () => {
    for (const [text, major] of [["1.0.0", 1], ["999.0.0", 999], ["0.3.1", 0], ["2", 2], ["1.4", 1], ["1.0.0-beta.2", 1], ["1.2.3+build.7", 1]]) {
      assert.equal(versionMajor(text), major, text);
    }
  });
  it("a version that is there but cannot be read is null, which fails closed; none at all is undefined", () => {
    for (const bad of ["", "v1.0.0", "one", "1.x", "01.0.0", " 1.0.0", "1.0.0.0", 1, null, {}, "99999999999.0.0"]) {
      assert.equal(versionMajor(bad), null, JSON.stringify(bad));
    }
    assert.equal(versionMajor(undefined), undefined);
  });
  it("the parsed ack carries the MAJOR beside the version text", () => {
    assert.deepEqual(parseServerLine('{"type":"handshake_ack","ok":true,"version":"2.1.0"}').event, { type: "handshake_ack", ok: true, version: "2.1.0", major: 2 });
    assert.deepEqual(parseServerLine('{"type":"handshake_ack","ok":true,"version":7}').event, { type: "handshake_ack", ok: true, major: null });
    assert.deepEqual(parseServerLine('{"type":"handshake_ack","ok":true}').event, { type: "handshake_ack", ok: true });
  });
  it("versionProblem: none for the same MAJOR or no version; a message with a hint otherwise", () => {
    assert.equal(versionProblem({ version: "1.9.9", major: 1 }, 1), undefined);
    assert.equal(versionProblem({}, 1), undefined);
    assert.match(versionProblem({ version: "999.0.0", major: 999 }, 1).message, /version 999\.0\.0, server major 999/);
    assert.match(versionProblem({ version: "999.0.0", major: 999 }, 1).hint, /major to 999/);
    assert.match(versionProblem({ version: "banana", major: null }, 1).message, /"banana", not MAJOR\.MINOR\.PATCH/);
  });
});

describe("client: version_mismatch from the version in handshake_ack", () => {
  let server;
  let client;

  afterEach(async () => {
    if (client) await client.close({ stopSession: false });
    if (server) await server.close();
    client = undefined;
    server = undefined;
  });

  /** A peer that acks every HANDSHAKE with the given ack fields. */
  async function start(ack, options = {}) {
    server = await ScriptServer.start((recipe, reply) => {
      if (recipe.cmd !== "HANDSHAKE") return false;
      reply({ type: "handshake_ack", ok: true, ...ack });
      return true;
    });
    client = new OpenStreamClient({ host: "127.0.0.1", port: server.port, backoff: { initialMs: 20, maxMs: 20, jitter: 0 }, ...options });
    const states = [];
    client.on("state", (s) => states.push(s));
    client.start();
    return states;
  }

  for (const [what, ack, detail] of [
    ["another MAJOR (999.0.0)", { version: "999.0.0" }, /client major 1; server says: handshake_ack reports version 999\.0\.0, server major 999/],
    ["a version that cannot be read", { version: "banana" }, /"banana", not MAJOR\.MINOR\.PATCH/],
    ["a version that is not a string", { version: 1 }, /not a string/],
  ]) {
    it(`an ack with ${what} is version_mismatch: fatal, never ready, retried only at the slow pace`, async () => {
      const states = await start(ack, { fatalRetryMs: 300 });
      await until(() => states.some((s) => s.state === "failed"), "failed");
      const failed = states.find((s) => s.state === "failed");
      assert.equal(failed.error.code, "version_mismatch");
      assert.match(failed.error.message, detail);
      assert.equal(failed.retryInMs, 300, "the slow fatal pace, not backoff");
      assert.equal(server.connections, 1, "no hot retry");
      await until(() => states.filter((s) => s.state === "failed").length === 2, "one slow retry, refused again");
      assert.ok(!states.some((s) => s.state === "ready"), "never ready");
      assert.equal(server.sent("CONTROL").length + server.sent("MONITOR").length, 0);
    });
  }

  it("a CONTROL while the versions differ is refused with not_connected and never written", async () => {
    const states = await start({ version: "999.0.0" });
    await until(() => states.some((s) => s.state === "failed"), "failed");
    assert.throws(() => client.control({ method: "POST", url: "/project/robot/trajectory/joint_traject_init", body: {} }), { code: "not_connected" });
    assert.equal(server.sent("CONTROL").length, 0);
  });

  for (const [what, ack, shown] of [
    ["the same MAJOR with another MINOR", { version: "1.7.3" }, "1.7.3"],
    ["no version at all (the manual makes it optional)", {}, undefined],
  ]) {
    it(`an ack with ${what} makes the session ready`, async () => {
      await start(ack);
      await until(() => client.state === "ready", "ready");
      assert.equal(client.serverVersion, shown);
    });
  }
});
