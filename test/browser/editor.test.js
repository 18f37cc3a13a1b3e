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
  "hi6-trajectory": ["session", "mode", "dt", "lookAhead", "timeFromStart", "maxSpeed", "maxAccel", "startTolerance", "agilityMode", "agilityFreq", "sendInit", "stopOnAbort"],
  "hi6-stop": ["session", "target"],
  "hi6-session": ["host", "port", "major", "restPort", "reconnect"],
};
const TYPES = Object.keys(FIELDS);
const SINE_INJECT = "c3c0000000000003";
/** The chart's series colours (examples/07): J1 blue, J2 red, J5 purple. */
const SERIES = { J1: [0x00, 0x95, 0xff], J2: [0xff, 0x00, 0x00], J5: [0xa3, 0x47, 0xe1] };

const installed = fs.existsSync(CHROMIUM);
if (!installed) console.log(`  (browser tests skipped: ${CHROMIUM} is not installed; on Debian or Ubuntu, apt-get install chromium. CI installs it.)`);

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

(installed ? describe : describe.skip)("browser: the editor and the dashboard in headless Chromium", function () {
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
    await page.waitForFunction(() => window.RED && RED.nodes && RED.nodes.getType && RED.nodes.getType("hi6-monitor"), null, { timeout: 60000 });
    await page.waitForSelector(".red-ui-palette-node", { timeout: 30000 });
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
    this.timeout(60000);
    const dash = await browser.newPage();
    try {
      await dash.goto(demo.dashboardUrl + "/joints", { waitUntil: "domcontentloaded" });
      await dash.waitForSelector("canvas", { timeout: 20000 });
      // J2 (90°) and J5 (-90°) are lines across the plot as soon as samples arrive.
      let still;
      for (let i = 0; i < 50; i++) {
        still = await seriesPixels(dash);
        if (still.J2 > 500 && still.J5 > 500) break;
        await dash.waitForTimeout(200);
      }
      assert.ok(still.J2 > 500 && still.J5 > 500, `the J2 and J5 lines are drawn: ${JSON.stringify(still)}`);
      // J1 rests at 0° under the other joints' lines; the sine moves it out from under them.
      await demo.post(`/inject/${SINE_INJECT}`);
      let moving = still;
      for (let i = 0; i < 50 && moving.J1 < still.J1 + 200; i++) {
        await dash.waitForTimeout(200);
        moving = await seriesPixels(dash);
      }
      await dash.waitForTimeout(2000);
      await dash.screenshot({ path: path.join(ARTIFACTS, "dashboard-joint-chart.png") });
      assert.ok(moving.J1 >= still.J1 + 200, `J1 shows the sine: ${JSON.stringify(still)} -> ${JSON.stringify(moving)}`);
    } finally {
      await dash.close();
    }
  });
});
