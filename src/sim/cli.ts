#!/usr/bin/env node
/** `hi6-sim`: the virtual Hi6 controller from the command line. */

import { startSimulator } from "./index";

const USAGE = "usage: hi6-sim [--port 49000] [--rest-port 8888] [--host 127.0.0.1] [--version 1.0.0] [--quiet]";

function parse(argv: string[]): { port: number; restPort: number; host: string; version: string; quiet: boolean } {
  const opts = { port: 49000, restPort: 8888, host: "127.0.0.1", version: "1.0.0", quiet: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    const port = (): number => {
      const n = Number(value());
      if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${flag} must be a port number`);
      return n;
    };
    switch (flag) {
      case "--port": opts.port = port(); break;
      case "--rest-port": opts.restPort = port(); break;
      case "--host": opts.host = value(); break;
      case "--version": opts.version = value(); break;
      case "--quiet": opts.quiet = true; break;
      case "--help": case "-h": console.log(USAGE); process.exit(0);
      default: throw new Error(`unknown option ${flag}`);
    }
  }
  return opts;
}

async function main(): Promise<void> {
  let opts;
  try {
    opts = parse(process.argv.slice(2));
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  const log = opts.quiet ? undefined : (line: string): void => console.log(`[hi6-sim] ${line}`);
  const sim = await startSimulator({ port: opts.port, restPort: opts.restPort, host: opts.host, version: opts.version, ...(log ? { log } : {}) });
  console.log(`[hi6-sim] Open Stream on ${sim.host}:${sim.port}, Open API on http://${sim.host}:${sim.restPort} (protocol ${opts.version})`);
  const shutdown = (): void => {
    sim.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}

main().catch((err: Error) => {
  console.error(`[hi6-sim] ${err.message}`);
  process.exit(1);
});
