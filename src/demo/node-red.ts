/**
 * Node-RED (5.0 or 4.1, see node-red-release.ts) embedded in this process, on
 * its own http server: the editor, the admin API and the dashboard all on one
 * loopback port.
 */

import * as http from "node:http";
import * as net from "node:net";
import { ChosenNodeRed, chooseNodeRed } from "./node-red-release";
import { traceEvent, TraceEvent } from "./trace";

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, next: (err?: unknown) => void) => void;

/** The part of `require("node-red")` the demo uses; the module ships no types. */
interface NodeRedModule {
  init(server: http.Server, settings: Record<string, unknown>): void;
  start(): Promise<void>;
  stop(): Promise<void>;
  httpAdmin: Handler;
  httpNode: Handler;
  events: {
    on(event: string, listener: (payload: RuntimeEvent) => void): void;
    off(event: string, listener: (payload: RuntimeEvent) => void): void;
  };
  hooks: {
    add(id: string, hook: (event: { msg: Record<string, unknown>; destination: { id: string; node: { type: string } } }) => void): void;
    remove(id: string): void;
  };
}

interface RuntimeEvent {
  id?: string;
  payload?: { error?: string; types?: string[] };
}

export interface EmbeddedNodeRed {
  port: number;
  release: ChosenNodeRed;
  /** Starts the runtime with the user dir's flows; resolves once they run. */
  start(opts: { userDir: string; trace?: (event: TraceEvent) => void }): Promise<void>;
  /** Stops the runtime, if it started, and the server. */
  stop(): Promise<void>;
}

const TRACE_HOOK = "onReceive.hi6demo";

let opened = false;

function listen(server: http.Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

/** `RED.start()` resolves before the flows run; they run at `flows:started`, or never when node types are missing. */
async function flowsStarted(RED: NodeRedModule): Promise<void> {
  let onStarted = (): void => undefined;
  let onRuntime = (_e: RuntimeEvent): void => undefined;
  const running = new Promise<void>((resolve, reject) => {
    onStarted = () => resolve();
    onRuntime = (e) => {
      if (e.id === "runtime-state" && e.payload?.error === "missing-types") reject(new Error(`the flows need node types that are not installed: ${(e.payload.types ?? []).join(", ")}`));
    };
  });
  RED.events.on("flows:started", onStarted);
  RED.events.on("runtime-event", onRuntime);
  try {
    await RED.start();
    await running;
  } finally {
    RED.events.off("flows:started", onStarted);
    RED.events.off("runtime-event", onRuntime);
  }
}

/**
 * Node-RED's http server, listening before anything else happens so that a
 * taken port fails the demo before it touches the user dir. Node-RED is a
 * process-wide singleton that cannot start twice, so neither can this.
 */
export async function openNodeRed(host: string, port: number): Promise<EmbeddedNodeRed> {
  if (opened) throw new Error("Node-RED runs once per process");
  opened = true;
  const release = chooseNodeRed();
  const RED = require(release.entry) as NodeRedModule;
  let running = false;
  let traced = false;
  const notFound = (res: http.ServerResponse): void => {
    res.statusCode = 404;
    res.end();
  };
  const server = http.createServer((req, res) => {
    if (!running) return notFound(res);
    RED.httpAdmin(req, res, () => RED.httpNode(req, res, () => notFound(res)));
  });
  // The editor's and the dashboard's websockets leave the http server's bookkeeping once upgraded.
  const sockets = new Set<net.Socket>();
  server.on("connection", (s: net.Socket) => {
    sockets.add(s);
    s.once("close", () => sockets.delete(s));
  });
  try {
    await listen(server, port, host);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EADDRINUSE") throw new Error(`port ${port} on ${host} is taken (another Node-RED?); set PORT to a free one`);
    throw err;
  }
  const boundPort = (server.address() as net.AddressInfo).port;
  const stop = async (): Promise<void> => {
    if (traced) RED.hooks.remove(TRACE_HOOK);
    if (running) await RED.stop();
    running = false;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const s of sockets) s.destroy();
    await closed;
  };
  return {
    port: boundPort,
    release,
    async start(opts): Promise<void> {
      RED.init(server, {
        userDir: opts.userDir,
        flowFile: "flows.json",
        credentialSecret: false,
        uiHost: host,
        uiPort: boundPort,
        httpAdminRoot: "/",
        httpNodeRoot: "/",
        editorTheme: { projects: { enabled: false }, tours: false },
        telemetry: { enabled: false, updateNotification: false },
        logging: { console: { level: "info", metrics: false, audit: false } },
      });
      const trace = opts.trace;
      if (trace) {
        RED.hooks.add(TRACE_HOOK, ({ msg, destination }) => trace(traceEvent({ id: destination.id, type: destination.node.type }, msg)));
        traced = true;
      }
      running = true;
      await flowsStarted(RED);
    },
    stop,
  };
}
