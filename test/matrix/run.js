"use strict";
// `npm test`: every test, once per leg of the supported matrix (legs.js), one leg after the
// other since the timing tests need the cores to themselves. A leg that cannot run here fails
// with the reason; it is never skipped, so a green `npm test` means both legs passed.
//
//   node test/matrix/run.js [4|5]... [--install] [mocha options]
//
// With leg numbers, only those legs run. --install only brings each leg's Node.js (CI does
// this as a step of its own). The compiled package must be built first (`npm run build`).
const path = require("node:path");
const { spawn } = require("node:child_process");
const { LEGS, major, runtimeFor } = require("./legs");

const ROOT = path.resolve(__dirname, "../..");
const MOCHA = path.join(ROOT, "node_modules", "mocha", "bin", "mocha.js");
const SUMMARY = /^\s*(\d+) (passing|failing|pending)\b/;
/** Every test, when the options name no file: .mocharc.json names none, so that `npx mocha a.test.js` runs just that file. */
const ALL_TESTS = "test/**/*.test.js";

function parseArgs(argv) {
  let i = 0;
  while (i < argv.length && (/^\d+$/.test(argv[i]) || argv[i] === "--install")) i += 1;
  const own = argv.slice(0, i);
  const mochaArgs = argv.slice(argv[i] === "--" ? i + 1 : i);
  const chosen = own.filter((a) => a !== "--install").map(Number);
  const legs = chosen.length ? LEGS.filter((l) => chosen.includes(l.nodeRed)) : LEGS;
  if (legs.length !== (chosen.length || LEGS.length)) {
    throw new Error(`usage: run.js [${LEGS.map((l) => l.nodeRed).join("|")}]... [--install] [mocha options]`);
  }
  return { legs, install: own.includes("--install"), mochaArgs };
}

function nodeRedOf(leg) {
  try {
    return require(path.join(ROOT, "nodes", "demo", "node-red-release.js")).chooseNodeRed({ HI6_NODE_RED: String(leg.nodeRed) }, leg.node);
  } catch (err) {
    if (err.code === "MODULE_NOT_FOUND") throw new Error("the package is not built: run npm run build (npm test does)");
    throw err;
  }
}

function title(leg, release, runtime) {
  return `Node-RED ${release ? release.version : `${leg.nodeRed}.x`} on Node.js ${runtime ? runtime.version : major(leg.node)}`;
}

/** Runs mocha under the leg's Node.js; resolves with its exit code and the counts from its summary. */
function runMocha(leg, runtime, mochaArgs) {
  const env = { ...process.env, HI6_NODE_RED: String(leg.nodeRed) };
  // Child processes the tests start (the demo, npm pack) then run on the leg's Node.js too.
  if (runtime.installed) env.PATH = path.dirname(runtime.bin) + path.delimiter + env.PATH;
  const namesFiles = mochaArgs.some((a) => !a.startsWith("-") && /\.js$|[*]/.test(a));
  const args = [MOCHA, ...(process.stdout.isTTY ? ["--color"] : []), ...mochaArgs, ...(namesFiles ? [] : [ALL_TESTS])];
  const child = spawn(runtime.bin, args, { cwd: ROOT, env, stdio: ["inherit", "pipe", "inherit"] });
  const counts = { passing: 0, failing: 0, pending: 0 };
  let partial = "";
  child.stdout.on("data", (chunk) => {
    process.stdout.write(chunk);
    const lines = (partial + chunk.toString("utf8")).split("\n");
    partial = lines.pop();
    for (const line of lines) {
      const m = SUMMARY.exec(line.replace(/\x1b\[[0-9;]*m/g, ""));
      if (m) counts[m[2]] = Number(m[1]);
    }
  });
  return new Promise((resolve) => child.on("close", (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), counts })));
}

async function main() {
  const { legs, install, mochaArgs } = parseArgs(process.argv.slice(2));
  const results = [];
  for (const leg of legs) {
    const started = Date.now();
    let runtime;
    let release;
    try {
      release = install ? undefined : nodeRedOf(leg);
      runtime = runtimeFor(leg, (line) => console.log(`[matrix] ${line}`));
    } catch (err) {
      console.error(`\n[matrix] ✖ ${title(leg, release, runtime)} cannot run: ${err.message}`);
      results.push({ leg, title: title(leg, release, runtime), error: err.message });
      continue;
    }
    if (install) {
      console.log(`[matrix] Node-RED ${leg.nodeRed} leg: Node.js ${runtime.version} at ${runtime.bin}`);
      results.push({ leg, title: title(leg, release, runtime), code: 0 });
      continue;
    }
    console.log(`\n[matrix] ── ${title(leg, release, runtime)} ──`);
    const { code, counts } = await runMocha(leg, runtime, mochaArgs);
    results.push({ leg, title: title(leg, release, runtime), code, counts, seconds: Math.round((Date.now() - started) / 1000) });
  }
  if (install) return results.every((r) => r.code === 0) ? 0 : 1;

  console.log("\n[matrix] supported matrix:");
  const total = { passing: 0, failing: 0, pending: 0 };
  let failedLegs = 0;
  for (const r of results) {
    if (r.error) {
      // A leg that could not run counts as a failed test: the matrix claims it.
      failedLegs += 1;
      total.failing += 1;
      console.log(`  ✖ ${r.title}: could not run: ${r.error}`);
      continue;
    }
    for (const k of Object.keys(total)) total[k] += r.counts[k];
    const crashed = r.code !== 0 && r.counts.failing === 0;
    if (crashed) total.failing += 1;
    if (r.code !== 0) failedLegs += 1;
    console.log(`  ${r.code === 0 ? "✔" : "✖"} ${r.title}: ${r.counts.passing} passing, ${r.counts.failing} failing, ${r.counts.pending} pending (${r.seconds} s)${crashed ? `; mocha exited with ${r.code}` : ""}`);
  }
  if (failedLegs) console.log(`[matrix] ${failedLegs} of ${results.length} legs failed${results.some((r) => r.error) ? `; ${LEGS.map((l) => `npm run test:node-red-${l.nodeRed}`).join(" or ")} runs one leg alone` : ""}`);
  console.log(`tests: ${total.passing} passed, ${total.failing} failed, ${total.pending} skipped`);
  return failedLegs ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`[matrix] ${err.message}`);
    process.exit(2);
  },
);
