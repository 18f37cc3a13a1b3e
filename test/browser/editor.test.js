"use strict";
// The editor as a person sees it, in headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core; no browser is ever downloaded). Screenshots go to test/.artifacts/.
const assert = require("node:assert/strict");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { startDemo } = require("../support/demo-process");

const CHROMIUM = "/usr/bin/chromium";
const ARTIFACTS = path.resolve(__dirname, "../.artifacts");
const TYPES = ["hi6-session", "hi6-monitor", "hi6-control", "hi6-trajectory", "hi6-stop"];
const FIELDS = {
  "hi6-monitor": ["#node-input-session", "#node-input-url", "#node-input-period", "#node-input-args", "#node-input-output", "#node-input-interval", "#node-input-autoStart"],
  "hi6-control": ["#node-input-session", "#node-input-method", "#node-input-url", "#node-input-args", "#node-input-body"],
  "hi6-trajectory": ["#node-input-session", "#node-input-dt", "#node-input-lookAhead", "#node-input-timeFromStart", "#node-input-maxSpeed", "#node-input-sendInit", "#node-input-stopOnAbort"],
  "hi6-stop": ["#node-input-session", "#node-input-target"],
  "hi6-session": ["#node-config-input-host", "#node-config-input-port", "#node-config-input-major", "#node-config-input-restPort", "#node-config-input-reconnect"],
};

const maybe = fs.existsSync(CHROMIUM) ? describe : describe.skip;
if (!fs.existsSync(CHROMIUM)) console.log(`  (browser tests skipped: ${CHROMIUM} is not installed; CI installs it)`);

maybe("browser: the editor and the dashboard in headless Chromium", function () {
  this.timeout(180000);
  let demo;
  let browser;
  let page;
  let profile;

  before(async () => {
    const { chromium } = require("playwright-core");
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    demo = await startDemo();
    profile = fs.mkdtempSync(path.join(os.tmpdir(), "hi6-chromium-"));
    // A fresh profile each run; the flags keep Chromium from reaching for the network at start.
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1400, height: 900 },
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    page = await browser.newPage();
    await page.goto(demo.url + "/", { waitUntil: "domcontentloaded" });
    await page.waitForFunction(() => window.RED && RED.nodes && RED.nodes.getType && RED.nodes.getType("hi6-monitor"), null, { timeout: 60000 });
    await page.waitForSelector(".red-ui-palette-node", { timeout: 30000 });
  });

  afterEach(async function () {
    if (page && this.currentTest) {
      const name = this.currentTest.title.replace(/[^a-z0-9]+/gi, "-").toLowerCase();
      await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) }).catch(() => undefined);
    }
  });

  after(async () => {
    if (browser) await browser.close();
    if (demo) await demo.stop();
    if (profile) fs.rmSync(profile, { recursive: true, force: true });
  });

  it("the palette shows the Hi6 Open Stream category with all five nodes", async () => {
    const found = await page.evaluate((types) => types.map((t) => !!RED.nodes.getType(t) && RED.nodes.getType(t).category), TYPES);
    assert.deepEqual(found, ["config", "Hi6 Open Stream", "Hi6 Open Stream", "Hi6 Open Stream", "Hi6 Open Stream"]);
    const inPalette = await page.$$eval(".red-ui-palette-node", (els) => els.map((e) => e.getAttribute("data-palette-type")));
    for (const t of TYPES.slice(1)) assert.ok(inPalette.includes(t), `${t} in the palette`);
    const header = await page.$$eval(".red-ui-palette-header", (els) => els.map((e) => e.textContent.trim()));
    assert.ok(header.some((h) => /Hi6 Open Stream/i.test(h)), `category headers: ${header.join(", ")}`);
  });

  for (const type of ["hi6-monitor", "hi6-control", "hi6-trajectory", "hi6-stop", "hi6-session"]) {
    it(`the ${type} edit dialog opens with its fields`, async () => {
      await page.evaluate((t) => {
        let node;
        if (t === "hi6-session") RED.nodes.eachConfig((n) => { if (!node && n.type === t) node = n; });
        else RED.nodes.eachNode((n) => { if (!node && n.type === t) node = n; });
        if (t === "hi6-session") RED.editor.editConfig("", t, node.id);
        else RED.editor.edit(node);
      }, type);
      for (const field of FIELDS[type]) await page.waitForSelector(field, { state: "attached", timeout: 15000 });
      await page.evaluate(() => RED.tray.close());
      await page.waitForTimeout(400);
      if (type === "hi6-session") {
        await page.evaluate(() => RED.tray.close());
        await page.waitForTimeout(400);
      }
    });
  }

  for (const type of TYPES) {
    it(`the ${type} help renders in the sidebar`, async () => {
      await page.evaluate((t) => RED.sidebar.help.show(t), type);
      const heading = type === "hi6-session" ? "Details" : "Inputs";
      await page.waitForFunction((h) => /Open Stream|Hi6|trajectory|STOP/.test(document.querySelector("#red-ui-sidebar").textContent) && document.querySelector("#red-ui-sidebar").textContent.includes(h), heading, { timeout: 15000 });
      const text = await page.$eval("#red-ui-sidebar", (el) => el.textContent);
      assert.ok(text.includes(heading), `${type} help shows ${heading}`);
    });
  }

  it("an example imports from the menu", async () => {
    await page.evaluate(() => RED.actions.invoke("core:show-examples-import-dialog"));
    await page.waitForFunction(() => /node-red-contrib-hi6-open-stream/.test(document.body.textContent), null, { timeout: 15000 });
    const dialog = page.locator("#red-ui-clipboard-dialog");
    await dialog.getByText("node-red-contrib-hi6-open-stream", { exact: false }).first().click();
    await dialog.getByText("01-monitor-joint-states", { exact: false }).first().click();
    const before = await page.evaluate(() => { let n = 0; RED.nodes.eachNode(() => n++); return n; });
    await page.locator("#red-ui-clipboard-dialog-ok").click();
    // The demo has deployed this example already, so Node-RED offers to import a copy.
    const copy = page.getByRole("button", { name: "Import copy" });
    await copy.click({ timeout: 5000 }).catch(() => undefined);
    await page.waitForTimeout(500);
    await page.mouse.click(700, 450);
    await page.waitForTimeout(500);
    const after = await page.evaluate(() => { let n = 0; RED.nodes.eachNode(() => n++); return n; });
    assert.ok(after > before, `nodes before ${before}, after ${after}`);
  });

  it("the dashboard page draws the joint chart with data, moving with a sine trajectory", async () => {
    await demo.post("/inject/c3c0000000000003");
    const dash = await browser.newPage();
    await dash.goto(demo.url + "/dashboard/joints", { waitUntil: "domcontentloaded" });
    await dash.waitForSelector("canvas", { timeout: 60000 });
    await dash.waitForTimeout(5000);
    const painted = await dash.$eval("canvas", (c) => {
      const ctx = c.getContext("2d");
      const { data } = ctx.getImageData(0, 0, c.width, c.height);
      let ink = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] > 0) ink++;
      return { ink, size: c.width * c.height };
    });
    await dash.screenshot({ path: path.join(ARTIFACTS, "dashboard-joint-chart.png") });
    await dash.close();
    assert.ok(painted.ink > painted.size * 0.002, `the chart is drawn (${painted.ink} painted pixels)`);
  });
});
