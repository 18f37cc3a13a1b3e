"use strict";
// The editor and the dashboard as a person sees them, in headless Chromium: Debian's
// /usr/bin/chromium driven by playwright-core; no browser is ever downloaded. The demo launcher
// runs Node-RED with every example. Screenshots of every step go to test/.artifacts/.
const assert = require("node:assert/strict");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { until } = require("../support/wait");
const { startDemo } = require("../e2e/demo-process");

const CHROMIUM = "/usr/bin/chromium";
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const ARTIFACTS = path.resolve(__dirname, "../.artifacts");
const CATEGORY = "Hi6 Open Stream";
const FIELDS = {
  "hi6-monitor": ["session", "url", "period", "args", "output", "interval", "queue", "autoStart"],
  "hi6-control": ["session", "method", "url", "args", "body"],
  "hi6-trajectory": ["session", "mode", "dt", "lookAhead", "timeFromStart", "maxSpeed", "maxAccel", "startTolerance", "goalTolerance", "goalTimeout", "trackRate", "agilityMode", "agilityFreq", "sendInit", "stopOnAbort"],
  "hi6-stop": ["session", "target"],
  "hi6-session": ["host", "port", "major", "restPort", "reconnect"],
};
const TYPES = Object.keys(FIELDS);
const SINE_INJECT = "c3c0000000000003";
/**
 * The chart's first six series colours (examples/07). The chart gives them out in the order the series
 * first arrive, and a page that connects mid-sample may hear J2 before J1, so the test never assumes
 * which joint has which colour: it counts each colour's pixels.
 */
const SERIES = { c0: [0x00, 0x95, 0xff], c1: [0xff, 0x00, 0x00], c2: [0xff, 0x7f, 0x0e], c3: [0x2c, 0xa0, 0x2c], c4: [0xa3, 0x47, 0xe1], c5: [0x17, 0xbe, 0xcf] };
/** Colours drawn as a line across the plot: a legend swatch is about a hundred pixels, a line many more. */
const lines = (counts) => Object.keys(counts).filter((k) => counts[k] > 500);

const PACKAGE = "node-red-contrib-hi6-open-stream";
const NODES_DIR = path.resolve(__dirname, "../../nodes");
const EXAMPLE_TABS = fs
  .readdirSync(path.resolve(__dirname, "../../examples"))
  .filter((f) => f.endsWith(".json"))
  .map((f) => ({ file: f, tab: `tab-${f.replace(/\.json$/, "")}` }));
/** Status parameters as long as they get: a status must have room for its longest form. */
const STATUS_PARAMS = { pct: 100, low: "2048 s", sent: 100000, total: 100000, p99: 12345, seconds: 15, version: "10.10.10", client: 1, server: 2, code: "busy_session_active", reason: "controller_silent", hz: 500, dropped: 123456, merged: 123456, target: "session", count: 123456, queue: 100, value: '"controller.example"', clamped: 30000, period: 30000 };

/** Every status key of a type, flattened ("status.sending"), as a namespaced key the editor translates. */
function statusKeys(type) {
  const cat = JSON.parse(fs.readFileSync(path.join(NODES_DIR, "locales", "en-US", `${type}.json`), "utf8"))[type];
  const keys = [];
  const walk = (node, prefix) => {
    for (const [k, v] of Object.entries(node || {})) {
      if (typeof v === "string") keys.push(`${PACKAGE}/${type}:${type}.${prefix}.${k}`);
      else walk(v, `${prefix}.${k}`);
    }
  };
  walk(cat.status, "status");
  return keys;
}

/**
 * A client node shows its own statuses and its session's, and Node-RED's common connection ones.
 * A debug node that shows its msgs in its status cuts them at 32 characters (21-debug.js); "=" marks
 * text shown as it is.
 */
const STATUS_CANDIDATES = {
  ...Object.fromEntries(
    ["hi6-monitor", "hi6-control", "hi6-trajectory", "hi6-stop"].map((t) => [
      t,
      [...statusKeys(t), ...statusKeys("hi6-session"), "node-red:common.status.not-connected", "node-red:common.status.connecting"],
    ]),
  ),
  debug: ["={ sent: 5001, total: 5001, aborted..."],
};

async function editorReady(page) {
  await page.waitForFunction(() => window.RED && RED.nodes && RED.nodes.getType && RED.nodes.getType("hi6-monitor"), null, { timeout: 60000 });
  await page.waitForSelector(".red-ui-palette-node", { timeout: 30000 });
  await page.waitForFunction((n) => {
    let count = 0;
    RED.nodes.eachNode(() => count++);
    return count >= n;
  }, 20, { timeout: 30000 });
}

/**
 * On one tab at default zoom: gives each Hi6 node the widest status it can show in the editor's
 * language, then returns every overlap between node bodies and status labels.
 */
async function overlapsOn(page, tab, candidates) {
  await page.evaluate((t) => {
    RED.workspaces.show(t);
    RED.actions.invoke("core:zoom-reset");
  }, tab);
  await page.waitForFunction((t) => {
    const ids = [];
    RED.nodes.eachNode((n) => {
      if (n.z === t) ids.push(n.id);
    });
    return ids.length > 0 && ids.every((id) => document.getElementById(id) && document.getElementById(id).__statusGroup__);
  }, tab, { timeout: 10000 });
  return page.evaluate(
    ({ t, cands, params }) => {
      const boxes = [];
      const invalid = [];
      RED.nodes.eachNode((n) => {
        if (n.z !== t) return;
        if (n.valid === false) invalid.push(n.name || n.type);
        const el = document.getElementById(n.id);
        if (cands[n.type] && (n.type !== "debug" || n.tostatus)) {
          let widest = "";
          let width = -1;
          for (const key of cands[n.type]) {
            const text = key.startsWith("=") ? key.slice(1) : RED._(key, params);
            n.status = { fill: "red", shape: "ring", text };
            RED.view.redrawStatus(n, el);
            const w = el.__statusGroup__.getBoundingClientRect().width;
            if (w > width) [widest, width] = [text, w];
          }
          n.status = { fill: "red", shape: "ring", text: widest };
          RED.view.redrawStatus(n, el);
        }
        const name = n.name || n.type;
        const body = el.querySelector(".red-ui-flow-node");
        if (body) boxes.push({ what: `node "${name}"`, id: n.id, r: body.getBoundingClientRect().toJSON() });
        const status = el.__statusGroup__;
        if (status && status.style.display !== "none" && n.status && n.status.text) {
          boxes.push({ what: `status "${n.status.text}" of "${name}"`, id: n.id, r: status.getBoundingClientRect().toJSON() });
        }
      });
      const overlaps = [];
      const meet = (a, b) => a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
      for (let i = 0; i < boxes.length; i++) {
        for (let j = i + 1; j < boxes.length; j++) {
          if (boxes[i].id !== boxes[j].id && meet(boxes[i].r, boxes[j].r)) overlaps.push(`${boxes[i].what} overlaps ${boxes[j].what}`);
        }
      }
      return { overlaps, count: boxes.length, invalid };
    },
    { t: tab, cands: candidates, params: STATUS_PARAMS },
  );
}

/** A loopback port that was free a moment ago, so nothing listens on it. */
async function closedPort() {
  const server = require("node:net").createServer();
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address();
  await new Promise((r) => server.close(r));
  return port;
}

/** Opens a node's edit dialog (a config node's for hi6-session) and, given `field`, waits for it to show. */
async function openDialog(page, type, field) {
  await page.evaluate((t) => {
    let node;
    const pick = (n) => {
      if (!node && n.type === t) node = n;
    };
    if (t === "hi6-session") {
      RED.nodes.eachConfig(pick);
      RED.editor.editConfig("", t, node.id);
    } else {
      RED.nodes.eachNode(pick);
      RED.editor.edit(node);
    }
  }, type);
  if (field !== undefined) await page.waitForSelector(field, { state: "visible", timeout: 10000 });
}

async function closeDialogs(page) {
  await page.evaluate(() => {
    while (document.querySelectorAll(".red-ui-tray").length > 0 && RED.tray) {
      const before = document.querySelectorAll(".red-ui-tray").length;
      RED.tray.close();
      if (document.querySelectorAll(".red-ui-tray").length === before) break;
    }
  });
  await page.waitForFunction(() => document.querySelectorAll(".red-ui-tray").length === 0, null, { timeout: 5000 });
}

/** The part of a text input's placeholder that does not fit: 0 when it all shows. */
async function placeholderOverflow(page, selector) {
  // The tray slides open: measure once the input's width has settled.
  await page.waitForFunction(
    (sel) => {
      const w = document.querySelector(sel).getBoundingClientRect().width;
      const settled = w > 0 && window.__hi6Width === w;
      window.__hi6Width = w;
      return settled;
    },
    selector,
    { polling: 100, timeout: 10000 },
  );
  return page.$eval(selector, (input) => {
    const style = getComputedStyle(input);
    const ctx = document.createElement("canvas").getContext("2d");
    ctx.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const over = Math.max(0, Math.ceil(ctx.measureText(input.placeholder).width - room));
    return over === 0 ? 0 : `${JSON.stringify(input.placeholder)} needs ${over} px more than the ${room} px it has`;
  });
}

const installed = fs.existsSync(CHROMIUM);
// A check that cannot run is a failed check: without Chromium, one test fails and says how to get it.
if (!installed) {
  describe("browser: the editor and the dashboard in headless Chromium", () => {
    it("needs Chromium", () => {
      assert.fail(`${CHROMIUM} is not installed, so the editor was not tested; on Debian or Ubuntu: apt-get install chromium (CI installs it)`);
    });
  });
}

function visibleDebugMessages(page) {
  return page.$$eval("#red-ui-sidebar .red-ui-debug-msg", (els) => els.filter((e) => e.offsetParent !== null).map((e) => e.textContent));
}

/** Pixels of each series colour on a canvas: a legend swatch is about a hundred, a line across the plot many more. */
function seriesPixels(page) {
  return page.$eval(
    "canvas",
    (canvas, series) => {
      const { data } = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
      const counts = Object.fromEntries(Object.keys(series).map((k) => [k, 0]));
      for (let i = 0; i < data.length; i += 4) {
        if (data[i + 3] < 200) continue;
        for (const [name, [r, g, b]] of Object.entries(series)) {
          if (Math.abs(data[i] - r) < 40 && Math.abs(data[i + 1] - g) < 40 && Math.abs(data[i + 2] - b) < 40) counts[name]++;
        }
      }
      return counts;
    },
    SERIES,
  );
}

(installed ? describe : () => undefined)("browser: the editor and the dashboard in headless Chromium", function () {
  this.timeout(30000);
  let demo;
  let browser;
  let page;
  let profile;

  before(async function () {
    this.timeout(90000);
    const { chromium } = require("playwright-core");
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    demo = await startDemo();
    profile = fs.mkdtempSync(path.join(os.tmpdir(), "hi6-chromium-"));
    browser = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1400, height: 900 } });
    page = await browser.newPage();
    await page.goto(demo.url + "/", { waitUntil: "domcontentloaded" });
    await editorReady(page);
  });

  afterEach(async function () {
    if (!page || !this.currentTest) return;
    const name = this.currentTest.title.replace(/[^a-z0-9]+/gi, "-").toLowerCase();
    await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) }).catch(() => undefined);
  });

  after(async function () {
    this.timeout(40000);
    if (browser) await browser.close().catch(() => undefined);
    if (demo) await demo.stop();
    if (profile) fs.rmSync(profile, { recursive: true, force: true });
  });

  it("the editor shows the monitor example's live joint positions in the debug sidebar", async () => {
    await page.evaluate(() => {
      RED.workspaces.show("tab-01-monitor-joint-states");
      RED.sidebar.show("debug");
    });
    // Every example's debug output reaches the sidebar; show only this tab's, as a user would.
    await page.click("#red-ui-sidebar-debug-filter");
    await page.click('input[name="filter-type"][value="filterCurrent"]');
    // The filter applies a moment after the click; then this tab's messages keep coming.
    let messages = [];
    await until(async () => {
      messages = await visibleDebugMessages(page);
      return messages.length >= 3 && messages.every((t) => t.includes("node: joint positions"));
    }, "three of the monitor example's messages, and only those, in the debug sidebar", 15000);
    for (const m of messages) assert.match(m, /node: joint positions.*joint_states.*position: array\[6\]/);
    await page.mouse.move(600, 450);
    // Sized for the README: the flow and the newest messages.
    await page.screenshot({ path: path.join(ARTIFACTS, "demo-flow.png"), clip: { x: 0, y: 0, width: 1400, height: 560 } });
  });

  // The runtime sends statuses as message keys; the editor puts them into its own language.
  for (const [lang, ready] of [["en-US", "ready v1.0.0"], ["ko", "준비됨 v1.0.0"]]) {
    it(`an editor in ${lang} shows the nodes' statuses in ${lang}, parameters filled in: "${ready}"`, async () => {
      const p = await browser.newPage();
      try {
        await p.addInitScript((l) => localStorage.setItem("editor-language", l), lang);
        await p.goto(demo.url + "/", { waitUntil: "domcontentloaded" });
        await p.waitForFunction(() => window.RED && RED.nodes && RED.nodes.getType && RED.nodes.getType("hi6-monitor"), null, { timeout: 60000 });
        const shown = () =>
          p.evaluate(() => {
            const out = [];
            RED.nodes.eachNode((n) => {
              if (/^hi6-/.test(n.type) && n.status && n.status.text) out.push({ id: n.id, z: n.z, type: n.type, text: n.status.text });
            });
            return out;
          });
        let seen = [];
        await until(async () => {
          seen = await shown();
          return seen.some((s) => s.text === ready) && seen.some((s) => s.type === "hi6-monitor" && /^\d+ Hz/.test(s.text));
        }, `a node showing "${ready}" and a monitor showing its rate`, 20000);
        const raw = seen.filter((s) => /^hi6-[a-z]+\.status\./.test(s.text));
        assert.deepEqual(raw, [], "no status is left as its key");
        const target = seen.find((s) => s.text === ready);
        await p.evaluate((z) => RED.workspaces.show(z), target.z);
        let label;
        await until(async () => {
          label = await p.$$eval(`[id="${target.id}"] .red-ui-flow-node-status-label`, (els) => els.map((e) => e.textContent)).catch(() => []);
          return label[0] === ready;
        }, `the ${target.type} node's status label reading "${ready}" on the canvas`, 10000);
        await p.screenshot({ path: path.join(ARTIFACTS, `status-${lang}.png`) });
      } finally {
        await p.close();
      }
    });
  }

  it("the palette shows the Hi6 Open Stream category with all five nodes", async () => {
    const categories = await page.evaluate((types) => types.map((t) => RED.nodes.getType(t) && RED.nodes.getType(t).category), TYPES);
    assert.deepEqual(categories, [CATEGORY, CATEGORY, CATEGORY, CATEGORY, "config"]);
    const inCategory = await page.$$eval(".red-ui-palette-category", (cats, name) => {
      const cat = cats.find((c) => c.querySelector(".red-ui-palette-header").textContent.trim() === name);
      return cat ? [...cat.querySelectorAll(".red-ui-palette-node")].map((n) => n.getAttribute("data-palette-type")) : null;
    }, CATEGORY);
    assert.deepEqual((inCategory || []).sort(), ["hi6-control", "hi6-monitor", "hi6-stop", "hi6-trajectory"]);
    const session = await page.evaluate(() => RED.nodes.getType("hi6-session").category);
    assert.equal(session, "config", "the session is the config node the other four share");
  });

  for (const type of TYPES) {
    it(`the ${type} edit dialog opens with its fields`, async () => {
      const prefix = type === "hi6-session" ? "node-config-input" : "node-input";
      await openDialog(page, type);
      for (const field of FIELDS[type]) await page.waitForSelector(`#${prefix}-${field}`, { state: "attached", timeout: 10000 });
      const trays = await page.$$eval(".red-ui-tray", (els) => els.length);
      assert.ok(trays >= 1, "an edit tray is open");
      await page.screenshot({ path: path.join(ARTIFACTS, `edit-${type}.png`) });
      await page.evaluate(() => RED.tray.close());
      await page.waitForFunction(() => document.querySelectorAll(".red-ui-tray").length === 0, null, { timeout: 5000 });
    });
  }

  for (const type of TYPES) {
    it(`the ${type} help renders in the sidebar`, async () => {
      const help = await page.evaluate((t) => {
        RED.sidebar.help.show(t);
        const text = $("<div>").html(RED.nodes.getNodeHelp(t)).text().replace(/\s+/g, " ").trim();
        return { first: text.slice(0, 40) };
      }, type);
      assert.ok(help.first.length > 10, `${type} has help text`);
      await page.waitForFunction((first) => document.querySelector("#red-ui-sidebar").textContent.replace(/\s+/g, " ").includes(first), help.first, { timeout: 10000 });
      const title = await page.$eval("#red-ui-sidebar .red-ui-help-title", (el) => el.textContent.trim());
      assert.ok(title.length > 0, "the help has a title");
    });
  }

  /** What a person sees in each language: layout, dialogs and help. */
  function languageChecks(lang, words) {
    for (const { file, tab } of EXAMPLE_TABS) {
      it(`(${lang}) ${file}: no node or status label overlaps another at default zoom, even with each node's longest status`, async () => {
        const { overlaps, count, invalid } = await overlapsOn(page, tab, STATUS_CANDIDATES);
        assert.deepEqual(invalid, [], "every node of the example is valid as imported (no warning triangle)");
        await page.screenshot({ path: path.join(ARTIFACTS, `layout-${lang}-${file.replace(/\.json$/, "")}.png`) });
        assert.ok(count > 2, `measured the tab's nodes (${count})`);
        assert.deepEqual(overlaps, []);
      });
    }

    it(`(${lang}) a dialog field out of range is marked and explains itself; \${ENV_VAR} is accepted`, async () => {
      await openDialog(page, "hi6-monitor", "#node-input-period");
      const verdict = (value) =>
        page.evaluate((v) => {
          $("#node-input-period").val(v).trigger("change");
          return $("#node-input-period").hasClass("input-error");
        }, value);
      assert.equal(await verdict("1"), true, "period 1 is marked");
      await page.hover("#node-input-period");
      const tip = page.locator(".red-ui-popover").filter({ hasText: "30000" }).first();
      await tip.waitFor({ state: "visible", timeout: 5000 });
      assert.match(await tip.textContent(), words.period);
      assert.equal(await verdict("${HI6_PERIOD}"), false, "an ${ENV_VAR} is accepted");
      assert.equal(await verdict("250"), false);
      await page.mouse.move(5, 5);
      await closeDialogs(page);
    });

    it(`(${lang}) the trajectory dialog says 0 = off beside Max speed, Max accel and Start tolerance`, async () => {
      await openDialog(page, "hi6-trajectory", "#node-input-maxSpeed");
      for (const field of ["maxSpeed", "maxAccel", "startTolerance"]) {
        const hint = await page.$eval(`#node-input-${field}`, (el) => el.parentElement.textContent.replace(/\s+/g, " "));
        assert.ok(hint.includes(words.off), `${field}: ${hint}`);
      }
      await closeDialogs(page);
    });

    it(`(${lang}) the control url placeholder and the session host placeholder are not cut off`, async () => {
      await openDialog(page, "hi6-control", "#node-input-url");
      assert.equal(await placeholderOverflow(page, "#node-input-url"), 0);
      await closeDialogs(page);
      await openDialog(page, "hi6-session", "#node-config-input-host");
      assert.equal(await placeholderOverflow(page, "#node-config-input-host"), 0);
      await closeDialogs(page);
    });

    it(`(${lang}) the session dialog explains Major, and Test connection reports the controller's version and a refusal`, async () => {
      await openDialog(page, "hi6-session", "#node-config-hi6-test-connection");
      const tipText = await page.$eval("#node-config-input-major", (el) => el.closest(".form-row").nextElementSibling.textContent);
      assert.match(tipText, /HANDSHAKE/);
      const test = async (port) => {
        await page.fill("#node-config-input-port", String(port));
        await page.click("#node-config-hi6-test-connection");
        await page.waitForFunction(() => /hi6-test-(ok|failed)/.test(document.getElementById("node-config-hi6-test-result").className), null, { timeout: 10000 });
        return page.$eval("#node-config-hi6-test-result", (el) => ({ text: el.textContent, ok: el.classList.contains("hi6-test-ok") }));
      };
      const original = await page.$eval("#node-config-input-port", (el) => el.value);
      const ok = await test(demo.controller.port);
      assert.equal(ok.ok, true, ok.text);
      assert.match(ok.text, words.testOk);
      const refused = await test(await closedPort());
      assert.equal(refused.ok, false);
      assert.match(refused.text, words.refused);
      await page.fill("#node-config-input-port", original);
      await closeDialogs(page);
    });

    it(`(${lang}) every node's help fits the sidebar's width (no horizontal overflow)`, async () => {
      for (const type of TYPES) {
        const wide = await page.evaluate((t) => {
          RED.sidebar.help.show(t);
          const help = [...document.querySelectorAll("#red-ui-sidebar .red-ui-help")].find((el) => el.offsetParent !== null);
          if (!help) return ["no help shown"];
          const right = help.getBoundingClientRect().right;
          return [...help.querySelectorAll("*")].filter((el) => el.getBoundingClientRect().right > right + 1).map((el) => el.outerHTML.slice(0, 80));
        }, type);
        assert.deepEqual(wide, [], `${type}: nothing sticks out of the help`);
      }
    });
  }

  languageChecks("en-US", { period: /Period must be a whole number of ms from 2 to 30000/, off: "0 = off", testOk: /^OK: the controller speaks v\d/, refused: /^Refused/ });

  it("an example imports from the menu", async () => {
    const countOf = (t) => page.evaluate((type) => {
      let n = 0;
      RED.nodes.eachNode((node) => {
        if (node.type === type) n++;
      });
      return n;
    }, t);
    const monitorsBefore = await countOf("hi6-monitor");
    await page.evaluate(() => RED.actions.invoke("core:show-examples-import-dialog"));
    const dialog = page.locator("#red-ui-clipboard-dialog");
    await dialog.getByText("node-red-contrib-hi6-open-stream", { exact: true }).first().click({ timeout: 10000 });
    // The tree draws the package's examples after the click: read the list once they are there.
    await dialog.getByText("01-monitor-joint-states", { exact: false }).first().waitFor({ timeout: 10000 });
    const listed = await dialog.locator(".red-ui-treeList-label").allTextContents();
    for (const f of fs.readdirSync(path.resolve(__dirname, "../../examples")).filter((x) => x.endsWith(".json"))) {
      assert.ok(listed.some((l) => l.includes(f.replace(/\.json$/, ""))), `${f} is listed in Import ▸ Examples`);
    }
    await dialog.getByText("01-monitor-joint-states", { exact: false }).first().click();
    await page.locator("#red-ui-clipboard-dialog-ok").click();
    // The demo has deployed this example already, so Node-RED offers to import a copy.
    await page.getByRole("button", { name: "Import copy" }).click({ timeout: 5000 });
    await page.mouse.click(700, 450);
    await page.waitForFunction(() => {
      let n = 0;
      RED.nodes.eachNode((node) => {
        if (node.type === "hi6-monitor") n++;
      });
      return n;
    }, null, { timeout: 5000 });
    assert.equal(await countOf("hi6-monitor"), monitorsBefore + 1, "the example's monitor is in the workspace");
  });

  it("the dashboard page draws the joint chart with data, moving with a sine trajectory", async function () {
    // Its waits are bounded by count, and each read of the canvas's pixels slows down when the
    // browser, Node-RED and the controller share two busy cores: 30 s is too tight for that.
    this.timeout(90000);
    const dash = await browser.newPage();
    try {
      await dash.goto(demo.dashboardUrl, { waitUntil: "domcontentloaded" });
      await dash.waitForSelector("canvas", { timeout: 20000 });
      // J2 (90°), J5 (-90°) and the joints at 0° are three lines across the plot as soon as samples arrive.
      let still;
      for (let i = 0; i < 50; i++) {
        still = await seriesPixels(dash);
        if (lines(still).length >= 3) break;
        await dash.waitForTimeout(200);
      }
      if (lines(still).length < 3) await dash.screenshot({ path: path.join(ARTIFACTS, "dashboard-joint-chart-failed.png") });
      assert.ok(lines(still).length >= 3, `three lines are drawn (90, 0 and -90 deg): ${JSON.stringify(still)}`);
      // J1 rests at 0° with three other joints; the sine moves it off that line, so a colour that was
      // hidden there (J1's, or the one J1 covered) gains a line's worth of pixels.
      const shows = (now) => Object.keys(still).some((k) => still[k] <= 500 && now[k] >= still[k] + 200);
      // A run that fails closed on a busy machine (late_tick, controller_silent) never moves J1 far:
      // the chart is what is tested here, so a run that did not show is started again, up to three times.
      let moving = still;
      for (let attempt = 0; attempt < 3 && !shows(moving); attempt++) {
        await demo.post(`/inject/${SINE_INJECT}`);
        for (let i = 0; i < 40 && !shows(moving); i++) {
          await dash.waitForTimeout(200);
          moving = await seriesPixels(dash);
        }
      }
      await dash.screenshot({ path: path.join(ARTIFACTS, "dashboard-joint-chart.png") });
      assert.ok(shows(moving), `J1 shows the sine: ${JSON.stringify(still)} -> ${JSON.stringify(moving)}`);
    } finally {
      await dash.close();
    }
  });
  describe("in Korean", () => {
    before(async function () {
      this.timeout(90000);
      await closeDialogs(page).catch(() => undefined);
      // The import above left the workspace changed; the reload drops it, as a person would.
      page.on("dialog", (d) => d.accept().catch(() => undefined));
      await page.evaluate(() => {
        RED.nodes.dirty(false);
        localStorage.setItem("editor-language", "ko");
      });
      await page.reload({ waitUntil: "domcontentloaded" });
      await editorReady(page);
    });

    it("(ko) the palette, dialogs and help are in Korean", async () => {
      await openDialog(page, "hi6-trajectory", "#node-input-maxSpeed");
      const label = await page.$eval('label[for="node-input-maxSpeed"]', (el) => el.textContent.trim());
      assert.equal(label, JSON.parse(fs.readFileSync(path.join(NODES_DIR, "locales/ko/hi6-trajectory.json"), "utf8"))["hi6-trajectory"].label.maxSpeed);
      await closeDialogs(page);
    });

    languageChecks("ko", { period: /주기는 2에서 30000 사이의 정수/, off: "0 = 끔", testOk: /^성공: 제어기 버전 v\d/, refused: /^거부됨/ });
  });
});
