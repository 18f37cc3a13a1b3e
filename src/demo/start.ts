/**
 * `npm start`: runs the demo until Ctrl-C. `npm start -- --help` lists the
 * options (USAGE below). Started with an IPC
 * channel (child_process.fork), it sends `{event: "ready", ...}` once the
 * flows run and, with --trace, `{event: "trace", node, type, msg}` for every
 * message that reaches a node; it stops when the parent goes away.
 */

import * as path from "node:path";
import { parseArgs } from "node:util";
import { DEFAULT_PORTS, Demo, DemoOptions, startDemo } from "./demo";

const ROOT = path.resolve(__dirname, "../..");

export const USAGE = `Usage: npm start -- [options]   (or: node nodes/demo/start.js [options])

Runs Node-RED with this package's nodes and every example flow, one per tab,
against the virtual controller, until Ctrl-C.

Options:
  --port N                   the editor's port (default: $PORT, else 1880; 0 = a free one)
  --user-dir DIR             Node-RED's user directory (default: .demo); its flows
                             are rewritten from the examples on every start
  --sim-port N               the virtual controller's Open Stream port (default 49000;
                             0 = a free one)
  --rest-port N              the virtual controller's Open API HTTP port (default 8888;
                             0 = a free one)
                             Without --sim-port and --rest-port, free ports are used
                             when 49000 or 8888 is taken.
  --controller-port N        use a controller already running on 127.0.0.1 instead of
  --controller-rest-port M   the virtual one (both or neither)
  --trace                    report every message over IPC (when started by
                             child_process.fork; the tests use it)
  -h, --help                 show this text

Environment:
  PORT                       the editor's port when --port is not given
  HI6_NODE_RED=4 or 5        the Node-RED release (default: the newest this Node.js runs)
`;

function portNumber(text: string | undefined, what: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${what} must be a port number, not "${text}"`);
  return n;
}

function options(argv: string[]): DemoOptions | "help" {
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
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) return "help";
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

/** The start message; `portsChosen`: the command line named the virtual controller's ports. */
export function describe(demo: Demo, ownController: boolean, portsChosen: boolean): string {
  const { host, port, restPort } = demo.controller;
  // Only ports picked for the user can have moved: ports they named are theirs, 0 included.
  const moved = ownController && !portsChosen && (port !== DEFAULT_PORTS.port || restPort !== DEFAULT_PORTS.restPort);
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
  if (opts === "help") {
    process.stdout.write(USAGE);
    return;
  }
  const demo = await startDemo(opts);
  console.log(describe(demo, !opts.controller, opts.simPort !== undefined || opts.restPort !== undefined));
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

if (require.main === module) {
  main().catch((err: Error) => {
    console.error(`[demo] ${err.message}\n[demo] npm start -- --help lists the options.`);
    process.exit(1);
  });
}
