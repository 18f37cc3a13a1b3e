"use strict";
// Node-RED finds a node's editor file, translations, help and icon by path
// rules; these tests check that every node the package
// declares has all of them where Node-RED looks, and that npm packs them.

const assert = require("node:assert");
const fs = require("node:fs");
const path = require("node:path");
const { execFileSync } = require("node:child_process");

const root = path.resolve(__dirname, "../..");
const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
const nodes = Object.entries(pkg["node-red"].nodes);
const LANGS = ["en-US", "ko"];

/** The icon named in the editor file's registerType call, if any. */
function iconOf(html) {
  const m = /\bicon\s*:\s*["']([^"']+)["']/.exec(html);
  return m ? m[1] : undefined;
}

/** Every file the node set needs, relative to the package root. */
function requiredFiles(type, entry) {
  const dir = path.dirname(entry);
  const base = path.basename(entry, ".js");
  const files = [entry, path.join(dir, `${base}.html`)];
  for (const lang of LANGS) {
    files.push(path.join(dir, "locales", lang, `${base}.json`), path.join(dir, "locales", lang, `${base}.html`));
  }
  const htmlPath = path.join(root, dir, `${base}.html`);
  if (fs.existsSync(htmlPath)) {
    const icon = iconOf(fs.readFileSync(htmlPath, "utf8"));
    // font-awesome/… icons come with Node-RED; file icons must be shipped.
    if (icon !== undefined && !icon.includes("/")) files.push(path.join(dir, "icons", icon));
  }
  return files.map((f) => f.split(path.sep).join("/"));
}

describe("packaging: what Node-RED loads", function () {
  it("declares the node types in package.json node-red.nodes", function () {
    const types = nodes.map(([type]) => type);
    for (const t of ["hi6-session", "hi6-monitor", "hi6-control", "hi6-stop"]) assert.ok(types.includes(t), `${t} is declared`);
  });

  for (const [type, entry] of nodes) {
    describe(type, function () {
      it("has its compiled entry, editor file, translations, help and icon where Node-RED looks", function () {
        for (const f of requiredFiles(type, entry)) assert.ok(fs.existsSync(path.join(root, f)), `${f} exists`);
      });

      it("exports a function of RED, as Node-RED requires it", function () {
        const mod = require(path.join(root, entry));
        assert.strictEqual(typeof mod, "function");
      });

      it("registers the type its package.json key names", function () {
        const html = fs.readFileSync(path.join(root, path.dirname(entry), `${path.basename(entry, ".js")}.html`), "utf8");
        assert.match(html, new RegExp(`registerType\\(\\s*["']${type}["']`));
      });

      it("has a valid JSON catalogue in every language", function () {
        for (const lang of LANGS) {
          const file = path.join(root, path.dirname(entry), "locales", lang, `${path.basename(entry, ".js")}.json`);
          assert.doesNotThrow(() => JSON.parse(fs.readFileSync(file, "utf8")), `${lang} catalogue parses`);
        }
      });
    });
  }

  it("npm pack ships every one of those files", function () {
    this.timeout(60000);
    const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    const packed = new Set(JSON.parse(out)[0].files.map((f) => f.path));
    for (const [type, entry] of nodes) {
      for (const f of requiredFiles(type, entry)) assert.ok(packed.has(f), `${f} is in the package`);
    }
    // The session's worker thread is loaded by path, not by require, so
    // nothing else would notice it missing.
    assert.ok(packed.has("nodes/nodes/session/worker.js"), "the session worker is in the package");
  });
});
