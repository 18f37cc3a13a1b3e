#!/usr/bin/env node
/** `hi6-sim`: the virtual Hi6 controller from the command line. */

import { READING_CHOICES, Readings } from "./readings";
import { SimulatorOptions, startSimulator } from "./index";

const USAGE = `usage: hi6-sim [options]
  --port N                 Open Stream port (default 49000; 0 picks a free one)
  --rest-port N            Open API HTTP port (default 8888)
  --host ADDR              address to listen on (default 127.0.0.1)
  --version X.Y.Z          protocol version it reports; its MAJOR is the one it accepts (default 1.0.0)
  --idle-timeout-ms N      close a session with no activity after N ms (default 180000)
  --stall-timeout-ms N     the armed watchdog's limit, in ms (default 5000)
  --max-line-bytes N       longest recipe line before rx_buf_overflow (default 1048576)
  --control-errors common|control_err
                           how a CONTROL that breaks a payload rule is answered (default common)
  --stop-unsupported monitor,control
                           STOP targets answered with invalid_target
  --armed-watchdog stalled_delivery|client_inactivity
                           what the armed watchdog counts (default stalled_delivery)
  --rx-overflow drop_line|close
                           what follows rx_buf_overflow (default drop_line)
  --playback playing|stopped
                           whether a program plays back (GET /project/rgen is_playback); stopped
                           refuses every trajectory point with alarm E01554 (default playing)
  --rgen served|absent     whether GET /project/rgen is served or answered 404 (default served)
  --servo-lag-ms N         the servo's time constant: how far the arm trails its command (default 30)
  --joint-speed-limit N    deg/s; a step faster than this raises E159 and stops the arm (default 250; 0 = none)
  --agility supported|unsupported
                           whether joint_traject_init takes agility_mode and agility_freq (default supported)
  --quiet                  no log of sessions and recipes`;

interface CliOptions {
  port: number;
  restPort: number;
  host: string;
  version: string;
  quiet: boolean;
  sim: Pick<SimulatorOptions, "idleTimeoutMs" | "stallTimeoutMs" | "maxLineBytes">;
  readings: Readings;
}

export function parseArgs(argv: string[]): CliOptions {
  const opts: CliOptions = { port: 49000, restPort: 8888, host: "127.0.0.1", version: "1.0.0", quiet: false, sim: {}, readings: {} };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    const integer = (min: number, max: number): number => {
      const n = Number(value());
      if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${flag} must be a whole number from ${min} to ${max}`);
      return n;
    };
    const oneOf = <T extends string>(choices: readonly T[]): T => {
      const v = value();
      if (!(choices as readonly string[]).includes(v)) throw new Error(`${flag} must be one of ${choices.join(", ")}`);
      return v as T;
    };
    switch (flag) {
      case "--port": opts.port = integer(0, 65535); break;
      case "--rest-port": opts.restPort = integer(0, 65535); break;
      case "--host": opts.host = value(); break;
      case "--version": opts.version = value(); break;
      case "--idle-timeout-ms": opts.sim.idleTimeoutMs = integer(1, 2 ** 31 - 1); break;
      case "--stall-timeout-ms": opts.sim.stallTimeoutMs = integer(1, 2 ** 31 - 1); break;
      case "--max-line-bytes": opts.sim.maxLineBytes = integer(16, 2 ** 30); break;
      case "--control-errors": opts.readings.controlErrors = oneOf(READING_CHOICES.controlErrors); break;
      case "--armed-watchdog": opts.readings.armedWatchdog = oneOf(READING_CHOICES.armedWatchdog); break;
      case "--rx-overflow": opts.readings.rxOverflow = oneOf(READING_CHOICES.rxOverflow); break;
      case "--playback": opts.readings.playback = oneOf(READING_CHOICES.playback); break;
      case "--rgen": opts.readings.rgen = oneOf(READING_CHOICES.rgen); break;
      case "--agility": opts.readings.agility = oneOf(READING_CHOICES.agility); break;
      case "--servo-lag-ms": opts.readings.servoLagMs = integer(0, 10_000); break;
      case "--joint-speed-limit": opts.readings.jointSpeedLimitDegS = integer(0, 100_000); break;
      case "--stop-unsupported": {
        const targets = value().split(",").filter((t) => t !== "");
        if (!targets.every((t) => t === "monitor" || t === "control")) throw new Error(`${flag} takes monitor, control or both, comma-separated`);
        opts.readings.unsupportedStopTargets = targets as ("monitor" | "control")[];
        break;
      }
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
    opts = parseArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  const log = opts.quiet ? undefined : (line: string): void => console.log(`[hi6-sim] ${line}`);
  const sim = await startSimulator({ port: opts.port, restPort: opts.restPort, host: opts.host, version: opts.version, ...opts.sim, readings: opts.readings, ...(log ? { log } : {}) });
  const readings = Object.entries(opts.readings).map(([k, v]) => `${k}=${String(v)}`).join(" ");
  console.log(`[hi6-sim] Open Stream on ${sim.host}:${sim.port}, Open API on http://${sim.host}:${sim.restPort} (protocol ${opts.version})${readings ? `; readings: ${readings}` : ""}`);
  const shutdown = (): void => {
    sim.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}

if (require.main === module) {
  main().catch((err: Error) => {
    console.error(`[hi6-sim] ${err.message}`);
    process.exit(1);
  });
}
