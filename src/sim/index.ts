/**
 * The virtual Hi6 controller: an Open Stream server, the Open API subset
 * over HTTP, and a virtual robot, started in-process by tests and the demo,
 * or from the command line as `hi6-sim`.
 */

import * as http from "node:http";
import * as net from "node:net";
import { DEFAULT_MAX_LINE_BYTES } from "../protocol/framer";
import { createRestServer } from "./http-server";
import { OpenApi } from "./open-api";
import { DEFAULT_JOINT_SPEED_LIMIT_DEG_S, DEFAULT_SERVO_LAG_MS, VirtualRobot } from "./robot";
import { SimSession } from "./session";
import { Readings } from "./readings";
import { FaultOptions } from "./session-output";

export { FaultOptions } from "./session-output";
export { Readings, READING_CHOICES } from "./readings";
export { VirtualRobot, HOME_POSE, ALARMS, TRAJECTORY_CAPACITY, DEFAULT_SERVO_LAG_MS, DEFAULT_JOINT_SPEED_LIMIT_DEG_S } from "./robot";
export { OpenApi, INSERT_POINTS_ERR, MAX_INSERT_POINTS, AGILITY_FREQ_MAX } from "./open-api";

export interface SimulatorOptions {
  host?: string;
  /** Open Stream port; 0 picks a free one. Default 49000. */
  port?: number;
  /** Open API HTTP port; 0 picks a free one. Default 8888. */
  restPort?: number;
  /** Protocol version the server reports; its MAJOR is the one it accepts. Default "1.0.0". */
  version?: string;
  idleTimeoutMs?: number;
  stallTimeoutMs?: number;
  maxLineBytes?: number;
  faults?: FaultOptions;
  /** Which reading of the manual's open points to play; see readings.ts. */
  readings?: Readings;
  log?: (line: string) => void;
}

/** How many received recipe lines `received` keeps. */
const RECEIVED_CAP = 20000;

export class Simulator {
  readonly robot = new VirtualRobot();
  readonly api: OpenApi;
  /** Recipe lines as they arrived, oldest first, capped. */
  readonly received: string[] = [];
  /** Every recipe line ever received, the cap notwithstanding: `received.slice(-(receivedTotal - mark))` is what came since `mark`. */
  receivedTotal = 0;
  /** MONITOR samples written to clients, across all sessions: tests compare what a flow got with what was sent. */
  samplesSent = 0;
  readonly faults: FaultOptions;
  readonly readings: Readings;
  private readonly sessions = new Set<SimSession>();
  private readonly sockets = new Set<net.Socket>();
  private readonly tcp: net.Server;
  private readonly rest: http.Server;
  private frozen = false;
  private readingPaused = false;
  private paused = false;

  constructor(private readonly options: SimulatorOptions = {}) {
    this.faults = { ...options.faults };
    this.readings = { ...options.readings };
    this.api = new OpenApi(this.robot, this.readings, this.faults);
    this.configureRobot();
    const log = options.log ?? ((): void => undefined);
    const policy = {
      version: options.version ?? "1.0.0",
      idleTimeoutMs: options.idleTimeoutMs ?? 180_000,
      stallTimeoutMs: options.stallTimeoutMs ?? 5_000,
      maxLineBytes: options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES,
      faults: this.faults,
      readings: this.readings,
      isFrozen: () => this.frozen || this.paused,
      isPaused: () => this.paused,
      record: (line: string) => {
        this.receivedTotal += 1;
        this.received.push(line);
        if (this.received.length > RECEIVED_CAP) this.received.splice(0, this.received.length - RECEIVED_CAP);
      },
      sampled: (copies: number) => {
        this.samplesSent += copies;
      },
      log,
    };
    this.tcp = net.createServer((socket) => {
      this.sockets.add(socket);
      const session = new SimSession(socket, this.api, policy);
      this.sessions.add(session);
      if (this.readingPaused || this.paused) socket.pause();
      log(`session open from ${socket.remoteAddress}:${socket.remotePort}`);
      socket.on("close", () => {
        this.sockets.delete(socket);
        this.sessions.delete(session);
        log("session closed");
      });
    });
    this.rest = createRestServer(this.api);
  }

  get host(): string {
    return this.options.host ?? "127.0.0.1";
  }

  get port(): number {
    return (this.tcp.address() as net.AddressInfo).port;
  }

  get restPort(): number {
    return (this.rest.address() as net.AddressInfo).port;
  }

  async listen(): Promise<this> {
    await listen(this.tcp, this.options.port ?? 49000, this.host);
    try {
      await listen(this.rest, this.options.restPort ?? 8888, this.host);
    } catch (err) {
      this.tcp.close();
      throw err;
    }
    return this;
  }

  /** Switches readings for every session, running ones included. */
  setReadings(readings: Readings): void {
    for (const key of Object.keys(this.readings) as (keyof Readings)[]) delete this.readings[key];
    Object.assign(this.readings, readings);
    this.configureRobot();
  }

  private configureRobot(): void {
    this.robot.configure({
      servoLagMs: this.readings.servoLagMs ?? DEFAULT_SERVO_LAG_MS,
      jointSpeedLimitDegS: this.readings.jointSpeedLimitDegS ?? DEFAULT_JOINT_SPEED_LIMIT_DEG_S,
    });
  }

  setFaults(faults: FaultOptions): void {
    for (const key of Object.keys(this.faults) as (keyof FaultOptions)[]) delete this.faults[key];
    Object.assign(this.faults, faults);
  }

  connectionCount(): number {
    return this.sockets.size;
  }

  dropConnections(): void {
    for (const s of this.sockets) s.destroy();
  }

  /** Stops sending anything while keeping sockets open: a half-open link. */
  freeze(on: boolean): void {
    this.frozen = on;
  }

  /** Stops reading from clients, so their writes back up. */
  stopReading(on: boolean): void {
    this.readingPaused = on;
    this.applyReading();
  }

  /**
   * Suspends the whole controller, as a paused process would be: it reads
   * nothing, sends nothing, runs no MONITOR and its robot stands still with
   * its buffer; on resume it reads what waited in the socket and goes on.
   */
  pause(on: boolean): void {
    this.paused = on;
    if (on) this.robot.pause();
    else this.robot.resume();
    this.applyReading();
  }

  private applyReading(): void {
    const stop = this.readingPaused || this.paused;
    for (const s of this.sockets) (stop ? s.pause() : s.resume());
  }

  /** Writes raw bytes to every session: garbage, oversized or partial lines. */
  sendRaw(text: string): void {
    for (const s of this.sessions) s.sendRaw(text);
  }

  async close(): Promise<void> {
    for (const s of this.sessions) s.dispose();
    for (const s of this.sockets) s.destroy();
    this.rest.closeAllConnections();
    await Promise.all([closeServer(this.tcp), closeServer(this.rest)]);
  }
}

function listen(server: net.Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      resolve();
    });
  });
}

function closeServer(server: net.Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) resolve();
    else server.close(() => resolve());
  });
}

export function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  return new Simulator(options).listen();
}
