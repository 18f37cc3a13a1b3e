"use strict";
// The connection's state machine, row by row: from a state, an event leads to the next state and
// runs the row's actions; an event with no row leaves the state as it is.
const assert = require("node:assert/strict");
const { transition, TRANSITIONS, SESSION_STATES, CONNECTION_EVENTS } = require("../../nodes/client/connection-fsm");

describe("client: the connection state machine", () => {
  const rows = [
    // from, event, to, actions, why
    ["idle", "open", "connecting", ["dial"], "a command opens an idle session"],
    ["disconnected", "open", "connecting", ["dial"], "a command opens a session that dropped with reconnect off"],
    ["backoff", "retry", "reconnecting", ["dial"], "the backoff timer starts a reconnect"],
    ["failed", "retry", "reconnecting", ["dial"], "the slow retry after a fatal refusal is a reconnect"],
    ["handshaking", "retry", "reconnecting", ["dial"], "the watchdog closing a HANDSHAKE after failed attempts leads to another reconnect"],
    ["handshaking", "watchdogClosed", "connecting", ["dial"], "the watchdog closing a first HANDSHAKE: connect again at once"],
    ["ready", "watchdogClosed", "connecting", ["dial"], "the watchdog closing a quiet ready session: connect again at once, no backoff"],
    ["connecting", "tcpConnected", "handshaking", ["handshake"], "a new TCP connection sends HANDSHAKE"],
    ["reconnecting", "tcpConnected", "handshaking", ["handshake"], "a reconnect's TCP connection sends HANDSHAKE"],
    ["handshaking", "handshakeDone", "ready", ["rearmMonitor", "pumpAcks"], "a HANDSHAKE accepted: MONITOR re-armed, waiting recipes sent"],
    ["connecting", "dropped", "backoff", ["scheduleRetry"], "a refused connection waits, then retries"],
    ["reconnecting", "dropped", "backoff", ["scheduleRetry"], "a failed reconnect waits longer, then retries"],
    ["handshaking", "dropped", "backoff", ["scheduleRetry"], "a HANDSHAKE that failed or timed out waits, then retries"],
    ["ready", "dropped", "backoff", ["scheduleRetry"], "a ready session that dropped waits, then reconnects"],
    ["connecting", "droppedNoRetry", "disconnected", [], "with reconnect off, a refused connection stays down"],
    ["reconnecting", "droppedNoRetry", "disconnected", [], "with reconnect off, a failed attempt stays down"],
    ["handshaking", "droppedNoRetry", "disconnected", [], "with reconnect off, a failed HANDSHAKE stays down"],
    ["ready", "droppedNoRetry", "disconnected", [], "with reconnect off, a drop stays down until the next command"],
    ["handshaking", "fatal", "failed", ["scheduleRetry"], "version_mismatch: failed, retried only at the slow pace"],
    ["handshaking", "fatalNoRetry", "failed", [], "version_mismatch with reconnect off: failed for good"],
    ["ready", "released", "idle", [], "STOP session acknowledged: idle until the next command"],
    ...["idle", "connecting", "handshaking", "ready", "backoff", "reconnecting", "disconnected", "failed"].map((from) => [from, "close", "stopped", [], `close() ends ${from} for good`]),
  ];

  for (const [from, event, to, actions, why] of rows) {
    it(`${from} --${event}--> ${to}: ${why}`, () => {
      const row = transition(from, event);
      assert.ok(row, `no row for ${event} in ${from}`);
      assert.equal(row.to, to);
      assert.deepEqual([...row.actions], actions);
    });
  }

  it("the table has exactly these rows, each once", () => {
    const keys = TRANSITIONS.map((t) => `${t.from} ${t.event}`);
    assert.equal(new Set(keys).size, keys.length, "a state and event pair appears twice");
    assert.deepEqual(keys.sort(), rows.map(([from, event]) => `${from} ${event}`).sort());
  });

  it("every other event is ignored: no row, so the state stays as it is", () => {
    const listed = new Set(rows.map(([from, event]) => `${from} ${event}`));
    let ignored = 0;
    for (const state of SESSION_STATES) {
      for (const event of CONNECTION_EVENTS) {
        if (listed.has(`${state} ${event}`)) continue;
        assert.equal(transition(state, event), undefined, `${event} in ${state} should be ignored`);
        ignored += 1;
      }
    }
    assert.equal(ignored, SESSION_STATES.length * CONNECTION_EVENTS.length - rows.length);
  });

  it("stopped is final: no event leaves it", () => {
    for (const event of CONNECTION_EVENTS) assert.equal(transition("stopped", event), undefined);
  });

  it("a command while a session is open or on its way opens nothing more", () => {
    for (const state of ["connecting", "handshaking", "ready", "backoff", "reconnecting", "failed", "stopped"]) assert.equal(transition(state, "open"), undefined, state);
  });

  it("every public state can be reached, and every state but stopped can be left", () => {
    for (const state of SESSION_STATES) {
      if (state !== "idle") assert.ok(TRANSITIONS.some((t) => t.to === state), `nothing leads to ${state}`);
      if (state !== "stopped") assert.ok(TRANSITIONS.some((t) => t.from === state), `nothing leaves ${state}`);
    }
  });
});
