"use strict";
// The editor dialogs, run outside the browser: each nodes/<type>.html's registration script is
// evaluated against a stand-in RED that records the definition, so the validators and the
// limits they encode are checked against the runtime's own constants, without a browser.
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");
const { EDITOR_LIMITS } = require("../../nodes/nodes/editor-limits");
const { SESSION_DEFAULTS } = require("../../nodes/nodes/session-config");
const { DEFAULT_MAX_ACCEL_DEG_S2, DEFAULT_MAX_SPEED_DEG_S, DEFAULT_START_TOLERANCE_DEG } = require("../../nodes/trajectory/preflight");
const { DEFAULT_MARGIN_NS } = require("../../nodes/trajectory/pacer");
const { DEFAULT_QUEUE } = require("../../nodes/nodes/monitor-output");
const { JOINT_STATES_PATH } = require("../../nodes/protocol/openapi");

const NODES = path.resolve(__dirname, "../../nodes");
const TYPES = ["hi6-session", "hi6-monitor", "hi6-control", "hi6-trajectory", "hi6-stop"];
const NS = "node-red-contrib-hi6-open-stream/";

function catalogue(lang, type) {
  return JSON.parse(fs.readFileSync(path.join(NODES, "locales", lang, `${type}.json`), "utf8"));
}

function lookup(cat, key) {
  return key.split(".").reduce((n, k) => (n && typeof n === "object" ? n[k] : undefined), cat);
}

/** The editor's script for a type, and its dialog template. */
function editorParts(type) {
  const html = fs.readFileSync(path.join(NODES, `${type}.html`), "utf8");
  const script = /<script type="text\/javascript">([\s\S]*?)<\/script>/.exec(html)[1];
  const template = /<script type="text\/html" data-template-name="[^"]+">([\s\S]*?)<\/script>/.exec(html)[1];
  return { script, template };
}

/** Runs the registration script; RED._ answers with the key and checks that both catalogues have it. */
function register(type) {
  const { script } = editorParts(type);
  let def;
  const RED = {
    nodes: { registerType: (t, d) => (assert.equal(t, type), (def = d)) },
    _: (key, params) => {
      assert.ok(key.startsWith(`${NS}${type}:`), `${key} is in ${type}'s namespace`);
      const local = key.slice(`${NS}${type}:`.length);
      for (const lang of ["en-US", "ko"]) assert.equal(typeof lookup(catalogue(lang, type), local), "string", `${lang} has ${local}`);
      return `${local} ${JSON.stringify(params || {})}`;
    },
  };
  vm.runInNewContext(script, { RED, $: () => assert.fail("no DOM at registration") });
  return def;
}

/** A field's verdict as the dialog gets it (a message) and as the deploy check gets it (a boolean). */
function verdicts(def, field, value) {
  return { dialog: def.defaults[field].validate(value, { label: field }), deploy: def.defaults[field].validate(value) };
}

function assertValid(def, field, value) {
  const v = verdicts(def, field, value);
  assert.equal(v.dialog, true, `${field} = ${JSON.stringify(value)} is valid`);
  assert.equal(v.deploy, true, `${field} = ${JSON.stringify(value)} is valid without opt`);
}

function assertInvalid(def, field, value) {
  const v = verdicts(def, field, value);
  assert.equal(typeof v.dialog, "string", `${field} = ${JSON.stringify(value)} is refused with a message, not ${v.dialog}`);
  assert.ok(v.dialog.length > 0);
  assert.equal(v.deploy, false, `${field} = ${JSON.stringify(value)} is refused`);
  return v.dialog;
}

/** Numbers in the code once strings, comments, regular expressions, port counts and the LIMITS object are taken out. */
function strayNumbers(script) {
  const code = script
    .replace(/var LIMITS = \{[\s\S]*?\};/, "")
    .replace(/\b(inputs|outputs): \d+/g, "")
    .replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g, "")
    .replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/g, '""')
    .replace(/\/(?:[^/\\\n]|\\.)+\/[gimsuy]*/g, "/re/");
  return [...code.matchAll(/(?<![\w$.])\d+(?:\.\d+)?(?:e\d+)?/g)].map((m) => Number(m[0]));
}

describe("editor: dialog limits come from the runtime's constants", () => {
  for (const type of TYPES) {
    it(`${type}: the dialog's LIMITS equal src/nodes/editor-limits.ts`, () => {
      const { script } = editorParts(type);
      const literal = /var LIMITS = (\{[\s\S]*?\});/.exec(script);
      assert.ok(literal, `${type}.html declares its LIMITS`);
      assert.deepEqual(JSON.parse(JSON.stringify(vm.runInNewContext(`(${literal[1]})`))), { ...EDITOR_LIMITS[type] });
    });

    it(`${type}: every other number in the dialog's script is 0, 1 or a default value`, () => {
      const def = register(type);
      const defaults = Object.values(def.defaults).map((d) => d.value).filter((v) => typeof v === "number");
      for (const n of strayNumbers(editorParts(type).script)) {
        assert.ok(n === 0 || n === 1 || defaults.includes(n), `${type}.html encodes ${n} outside LIMITS and the defaults`);
      }
    });

    it(`${type}: the dialog's template encodes no limits of its own (no min or max attributes)`, () => {
      assert.doesNotMatch(editorParts(type).template, /\s(min|max|maxlength)="/);
    });

    it(`${type}: every validator answers the dialog with a message (Node-RED 3+ validators)`, () => {
      const def = register(type);
      for (const [field, d] of Object.entries(def.defaults)) {
        if (typeof d.validate !== "function" || d.type) continue;
        assert.equal(d.validate.length, 2, `${field}'s validator takes (value, opt)`);
        assert.equal(d.validate(d.value, {}), true, `${field}'s default ${JSON.stringify(d.value)} is valid`);
        assertInvalid(def, field, "\u0000not valid\u0000");
      }
    });
  }

  it("hi6-session: defaults are the runtime's (SESSION_DEFAULTS)", () => {
    const d = register("hi6-session").defaults;
    for (const k of ["host", "port", "major", "restPort", "reconnect"]) assert.equal(d[k].value, SESSION_DEFAULTS[k], k);
  });

  it("hi6-session: port and REST port take PORT_MIN..PORT_MAX, major MAJOR_MIN or more, each or ${ENV_VAR}", () => {
    const def = register("hi6-session");
    const { PORT_MIN, PORT_MAX, MAJOR_MIN } = EDITOR_LIMITS["hi6-session"];
    for (const field of ["port", "restPort"]) {
      assertValid(def, field, PORT_MIN);
      assertValid(def, field, String(PORT_MAX));
      assertValid(def, field, "${HI6_PORT}");
      assert.match(assertInvalid(def, field, PORT_MAX + 1), new RegExp(`"min":${PORT_MIN},"max":${PORT_MAX}`));
      assertInvalid(def, field, PORT_MIN - 1);
      assertInvalid(def, field, "49000.5");
      assertInvalid(def, field, "");
      assertInvalid(def, field, "$HI6_PORT");
    }
    assertValid(def, "major", MAJOR_MIN);
    assertValid(def, "major", "${HI6_MAJOR}");
    assertInvalid(def, "major", MAJOR_MIN - 1);
    assertInvalid(def, "major", "1.5");
    assertValid(def, "host", "controller.local");
    assertInvalid(def, "host", " ");
    assertInvalid(def, "host", "two words");
  });

  it("hi6-monitor: period takes PERIOD_MIN_MS..PERIOD_MAX_MS or ${ENV_VAR}, url at most URL_MAX_LENGTH", () => {
    const def = register("hi6-monitor");
    const { PERIOD_MIN_MS, PERIOD_MAX_MS, URL_MAX_LENGTH, INTERVAL_MIN_MS, QUEUE_MIN } = EDITOR_LIMITS["hi6-monitor"];
    assert.equal(def.defaults.url.value, JOINT_STATES_PATH);
    assert.equal(def.defaults.queue.value, DEFAULT_QUEUE);
    assertValid(def, "period", PERIOD_MIN_MS);
    assertValid(def, "period", String(PERIOD_MAX_MS));
    assertValid(def, "period", "${HI6_PERIOD}");
    assertInvalid(def, "period", PERIOD_MIN_MS - 1);
    assert.match(assertInvalid(def, "period", PERIOD_MAX_MS + 1), /\.validation\.period /);
    const long = "/" + "a".repeat(URL_MAX_LENGTH - 1);
    assertValid(def, "url", long);
    assert.match(assertInvalid(def, "url", long + "a"), new RegExp(`urlTooLong \\{"max":${URL_MAX_LENGTH}\\}`));
    assertInvalid(def, "url", "project/rgen");
    assertInvalid(def, "url", "/project/ rgen");
    assertValid(def, "interval", INTERVAL_MIN_MS);
    assertValid(def, "interval", "${HI6_INTERVAL}");
    assertInvalid(def, "interval", INTERVAL_MIN_MS - 0.5);
    assertValid(def, "queue", QUEUE_MIN);
    assertValid(def, "queue", "");
    assertInvalid(def, "queue", QUEUE_MIN - 1);
    assertInvalid(def, "args", "[]");
  });

  it("hi6-control: url has no length limit (CONTROL has none), empty takes msg.url", () => {
    const def = register("hi6-control");
    assertValid(def, "url", "");
    assertValid(def, "url", "/" + "a".repeat(EDITOR_LIMITS["hi6-monitor"].URL_MAX_LENGTH + 10));
    assertInvalid(def, "url", "no-slash");
    assertInvalid(def, "args", "[1]");
    assertValid(def, "body", "[1]");
    assertInvalid(def, "body", "1");
  });

  it("hi6-trajectory: dt takes DT_MIN_S..DT_MAX_S; limits 0 (off) up to their maxima; each or ${ENV_VAR}", () => {
    const def = register("hi6-trajectory");
    const L = EDITOR_LIMITS["hi6-trajectory"];
    assert.equal(def.defaults.maxSpeed.value, DEFAULT_MAX_SPEED_DEG_S);
    assert.equal(def.defaults.maxAccel.value, DEFAULT_MAX_ACCEL_DEG_S2);
    assert.equal(def.defaults.startTolerance.value, DEFAULT_START_TOLERANCE_DEG);
    assert.equal(def.defaults.margin.value, Number(DEFAULT_MARGIN_NS) / 1000);
    const ranges = {
      dt: [L.DT_MIN_S, L.DT_MAX_S],
      lookAhead: [0, L.LOOK_AHEAD_MAX_S],
      maxSilence: [0, L.MAX_SILENCE_MAX_MS],
      maxSpeed: [0, L.MAX_SPEED_MAX_DEG_S],
      maxAccel: [0, L.MAX_ACCEL_MAX_DEG_S2],
      startTolerance: [0, L.START_TOLERANCE_MAX_DEG],
      margin: [0, L.MARGIN_MAX_US],
    };
    for (const [field, [lo, hi]] of Object.entries(ranges)) {
      assertValid(def, field, lo);
      assertValid(def, field, String(hi));
      assertValid(def, field, "${HI6_" + field.toUpperCase() + "}");
      assert.match(assertInvalid(def, field, hi * 1.001), new RegExp(`\\.validation\\.range \\{"min":${lo},"max":${hi}\\}`));
      assertInvalid(def, field, lo - lo * 0.5 - 0.0001);
    }
  });

  it("a setting missing from a flow saved before it existed is valid where the runtime has a default for it", () => {
    const trajectory = register("hi6-trajectory");
    for (const field of ["dt", "lookAhead", "maxSilence", "maxSpeed", "maxAccel", "startTolerance", "margin"]) assertValid(trajectory, field, undefined);
    const monitor = register("hi6-monitor");
    for (const field of ["period", "interval", "queue"]) assertValid(monitor, field, undefined);
    const session = register("hi6-session");
    assertValid(session, "major", undefined);
    assertValid(session, "restPort", undefined);
    // The session has no default port to fall back on: the runtime refuses it too (invalid_config).
    assertInvalid(session, "port", undefined);
  });

  it("every node type labels its input and output ports", () => {
    for (const type of TYPES.filter((t) => t !== "hi6-session")) {
      const def = register(type);
      const node = { _: (k) => k, ...Object.fromEntries(Object.entries(def.defaults).map(([k, d]) => [k, d.value])) };
      assert.equal(typeof def.inputLabels, "function", `${type} has inputLabels`);
      assert.equal(typeof def.outputLabels, "function", `${type} has outputLabels`);
      for (const lang of ["en-US", "ko"]) {
        assert.equal(typeof lookup(catalogue(lang, type), def.inputLabels.call(node, 0)), "string", `${lang} ${type} input label`);
        for (let i = 0; i < def.outputs; i++) assert.equal(typeof lookup(catalogue(lang, type), def.outputLabels.call(node, i)), "string", `${lang} ${type} output ${i}`);
      }
    }
  });

  it("a monitor or control node without a name shows the url's last segment, not the whole url", () => {
    const monitor = register("hi6-monitor");
    assert.equal(monitor.label.call({ url: "/project/robot/joints/joint_states" }), "joint_states");
    assert.equal(monitor.label.call({ url: "/project/rgen?x=1", name: "" }), "rgen");
    assert.equal(monitor.label.call({ url: "/project/rgen", name: "pose" }), "pose");
    const control = register("hi6-control");
    assert.equal(control.label.call({ method: "POST", url: "/project/robot/trajectory/joint_traject_init" }), "POST joint_traject_init");
    assert.equal(control.label.call({ url: "" }), "control");
  });
});
