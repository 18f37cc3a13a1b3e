"use strict";
// Shared set-up for the node tests: the Node-RED test helper, the compiled
// node entries with the package's real en-US catalogues (the helper's own
// RED._ returns the key, which would hide parameters such as the version),
// and the shared waits (test/support/wait.js) under the names node tests use.

const fs = require("node:fs");
const path = require("node:path");
const helper = require("node-red-node-test-helper");
const { until: waitFor, holdsFor } = require("../support/wait");
// The same Node-RED release the demo would run here (HI6_NODE_RED picks one), so each leg of the matrix tests its own.
const nodeRed = require("../../nodes/demo/node-red-release").chooseNodeRed();

helper.init(nodeRed.entry);

const nodesDir = path.resolve(__dirname, "../../nodes");

function loadCatalogues(lang) {
  const dir = path.join(nodesDir, "locales", lang);
  const merged = {};
  if (!fs.existsSync(dir)) return merged;
  for (const f of fs.readdirSync(dir)) {
    if (f.endsWith(".json")) Object.assign(merged, JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")));
  }
  return merged;
}

const catalogue = loadCatalogues("en-US");
const { parseStatusText } = require("../../nodes/nodes/status");

/** i18next's lookup and `__name__` interpolation, enough for status texts. */
function translate(key, params) {
  let node = catalogue;
  for (const part of key.split(".")) node = node && typeof node === "object" ? node[part] : undefined;
  if (typeof node !== "string") return key;
  return node.replace(/__([a-zA-Z0-9_]+)__/g, (m, name) => (params && params[name] !== undefined ? String(params[name]) : m));
}

function localized(entry) {
  return function (RED) {
    const red = Object.create(RED);
    red._ = translate;
    return entry(red);
  };
}

const entries = {
  session: localized(require("../../nodes/hi6-session.js")),
  monitor: localized(require("../../nodes/hi6-monitor.js")),
  control: localized(require("../../nodes/hi6-control.js")),
  stop: localized(require("../../nodes/hi6-stop.js")),
  trajectory: localized(require("../../nodes/hi6-trajectory.js")),
};
const catchNode = require(nodeRed.resolve("@node-red/nodes/core/common/25-catch.js"));
const allNodes = [entries.session, entries.monitor, entries.control, entries.stop, entries.trajectory, catchNode];

/** A status as the runtime sent it: the key form (see src/nodes/status.ts), for the editor to translate. */
function rawStatuses(node) {
  return helper._NodePrototype.status
    .getCalls()
    .filter((c) => c.thisValue === node)
    .map((c) => c.args[0]);
}

/** A status text as an English editor shows it: core keys stay keys, the package's keys are put into words. */
function statusInEnglish(text) {
  if (typeof text !== "string" || !/^hi6-/.test(text)) return text;
  const { key, params } = parseStatusText(text);
  return translate(key, params);
}

/** Every status the node has shown so far, oldest first, as an English editor shows it. */
function statuses(node) {
  return rawStatuses(node).map((s) => (s && typeof s.text === "string" ? { ...s, text: statusInEnglish(s.text) } : s));
}

function lastStatus(node) {
  const all = statuses(node);
  return all[all.length - 1];
}

function calls(method, node) {
  return helper._NodePrototype[method].getCalls().filter((c) => c.thisValue === node);
}

/** Resolves with the next `count` msgs the helper node receives. */
function collect(node, count) {
  return new Promise((resolve) => {
    const got = [];
    const onInput = (msg) => {
      got.push(msg);
      if (got.length === count) {
        node.removeListener("input", onInput);
        resolve(got);
      }
    };
    node.on("input", onInput);
  });
}

function sessionDef(sim, extra = {}) {
  return { id: "s1", type: "hi6-session", host: "127.0.0.1", port: sim.port, major: 1, restPort: sim.restPort, reconnect: true, ...extra };
}

/** Each test's rig: a virtual controller on ephemeral ports and the helper's Node-RED server. */
async function startRig(simOptions = {}) {
  const { startSimulator } = require("../../nodes/sim");
  const sim = await startSimulator({ port: 0, restPort: 0, ...simOptions });
  await new Promise((r) => helper.startServer(r));
  return sim;
}

/**
 * The look-ahead of node tests whose subject is not pacing. The virtual
 * controller here shares its event loop with Node-RED and the test: when a
 * busy machine holds that loop, its clock runs on while the points wait
 * unread in its socket, and at 40 ms it would find its buffer dry and stop
 * the arm (E2630), as a real controller starved that long would. A quarter
 * second rides out such a pause.
 */
const STEADY_LOOK_AHEAD_S = 0.25;

/**
 * A hi6-trajectory node "t1" on session "s1" with the settings the node
 * tests share (catch-up, a 1 s silence window, init and stop on abort),
 * plus `props`, which win.
 */
function trajectoryDef(props = {}) {
  return { id: "t1", type: "hi6-trajectory", session: "s1", dt: 0.002, lookAhead: STEADY_LOOK_AHEAD_S, lateTicks: "catch_up", maxSilence: 1000, timeFromStart: "elapsed", sendInit: true, stopOnAbort: true, startTolerance: 5, margin: 300, ...props };
}

/**
 * Loads session "s1" on `sim`, `nodes` (the trajectory node "t1" among them),
 * a helper node for each id in `outputs` and a Catch node that feeds
 * "caught"; waits for t1's session to be ready. Returns t1 and, by id
 * ("caught" too), every msg each helper receives.
 */
async function loadTrajectoryFlow(sim, nodes, outputs, session = {}) {
  const flow = [
    sessionDef(sim, session),
    ...nodes,
    ...outputs.map((id) => ({ id, type: "helper" })),
    { id: "c1", type: "catch", scope: null, uncaught: false, wires: [["caught"]] },
    { id: "caught", type: "helper" },
  ];
  await helper.load(allNodes, flow);
  const t = helper.getNode("t1");
  await waitFor(() => (lastStatus(t) || {}).fill === "green", "session ready");
  const out = Object.fromEntries([...outputs, "caught"].map((id) => [id, []]));
  for (const id of Object.keys(out)) helper.getNode(id).on("input", (m) => out[id].push(m));
  return { t, out };
}

/** Unloads the flow, stops the helper's server and the controller. */
async function stopRig(sim) {
  await helper.unload();
  await new Promise((r) => helper.stopServer(r));
  await sim.close();
}

module.exports = { helper, nodeRed, entries, allNodes, translate, loadCatalogues, rawStatuses, statusInEnglish, statuses, lastStatus, calls, waitFor, holdsFor, collect, sessionDef, trajectoryDef, loadTrajectoryFlow, STEADY_LOOK_AHEAD_S, startRig, stopRig };
