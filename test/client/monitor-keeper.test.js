"use strict";
// The MONITOR keeper's rules, without a socket: one MONITOR stored per session, sent again on
// each new connection, given up on a refusal, STOP-and-retried once on monitor_already_active,
// and watched for a stream that stops while the session is ready.
const assert = require("node:assert/strict");
const { until, holdsFor } = require("../support/wait");
const { MonitorKeeper } = require("../../nodes/client/monitor-keeper");
const { Hi6Error } = require("../../nodes/protocol/errors");

const PAYLOAD = { url: "/project/robot/joints/joint_states", method: "GET", period_ms: 10 };
const OTHER = { url: "/project/rgen", method: "GET", period_ms: 20 };

/** A host whose queued recipes the test answers one by one. */
function fakeHost({ ready = true } = {}) {
  const host = {
    ready,
    sent: [],
    acks: [],
    stalls: [],
    onStall: undefined,
    enqueue(kind, line, target) {
      return new Promise((resolve, reject) => host.sent.push({ kind, line, target, resolve, reject }));
    },
    pump() {},
    readyChecks: 0,
    isReady: () => {
      host.readyChecks += 1;
      return host.ready;
    },
    acked: (tag) => host.acks.push(tag),
    stalled: (limit) => {
      host.stalls.push(limit);
      if (host.onStall) host.onStall(limit);
    },
  };
  return host;
}

describe("client: the MONITOR keeper", () => {
  const keepers = [];
  function keeper(host, stallMs = () => 60_000) {
    const k = new MonitorKeeper(host, stallMs);
    keepers.push(k);
    return k;
  }
  afterEach(() => {
    for (const k of keepers.splice(0)) k.clear();
  });

  it("keeps one MONITOR: a newer one replaces the older and hands it back", () => {
    const k = keeper(fakeHost());
    assert.equal(k.replace(PAYLOAD, "a"), undefined);
    const previous = k.replace(OTHER, "b");
    assert.equal(previous.tag, "a");
    assert.equal(k.current.tag, "b");
    assert.deepEqual(k.request, { url: "/project/rgen", period_ms: 20 });
  });

  it("an ack reports the MONITOR's tag", async () => {
    const host = fakeHost();
    const k = keeper(host);
    k.replace(PAYLOAD, "tag-1");
    const acked = k.send();
    assert.equal(host.sent[0].kind, "monitor");
    assert.match(host.sent[0].line, /"cmd":"MONITOR"/);
    host.sent[0].resolve();
    await acked;
    assert.deepEqual(host.acks, ["tag-1"]);
  });

  it("is sent once per connection: a new ready re-arms it only after the connection went", async () => {
    const host = fakeHost();
    const k = keeper(host);
    k.replace(PAYLOAD, "t");
    k.send();
    assert.equal(k.rearm(), undefined, "already queued on this connection");
    k.connectionGone();
    const rearm = k.rearm();
    assert.equal(rearm.tag, "t");
    assert.equal(host.sent.length, 2);
    host.sent[1].resolve();
    await rearm.acked;
  });

  it("a lost connection keeps the MONITOR for the next one", async () => {
    const host = fakeHost();
    const k = keeper(host);
    k.replace(PAYLOAD, "t");
    const sent = k.send();
    host.sent[0].reject(new Hi6Error("connection_lost"));
    await assert.rejects(sent, { code: "connection_lost" });
    assert.equal(k.current.tag, "t");
  });

  it("a refusal from the server ends the MONITOR: nothing is re-armed", async () => {
    const host = fakeHost();
    const k = keeper(host);
    k.replace(PAYLOAD, "t");
    const sent = k.send();
    host.sent[0].reject(new Hi6Error("invalid_url"));
    await assert.rejects(sent, { code: "invalid_url" });
    assert.equal(k.current, undefined);
    k.connectionGone();
    assert.equal(k.rearm(), undefined);
  });

  it("a refusal of a MONITOR since replaced leaves the newer one alone", async () => {
    const host = fakeHost();
    const k = keeper(host);
    k.replace(PAYLOAD, "old");
    const sent = k.send();
    k.replace(OTHER, "new");
    host.sent[0].reject(new Hi6Error("invalid_url"));
    await assert.rejects(sent, { code: "invalid_url" });
    assert.equal(k.current.tag, "new");
  });

  it("monitor_already_active: STOP monitor, then the MONITOR once more", async () => {
    const host = fakeHost();
    const k = keeper(host);
    k.replace(PAYLOAD, "t");
    const sent = k.send();
    host.sent[0].reject(new Hi6Error("monitor_already_active"));
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(host.sent.map((s) => [s.kind, s.target]), [["monitor", undefined], ["stop", "monitor"], ["monitor", undefined]]);
    host.sent[1].resolve();
    host.sent[2].resolve();
    await sent;
    assert.deepEqual(host.acks, ["t"]);
  });

  it("monitor_already_active twice: the MONITOR is given up, with no third try", async () => {
    const host = fakeHost();
    const k = keeper(host);
    k.replace(PAYLOAD, "t");
    const sent = k.send();
    host.sent[0].reject(new Hi6Error("monitor_already_active"));
    await new Promise((r) => setImmediate(r));
    host.sent[1].resolve();
    host.sent[2].reject(new Hi6Error("monitor_already_active"));
    await assert.rejects(sent, { code: "monitor_already_active" });
    assert.equal(host.sent.length, 3);
    assert.equal(k.current, undefined);
  });

  it("no data for the stall limit on a ready session reports a half-open link", async () => {
    const host = fakeHost();
    const k = keeper(host, (period) => period * 5);
    const stalled = new Promise((resolve) => (host.onStall = resolve));
    k.replace(PAYLOAD, "t");
    assert.equal(await stalled, 50);
  });

  it("the stall check waits while the session is not ready, and stops with the MONITOR", async () => {
    const host = fakeHost({ ready: false });
    const k = keeper(host, () => 1);
    k.replace(PAYLOAD, "t");
    // Two checks go by while the session is not ready: neither may report a stall.
    await until(() => host.readyChecks >= 2, "two stall checks");
    assert.deepEqual(host.stalls, []);
    const stalled = new Promise((resolve) => (host.onStall = resolve));
    host.ready = true;
    await stalled;
    k.clear();
    const count = host.stalls.length;
    const checks = host.readyChecks;
    // Two check periods: a watched MONITOR would have been checked again in them.
    await holdsFor(() => host.readyChecks === checks && host.stalls.length === count, "a cleared MONITOR is no longer watched", 600);
  });
});
