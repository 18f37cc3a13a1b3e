"use strict";
// The help in the sidebar speaks the dialog's language: a setting is named by its label, as the
// dialog shows it, and its property name may follow in brackets.
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");

const NODES = path.resolve(__dirname, "../../nodes");
const TYPES = ["hi6-session", "hi6-monitor", "hi6-control", "hi6-trajectory", "hi6-stop"];
const LANGS = ["en-US", "ko"];

/** The property names of a type's dialog: the defaults in its registration script. */
function properties(type) {
  const html = fs.readFileSync(path.join(NODES, `${type}.html`), "utf8");
  const script = /<script type="text\/javascript">([\s\S]*?)<\/script>/.exec(html)[1];
  let def;
  vm.runInNewContext(script, { RED: { nodes: { registerType: (t, d) => (def = d) }, _: (k) => k } });
  return Object.keys(def.defaults).filter((p) => p !== "name");
}

describe("editor: help names the dialog's labels", () => {
  for (const type of TYPES) {
    for (const lang of LANGS) {
      it(`${type} (${lang}): a setting is named by its dialog label, its property name only in brackets after it`, () => {
        const help = fs.readFileSync(path.join(NODES, "locales", lang, `${type}.html`), "utf8");
        const labels = JSON.parse(fs.readFileSync(path.join(NODES, "locales", lang, `${type}.json`), "utf8"))[type].label;
        const props = properties(type);
        assert.ok(props.length > 0, "found the dialog's properties");
        for (const prop of props) {
          if (labels[prop] !== prop) assert.ok(!help.includes(`<i>${prop}</i>`), `${prop} is named by its label "${labels[prop]}", not as <i>${prop}</i>`);
          // camelCase names exist only in code; a user who reads them has to map them to the dialog.
          if (!/[A-Z]/.test(prop)) continue;
          for (const m of help.matchAll(new RegExp(`\\b${prop}\\b`, "g"))) {
            const before = help.slice(Math.max(0, m.index - 200), m.index);
            assert.ok(before.endsWith("(<code>"), `${prop} at ${m.index} stands in brackets`);
            const label = /<i>([^<]*)<\/i> ?\(<code>$/.exec(before);
            assert.ok(label, `${prop} at ${m.index} follows its label`);
            assert.equal(label[1], labels[prop], `${prop}'s label is the dialog's`);
          }
        }
      });
    }
  }
});
