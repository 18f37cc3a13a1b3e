/**
 * `npm start`: the demo. It starts the virtual controller, prepares a
 * Node-RED user dir under .demo/ that loads this package from the working
 * tree, deploys every example flow on its own tab, and runs Node-RED 4.1 on
 * 127.0.0.1. Ctrl-C stops everything. Not part of the published package.
 */

import { ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { Simulator, startSimulator } from "../sim";

const ROOT = path.resolve(__dirname, "../..");
const PACKAGE_NAME = "node-red-contrib-hi6-open-stream";
const HOST = "127.0.0.1";
/** Config nodes live outside any tab. */
const CONFIG_TYPES = new Set(["hi6-session", "ui-base", "ui-page", "ui-group", "ui-theme"]);

interface FlowNode {
  id: string;
  type: string;
  z?: string;
  [key: string]: unknown;
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, HOST, () => probe.close(() => resolve(true)));
  });
}

type DemoController = Pick<Simulator, "port" | "restPort" | "close">;

/**
 * The built-in virtual controller on its default ports when they are free;
 * DEMO_SIM_PORT and DEMO_REST_PORT point the demo at one already running
 * instead (the end-to-end test runs its own, to watch the wire).
 */
async function startDemoController(): Promise<DemoController> {
  const external = Number(process.env.DEMO_SIM_PORT);
  const externalRest = Number(process.env.DEMO_REST_PORT);
  if (external > 0 && externalRest > 0) return { port: external, restPort: externalRest, close: async () => undefined };
  const defaults = (await portFree(49000)) && (await portFree(8888));
  return startSimulator({ host: HOST, port: defaults ? 49000 : 0, restPort: defaults ? 8888 : 0 });
}

/** Every example on a tab of its own; the session config nodes point at the running simulator. */
export function demoFlows(examplesDir: string, sim: { port: number; restPort: number }): FlowNode[] {
  const flows: FlowNode[] = [];
  const files = fs.readdirSync(examplesDir).filter((f) => f.endsWith(".json")).sort();
  for (const file of files) {
    const nodes = JSON.parse(fs.readFileSync(path.join(examplesDir, file), "utf8")) as FlowNode[];
    const tab = `tab-${file.replace(/\.json$/, "")}`;
    const title = nodes.find((n) => n.type === "comment")?.name;
    flows.push({ id: tab, type: "tab", label: typeof title === "string" ? title : file, disabled: false, info: "" });
    for (const node of nodes) {
      if (node.type === "hi6-session") flows.push({ ...node, host: HOST, port: sim.port, restPort: sim.restPort });
      else if (CONFIG_TYPES.has(node.type)) flows.push(node);
      else flows.push({ ...node, z: tab });
    }
  }
  return flows;
}

function prepareUserDir(userDir: string, port: number, flows: FlowNode[]): string {
  fs.mkdirSync(path.join(userDir, "node_modules"), { recursive: true });
  const link = path.join(userDir, "node_modules", PACKAGE_NAME);
  fs.rmSync(link, { recursive: true, force: true });
  fs.symlinkSync(ROOT, link, "dir");
  fs.writeFileSync(path.join(userDir, "flows.json"), JSON.stringify(flows, null, 2));
  const settings = {
    uiHost: HOST,
    uiPort: port,
    flowFile: "flows.json",
    credentialSecret: false,
    editorTheme: { projects: { enabled: false }, tours: false },
    diagnostics: { enabled: false },
    telemetry: { enabled: false },
    logging: { console: { level: "info", metrics: false, audit: false } },
  };
  const file = path.join(userDir, "settings.js");
  fs.writeFileSync(file, `// Written by npm start for the demo.\nmodule.exports = ${JSON.stringify(settings, null, 2)};\n`);
  return file;
}

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 1880);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`PORT must be a port number, not ${process.env.PORT}`);
  const userDir = path.resolve(process.env.DEMO_USER_DIR ?? path.join(ROOT, ".demo"));
  const sim = await startDemoController();
  console.log(`[demo] virtual controller: Open Stream on ${HOST}:${sim.port}, Open API on http://${HOST}:${sim.restPort}`);
  const settings = prepareUserDir(userDir, port, demoFlows(path.join(ROOT, "examples"), sim));
  const redJs = path.join(path.dirname(require.resolve("node-red/package.json")), "red.js");
  const red: ChildProcess = spawn(process.execPath, [redJs, "--userDir", userDir, "--settings", settings], { stdio: ["ignore", "pipe", "inherit"] });
  red.stdout?.on("data", (chunk: Buffer) => {
    process.stdout.write(chunk);
    if (chunk.toString().includes("Started flows")) {
      console.log(`\n[demo] Node-RED editor: http://${HOST}:${port}/  (Ctrl-C stops the demo)\n`);
    }
  });
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    red.kill("SIGINT");
    const force = setTimeout(() => red.kill("SIGKILL"), 15_000);
    red.once("exit", () => {
      clearTimeout(force);
      sim.close().then(() => process.exit(0), () => process.exit(1));
    });
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  red.once("exit", (code) => {
    if (!stopping) {
      console.error(`[demo] Node-RED exited (${code ?? "signal"})`);
      sim.close().then(() => process.exit(code ?? 1), () => process.exit(1));
    }
  });
}

if (require.main === module) {
  main().catch((err: Error) => {
    console.error(`[demo] ${err.message}`);
    process.exit(1);
  });
}
