"use strict";
// Runs every test/bench/*.bench.js (or those whose name contains argv[2]) one after another,
// each in its own process so one benchmark's heap and JIT state never colour the next.
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const filter = process.argv[2] || "";
const benches = fs.readdirSync(__dirname).filter((f) => f.endsWith(".bench.js") && f.includes(filter)).sort();
if (benches.length === 0) {
  console.error(`no benchmark matches "${filter}"`);
  process.exit(1);
}
let failed = 0;
for (const b of benches) {
  console.log(`\n=== ${b} ===`);
  const r = spawnSync(process.execPath, ["--expose-gc", path.join(__dirname, b)], { stdio: "inherit" });
  if (r.status !== 0) failed += 1;
}
process.exit(failed === 0 ? 0 : 1);
