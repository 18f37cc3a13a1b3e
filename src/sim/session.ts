/**
 * One Open Stream session on the simulator's side of one TCP connection:
 * the server's rules, acks, MONITOR timer, STOP semantics and watchdog.
 */

import { ERROR_CATALOGUE } from "../protocol/errors";

import * as net from "node:net";
import { NdjsonFramer } from "../protocol/framer";
import { MonitorPayload, Recipe } from "../protocol/recipes";
import { isJsonObject, validateEnvelope, validateRecipe } from "../protocol/validate";
import { OpenApi } from "./open-api";
import { Readings } from "./readings";
import { FaultOptions, SessionOutput } from "./session-output";

export interface SessionPolicy {
  version: string;
  idleTimeoutMs: number;
  stallTimeoutMs: number;
  maxLineBytes: number;
  /** Live fault settings: tests change them while sessions run. */
  faults: FaultOptions;
  /** Live readings of the manual's open points. */
  readings: Readings;
  /** True while the server plays a half-open link: it sends nothing at all. */
  isFrozen(): boolean;
  /** True while the whole controller is suspended: not even its MONITOR runs. */
  isPaused(): boolean;
  record(line: string): void;
  /** Counts MONITOR samples as they are written, `copies` at a time under a flood. */
  sampled(copies: number): void;
  log(line: string): void;
}

/**
 * Bytes Node still holds for the socket: above zero, the kernel's buffers are
 * full and the client is not reading, so the stalled-delivery clock runs.
 */
const STALL_BYTES = 0;
const SESSION_CLOSE_GRACE_MS = 200;

/**
 * The next sample's deadline: one period after the last one's, however late
 * the timer fired, so lateness never accumulates; from now again when the
 * controller fell more than a period behind, so it never sends a burst.
 */
export function nextDeadline(due: number, period: number, now: number): number {
  const next = due + period;
  return next < now - period ? now : next;
}

/**
 * Whether `field`'s value in the raw line is written as an integer. JSON
 * gives 1.0 and 1 the same number, so the manual's "int" can only be held
 * to on the text.
 */
export function writtenAsInteger(line: string, field: string): boolean {
  const m = new RegExp(`"${field}"\\s*:\\s*(-?[0-9][0-9.eE+-]*)`).exec(line);
  return m === null || /^-?(0|[1-9][0-9]*)$/.test(m[1]!);
}

export class SimSession {
  private readonly out: SessionOutput;
  private readonly framer: NdjsonFramer;
  private readonly startedAt = performance.now();
  private readonly serverMajor: number;
  private handshaked = false;
  private controlActive = false;
  private monitorTimer: NodeJS.Timeout | undefined;
  /** Which MONITOR the timer belongs to: a replaced one's last tick must not re-arm it. */
  private monitorGeneration = 0;
  private stalledSince: number | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private dropTimer: NodeJS.Timeout | undefined;
  private closeTimer: NodeJS.Timeout | undefined;
  private closed = false;
  /** STOP session was acked: the connection is closing and takes no more recipes. */
  private ending = false;

  constructor(
    readonly socket: net.Socket,
    private readonly api: OpenApi,
    private readonly policy: SessionPolicy,
  ) {
    this.serverMajor = Number.parseInt(policy.version, 10);
    this.out = new SessionOutput(socket, policy.faults, () => policy.isFrozen());
    this.framer = new NdjsonFramer(
      {
        line: (text) => this.onLine(text),
        overflow: (n) => {
          this.error("rx_buf_overflow", `a line passed the receive buffer (${n} bytes and no newline); it is dropped`, "end every recipe with a newline");
          if (policy.readings.rxOverflow === "close") this.socket.end();
        },
        invalidUtf8: () => this.error("invalid_ndjson", "the line is not valid UTF-8", "send UTF-8 text"),
      },
      { maxLineBytes: policy.maxLineBytes },
    );
    socket.setNoDelay(true);
    socket.on("data", (chunk: Buffer) => this.framer.push(chunk));
    socket.on("close", () => this.dispose());
    socket.on("error", () => this.dispose());
    this.armIdleWatchdog();
  }

  private onLine(text: string): void {
    this.policy.record(text);
    if (this.ending) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      this.error("invalid_ndjson", "the line is not valid JSON", "send one JSON object per line");
      return;
    }
    const envelope = validateEnvelope(parsed);
    if (!envelope.ok) {
      this.error(envelope.code, envelope.message);
      return;
    }
    if (envelope.value !== "HANDSHAKE" && !this.handshaked) {
      this.refuse(envelope.value, "handshake_required", `${envelope.value} needs a HANDSHAKE first`, "send HANDSHAKE right after connecting");
      return;
    }
    const checked = validateRecipe(parsed);
    if (!checked.ok) {
      this.refuse(envelope.value, checked.code, checked.message);
      return;
    }
    const recipe = checked.value;
    if (recipe.cmd === "HANDSHAKE" && !writtenAsInteger(text, "major")) {
      this.error("invalid_major_type", "major must be an integer, written without a fraction or exponent");
      return;
    }
    if (recipe.cmd === "MONITOR" && !writtenAsInteger(text, "period_ms")) {
      this.error("invalid_period", "period_ms must be an integer, written without a fraction or exponent");
      return;
    }
    this.armIdleWatchdog();
    this.policy.log(`${recipe.cmd} ${JSON.stringify(recipe.payload)}`);
    this.dispatch(recipe, isJsonObject(parsed) && isJsonObject(parsed.payload) ? parsed.payload.id : undefined);
  }

  private dispatch(recipe: Recipe, monitorId: unknown): void {
    switch (recipe.cmd) {
      case "HANDSHAKE":
        return this.handshake(recipe.payload.major);
      case "MONITOR":
        return this.startMonitor(recipe.payload, monitorId);
      case "CONTROL": {
        const reply = this.api.handle(recipe.payload.method, recipe.payload.url, recipe.payload.args, recipe.payload.body);
        // Only a CONTROL that went through leaves something for STOP control to clean up.
        if (reply.status >= 400) this.send({ type: "control_err", status: reply.status, body: reply.body ?? null });
        else this.controlActive = true;
        return;
      }
      case "STOP":
        return this.stop(recipe.payload.target);
    }
  }

  private handshake(major: number): void {
    if (this.policy.faults.ignoreHandshake) return;
    if (major !== this.serverMajor) {
      this.error("version_mismatch", `client major ${major}, server major ${this.serverMajor} (version ${this.policy.version})`, `use major ${this.serverMajor}`);
      return;
    }
    if (this.monitorTimer || this.controlActive || this.policy.faults.busyOnHandshake) {
      this.error("busy_session_active", "MONITOR or CONTROL is active on this session", "send STOP first");
      return;
    }
    this.handshaked = true;
    this.send({ type: "handshake_ack", ok: true, version: this.policy.version });
    const dropAfter = this.policy.faults.dropAfterMs;
    if (dropAfter !== undefined) this.dropTimer = setTimeout(() => this.socket.destroy(), dropAfter);
  }

  /**
   * Samples on absolute deadlines, the first at once: a timer re-armed after
   * each sample drifts by its own lateness every period, so a 2 ms MONITOR
   * would run near 430 Hz instead of 500. A controller that falls more than
   * a period behind resumes from now rather than sending a burst.
   */
  private startMonitor(payload: MonitorPayload, id: unknown): void {
    this.stopMonitor();
    const period = payload.period_ms;
    if (this.policy.faults.dataBeforeAck) this.deliver(payload, id);
    this.send({ type: "monitor_ack" });
    let due = performance.now();
    const generation = ++this.monitorGeneration;
    const tick = (): void => {
      this.deliver(payload, id);
      // Delivery may have closed the session, or a newer MONITOR replaced this one.
      if (this.closed || generation !== this.monitorGeneration) return;
      const now = performance.now();
      due = nextDeadline(due, period, now);
      this.monitorTimer = setTimeout(tick, Math.max(0, due - now));
    };
    tick();
    this.armIdleWatchdog();
  }

  private deliver(payload: MonitorPayload, id: unknown): void {
    if (this.policy.isPaused()) return;
    const now = performance.now();
    if (this.socket.writableLength > STALL_BYTES) {
      this.stalledSince ??= now;
      if (now - this.stalledSince > this.policy.stallTimeoutMs) {
        this.error("session_timeout", "MONITOR delivery stalled; closing the session");
        this.socket.destroy();
      }
      return;
    }
    this.stalledSince = undefined;
    const t0 = performance.now();
    const reply = this.api.handle("GET", payload.url, payload.args ?? {});
    const event: Record<string, unknown> = { type: "data" };
    if (id !== undefined) event.id = id;
    event.ts = Math.round(now - this.startedAt);
    event.svc_dur_ms = Number((performance.now() - t0).toFixed(3));
    // A failed REST call keeps its body: it says why.
    if (reply.body !== undefined) event.result = reply.body;
    if (reply.status >= 400 || reply.body === undefined) event.status = reply.status;
    const flood = Math.floor(this.policy.faults.floodLines ?? 1);
    if (flood > 1) {
      // One write of many copies: the server's own cost stays small, so the
      // flood is limited by the client's reading, which is what it tests.
      if (!this.closed) this.out.write((JSON.stringify(event) + "\n").repeat(flood));
      if (!this.closed) this.policy.sampled(flood);
      return;
    }
    this.send(event);
    if (!this.closed) this.policy.sampled(1);
  }

  private stopMonitor(): boolean {
    if (!this.monitorTimer) return false;
    this.monitorGeneration += 1;
    clearTimeout(this.monitorTimer);
    this.monitorTimer = undefined;
    this.stalledSince = undefined;
    this.armIdleWatchdog();
    return true;
  }

  private stop(target: "session" | "control" | "monitor"): void {
    if (target !== "session" && this.policy.readings.unsupportedStopTargets?.includes(target)) {
      this.error("invalid_target", `STOP ${target} is not supported by this controller`, "use STOP session");
      return;
    }
    if (target === "monitor") {
      if (this.stopMonitor()) this.send({ type: "stop_ack", target });
      else this.error("nothing_to_stop", "no MONITOR is active");
      return;
    }
    if (target === "control") {
      if (!this.controlActive) {
        this.error("nothing_to_stop", "no CONTROL is active");
        return;
      }
      this.controlActive = false;
      this.api.robot.initTrajectory();
      this.send({ type: "stop_ack", target });
      return;
    }
    this.stopMonitor();
    if (this.controlActive) this.api.robot.initTrajectory();
    this.controlActive = false;
    this.send({ type: "stop_ack", target });
    this.ending = true;
    this.closeTimer = setTimeout(() => this.socket.end(), SESSION_CLOSE_GRACE_MS);
  }

  /**
   * Re-armed by every recipe. Disarmed while a MONITOR is armed (delivery
   * then has its own stall clock), unless this controller reads the armed
   * watchdog as client inactivity: then the stall timeout counts commands.
   */
  private armIdleWatchdog(): void {
    this.disarmIdleWatchdog();
    const inactivity = this.policy.readings.armedWatchdog === "client_inactivity";
    if (this.monitorTimer && !inactivity) return;
    const limit = this.monitorTimer ? this.policy.stallTimeoutMs : this.policy.idleTimeoutMs;
    this.idleTimer = setTimeout(() => {
      this.error("session_timeout", this.monitorTimer ? "no command while MONITOR is armed; closing the session" : "no activity; closing the idle session");
      this.socket.end();
    }, limit);
  }

  private disarmIdleWatchdog(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  /** A recipe that broke a rule: a CONTROL's answer takes the shape this controller's reading gives it. */
  private refuse(cmd: string, code: string, message: string, hint?: string): void {
    if (cmd === "CONTROL" && this.policy.readings.controlErrors === "control_err") {
      this.send({ type: "control_err", status: ERROR_CATALOGUE.get(code)?.httpStatus ?? 400, body: { error: code, message } });
      return;
    }
    this.error(code, message, hint);
  }

  private error(code: string, message: string, hint?: string): void {
    this.send(hint === undefined ? { error: code, message } : { error: code, message, hint });
  }

  send(event: Record<string, unknown>): void {
    if (!this.closed) this.out.write(JSON.stringify(event) + "\n");
  }

  sendRaw(text: string): void {
    if (!this.closed) this.out.write(text);
  }

  dispose(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.monitorTimer) clearTimeout(this.monitorTimer);
    this.monitorTimer = undefined;
    this.disarmIdleWatchdog();
    if (this.dropTimer) clearTimeout(this.dropTimer);
    if (this.closeTimer) clearTimeout(this.closeTimer);
    this.out.dispose();
    this.socket.destroy();
  }
}
