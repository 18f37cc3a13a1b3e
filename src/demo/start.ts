/**
 * `npm start`: runs the demo until Ctrl-C.
 *
 *   node nodes/demo/start.js [--port 1880] [--user-dir .demo] [--sim-port 49000] [--rest-port 8888]
 *                            [--controller-port N --controller-rest-port M] [--trace]
 *
 * PORT sets the editor's port when --port is not given. HI6_NODE_RED=4 or 5
 * picks the Node-RED release; by default, the newest this Node.js runs.
 * Started with an IPC
 * channel (child_process.fork), it sends `{event: "ready", ...}` once the
 * flows run and, with --trace, `{event: "trace", node, type, msg}` for every
 * message that reaches a node; it stops when the parent goes away.
 */

import * as path from "node:path";
import { parseArgs } from "node:util";
import { DEFAULT_PORTS, Demo, DemoOptions, startDemo } from "./demo";

const ROOT = path.resolve(__dirname, "../..");

function portNumber(text: string | undefined, what: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${what} must be a port number, not "${text}"`);
  return n;
}

function options(argv: string[]): DemoOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: "string" },
      "user-dir": { type: "string" },
      "sim-port": { type: "string" },
      "rest-port": { type: "string" },
      "controller-port": { type: "string" },
      "controller-rest-port": { type: "string" },
      trace: { type: "boolean", default: false },
    },
  });
  const opts: DemoOptions = {
    port: portNumber(values.port, "--port") ?? portNumber(process.env.PORT, "PORT") ?? 1880,
    userDir: path.resolve(values["user-dir"] ?? path.join(ROOT, ".demo")),
  };
  const simPort = portNumber(values["sim-port"], "--sim-port");
  const restPort = portNumber(values["rest-port"], "--rest-port");
  if (simPort !== undefined) opts.simPort = simPort;
  if (restPort !== undefined) opts.restPort = restPort;
  const controllerPort = portNumber(values["controller-port"], "--controller-port");
  const controllerRestPort = portNumber(values["controller-rest-port"], "--controller-rest-port");
  if ((controllerPort === undefined) !== (controllerRestPort === undefined)) throw new Error("--controller-port and --controller-rest-port go together");
  if (controllerPort !== undefined && controllerRestPort !== undefined) opts.controller = { port: controllerPort, restPort: controllerRestPort };
  const send = process.send?.bind(process);
  if (values.trace) {
    if (!send) throw new Error("--trace reports over IPC: start the demo with child_process.fork");
    opts.trace = (event) => send({ event: "trace", ...event });
  }
  return opts;
}

function describe(demo: Demo, ownController: boolean): string {
  const { host, port, restPort } = demo.controller;
  const moved = ownController && (port !== DEFAULT_PORTS.port || restPort !== DEFAULT_PORTS.restPort);
  return [
    "",
    `[demo] ${ownController ? "virtual controller" : "controller"}: Open Stream ${host}:${port}, Open API http://${host}:${restPort}${moved ? " (the default ports were taken; the demo's sessions point here)" : ""}`,
    `[demo] Node-RED ${demo.nodeRed.version} on Node.js ${process.version} (${demo.nodeRed.reason})`,
    `[demo] Node-RED editor: ${demo.editorUrl}`,
    ...(demo.dashboardUrl ? [`[demo] dashboard:       ${demo.dashboardUrl}`] : []),
    ...(demo.skipped.length ? [`[demo] left out, a node type they use is not installed: ${demo.skipped.join(", ")}`] : []),
    "[demo] Ctrl-C stops the demo.",
    "",
  ].join("\n");
}

async function main(): Promise<void> {
  const opts = options(process.argv.slice(2));
  const demo = await startDemo(opts);
  console.log(describe(demo, !opts.controller));
  process.send?.({ event: "ready", editorUrl: demo.editorUrl, nodeRed: demo.nodeRed, dashboardUrl: demo.dashboardUrl, controller: demo.controller });
  let stopping = false;
  const stop = (): void => {
    if (stopping) process.exit(1);
    stopping = true;
    console.log("[demo] stopping");
    // Node-RED gives each node 15 s to close; past that, nothing is worth waiting for.
    setTimeout(() => process.exit(1), 20_000).unref();
    demo.stop().then(
      () => process.exit(0),
      (err: Error) => {
        console.error(`[demo] ${err.message}`);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  process.on("disconnect", stop);
}

main().catch((err: Error) => {
  console.error(`[demo] ${err.message}`);
  process.exit(1);
});
