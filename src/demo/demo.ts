/**
 * The demo: the virtual controller, a Node-RED user dir that loads this
 * package from the working tree, every example deployed on its own tab, and
 * Node-RED on loopback: 5.0 where this Node.js runs it, else 4.1. Not part of
 * the published package.
 */

import * as fs from "node:fs";
import * as path from "node:path";
import { startSimulator } from "../sim";
import { ControllerAddress, dashboardPath, demoFlows, FlowNode } from "./flows";
import { openNodeRed } from "./node-red";
import { TraceEvent } from "./trace";

export { TraceEvent } from "./trace";

const ROOT = path.resolve(__dirname, "../..");
const PACKAGE_NAME = "node-red-contrib-hi6-open-stream";
const HOST = "127.0.0.1";
const DASHBOARD = "@flowfuse/node-red-dashboard";
export const DEFAULT_PORTS = { port: 49000, restPort: 8888 };

export interface DemoOptions {
  /** The editor's port; 0 picks a free one. */
  port: number;
  /** Node-RED's user dir; its flows file is rewritten from the examples on every start. */
  userDir: string;
  host?: "127.0.0.1";
  /** Ports for the virtual controller. Default 49000 and 8888 when both are free, else free ones. */
  simPort?: number;
  restPort?: number;
  /** A controller already running on loopback (a test's own simulator); then no virtual one starts. */
  controller?: { port: number; restPort: number };
  /** Called for every message that reaches a node. */
  trace?: (event: TraceEvent) => void;
}

export interface Demo {
  editorUrl: string;
  /** The Node-RED release that runs the flows. */
  nodeRed: { major: number; version: string; reason: string };
  /** Where the dashboard example's pages are, when the flows have a dashboard. */
  dashboardUrl?: string;
  /** Examples left out because a node type they use is not installed. */
  skipped: string[];
  controller: ControllerAddress;
  stop(): Promise<void>;
}

interface RunningController extends ControllerAddress {
  close(): Promise<void>;
}

function isAddressInUse(err: unknown): boolean {
  return (err as NodeJS.ErrnoException).code === "EADDRINUSE";
}

async function startController(opts: DemoOptions): Promise<RunningController> {
  if (opts.controller) return { host: HOST, ...opts.controller, close: async () => undefined };
  const wanted = { port: opts.simPort ?? DEFAULT_PORTS.port, restPort: opts.restPort ?? DEFAULT_PORTS.restPort };
  const start = async (ports: { port: number; restPort: number }): Promise<RunningController> => {
    const sim = await startSimulator({ host: HOST, ...ports });
    return { host: HOST, port: sim.port, restPort: sim.restPort, close: () => sim.close() };
  };
  try {
    return await start(wanted);
  } catch (err) {
    const chosen = opts.simPort !== undefined || opts.restPort !== undefined;
    if (chosen || !isAddressInUse(err)) throw err;
    return start({ port: 0, restPort: 0 });
  }
}

/** The dashboard is a devDependency, so a production install has no ui-* nodes. */
function installedType(type: string): boolean {
  if (!type.startsWith("ui-")) return true;
  try {
    require.resolve(`${DASHBOARD}/package.json`);
    return true;
  } catch {
    return false;
  }
}

function prepareUserDir(userDir: string, flows: FlowNode[]): void {
  fs.mkdirSync(path.join(userDir, "node_modules"), { recursive: true });
  // Node-RED loads the package through this link, so it runs the working tree's build.
  const link = path.join(userDir, "node_modules", PACKAGE_NAME);
  fs.rmSync(link, { recursive: true, force: true });
  fs.symlinkSync(ROOT, link, "dir");
  fs.writeFileSync(path.join(userDir, "flows.json"), JSON.stringify(flows, null, 2));
}

export async function startDemo(opts: DemoOptions): Promise<Demo> {
  const host = opts.host ?? HOST;
  const red = await openNodeRed(host, opts.port);
  let controller: RunningController | undefined;
  try {
    controller = await startController(opts);
    const { flows, skipped } = demoFlows(path.join(ROOT, "examples"), controller, installedType);
    prepareUserDir(opts.userDir, flows);
    await red.start({ userDir: opts.userDir, ...(opts.trace ? { trace: opts.trace } : {}) });
    const editorUrl = `http://${host}:${red.port}/`;
    const dashboard = dashboardPath(flows);
    const running = controller;
    let stopping: Promise<void> | undefined;
    return {
      editorUrl,
      nodeRed: { major: red.release.major, version: red.release.version, reason: red.release.reason },
      ...(dashboard ? { dashboardUrl: new URL(dashboard, editorUrl).href } : {}),
      controller: { host: running.host, port: running.port, restPort: running.restPort },
      skipped,
      stop: () => (stopping ??= red.stop().finally(() => running.close())),
    };
  } catch (err) {
    await red.stop().catch(() => undefined);
    await controller?.close();
    throw err;
  }
}
