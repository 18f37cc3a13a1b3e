/**
 * OpenStreamClient: one Open Stream session over one TCP connection, with
 * handshake, reconnect, MONITOR re-arm, ack and error correlation and
 * bounded writes. It knows nothing of Node-RED and assumes nothing about the
 * thread it runs on.
 */

import { EventEmitter } from "node:events";
import { describeError, Hi6Error } from "../protocol/errors";
import { DATA_LINE_PREFIX, ErrorEvent, parseServerLine, ServerEvent } from "../protocol/events";
import { ControlPayload, controlRecipe, encodeRecipe, handshakeRecipe, MonitorPayload, StopTarget, stopRecipe } from "../protocol/recipes";
import { Checked, isJsonObject, validateControlPayload, validateMonitorPayload, validateStopPayload } from "../protocol/validate";
import { versionProblem } from "../protocol/version";
import { AckQueue } from "./ack-queue";
import { MonitorKeeper } from "./monitor-keeper";
import { controlErrOf, routeServerError, serverErrorOf } from "./error-routing";
import { backoffDelay } from "./backoff";
import { causeOf } from "./failure-cause";
import { Link } from "./link";
import { Settings, settingsFrom } from "./settings";
import { ConnectionAction, ConnectionEvent, transition } from "./connection-fsm";
import { withDeadline } from "./deadline";
import { ClientCounters, ClientEvents, ClientOptions, ConnectFailure, FailureCause, MonitorRequest, SessionState, StateChange, StopResult } from "./types";
import { Throttle } from "./throttle";

const WARNING_INTERVAL_MS = 1000;

// Tests and tools read a socket error's cause from here, where it has always been.
export { causeOf };

/** What a transition announces with the new state, and what its actions need. */
interface Entry {
  error?: Hi6Error;
  retryInMs?: number;
  failure?: ConnectFailure;
  /** On entering ready: an earlier connection of this client had dropped or failed. */
  reconnected?: boolean;
}

export class OpenStreamClient extends EventEmitter<ClientEvents> {
  private readonly cfg: Settings;
  private readonly link: Link;
  private readonly acks: AckQueue;
  private current: SessionState = "idle";
  private version: string | undefined;
  private attempt = 0;
  private lastError: Hi6Error | undefined;
  /** The typed cause behind lastError, for the current attempt or connection. */
  private failure: FailureCause | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly monitors: MonitorKeeper;
  private controlTag: unknown;
  /** Lines written first on the next connection's ready, before the MONITOR re-arm and any queued recipe. */
  private firstOnReady: string[] = [];
  private readonly warnings = new Throttle(WARNING_INTERVAL_MS);
  /** Why the current socket is going away, when we chose it. */
  private ending: "fatal" | "closing" | undefined;
  private idleTimeoutSeen = false;
  private closed = false;
  private readonly stats: ClientCounters = { linesIn: 0, dataEvents: 0, garbageLines: 0, unknownEvents: 0, oversizeLines: 0, reconnects: 0 };

  constructor(options: ClientOptions) {
    super();
    this.cfg = settingsFrom(options);
    this.link = new Link(this.cfg, {
      line: (text) => this.onLine(text),
      overflow: (n) => {
        this.stats.oversizeLines += 1;
        this.emit("warning", "line_too_long", `dropping a line from the server: ${n} bytes and no newline within ${this.cfg.maxLineBytes}`);
      },
      // A version from an earlier connection must not stand for this one's server.
      connected: () => this.fire("tcpConnected", {}, () => (this.version = undefined)),
      failed: (cause, err) => this.fail(cause, err),
      closed: () => this.onSocketClosed(),
      isReady: () => this.current === "ready",
    });
    this.acks = new AckQueue(this.cfg.ackTimeoutMs, (line) => this.link.write(line));
    this.monitors = new MonitorKeeper(
      {
        enqueue: (kind, line, target) => this.acks.enqueue(kind, line, target),
        pump: () => {
          if (this.current === "ready") this.acks.pump();
        },
        isReady: () => this.current === "ready",
        acked: (tag) => this.emit("monitorAck", tag),
        stalled: (limit) => {
          this.warn("stall_detected", `no MONITOR data for ${limit} ms; reconnecting`);
          this.fail("stalled", new Hi6Error("stall_detected", `no MONITOR data from ${this.address} for ${limit} ms`));
          this.link.destroy();
        },
      },
      this.cfg.stallTimeoutMs,
    );
  }

  get state(): SessionState {
    return this.current;
  }

  get serverVersion(): string | undefined {
    return this.version;
  }

  get counters(): ClientCounters {
    return { ...this.stats };
  }

  /** process.hrtime.bigint() when the current connection last received bytes; 0n before any. */
  get lastHeardAt(): bigint {
    return this.link.lastChunkAt;
  }

  /** The tag the active MONITOR was sent with. */
  get activeMonitorTag(): unknown {
    return this.monitors.current?.tag;
  }

  get activeMonitor(): MonitorRequest | undefined {
    return this.monitors.request;
  }

  start(): void {
    if (this.closed) throw new Hi6Error("session_closed");
    this.reopen("open");
  }

  // ---- recipes ---------------------------------------------------------

  /** Starts (or replaces) the MONITOR. Input that breaks a rule is refused with its code before anything is sent. */
  monitor(request: unknown, tag?: unknown): Promise<{ periodMs: number; warnings: string[] }> {
    if (!isJsonObject(request)) return Promise.reject(new Hi6Error("invalid_payload", "the monitor request must be an object"));
    const checked = validateMonitorPayload({ ...request, method: "GET" });
    if (!checked.ok) return Promise.reject(new Hi6Error(checked.code, checked.message));
    return this.monitorChecked(checked.value, tag).then((r) => ({ ...r, warnings: checked.warnings.map((w) => w.message) }));
  }

  /** `monitor` for a payload already validated where it entered (the session worker's path). */
  monitorChecked(payload: Checked<MonitorPayload>, tag?: unknown): Promise<{ periodMs: number }> {
    if (this.closed) return Promise.reject(new Hi6Error("session_closed"));
    const previous = this.monitors.replace(payload, tag);
    if (previous && previous.tag !== tag) this.emit("monitorReplaced", previous.tag);
    this.start();
    return this.monitors.send().then(() => ({ periodMs: payload.period_ms }));
  }

  /** Sends CONTROL without waiting for an answer: the server acks nothing, failures arrive as `controlError`. */
  control(request: unknown, tag?: unknown): void {
    if (!isJsonObject(request)) throw new Hi6Error("invalid_payload", "the control request must be an object");
    const checked = validateControlPayload(request);
    if (!checked.ok) throw new Hi6Error(checked.code, checked.message);
    this.controlChecked(checked.value, tag);
  }

  /** `control` for a payload already validated where it entered. */
  controlChecked(payload: Checked<ControlPayload>, tag?: unknown): void {
    if (this.closed) throw new Hi6Error("session_closed");
    if (this.current !== "ready") {
      this.reopen("open");
      throw new Hi6Error("not_connected", `the session is ${this.current}; the CONTROL was not sent`);
    }
    const line = encodeRecipe(controlRecipe(payload));
    if (!this.link.fits(line)) throw new Hi6Error("write_queue_full", `the server is not reading: ${this.link.queued} bytes are waiting`);
    if (!this.link.write(line)) throw new Hi6Error("not_connected", "the connection is closing; the CONTROL was not sent");
    this.controlTag = tag;
  }

  /**
   * Writes `line` first thing on the next connection, before anything else
   * goes out on it, unless `cancelFirstOnReady` withdraws it first.
   */
  sendFirstOnReady(line: string): void {
    if (!this.firstOnReady.includes(line)) this.firstOnReady.push(line);
  }

  cancelFirstOnReady(line: string): void {
    this.firstOnReady = this.firstOnReady.filter((l) => l !== line);
  }

  /**
   * A line that must go out even when the write queue is over its bound: the
   * few bytes that stop a motion. False only when there is no connection to
   * write it on.
   */
  writeUrgent(line: string): boolean {
    if (this.current !== "ready") return false;
    return this.link.write(line);
  }

  /**
   * The pacer's fast path: a CONTROL line already validated and encoded.
   * False when the session is not ready or the write queue is full.
   */
  writeLine(line: string, tag?: unknown): boolean {
    if (this.current !== "ready" || !this.link.fits(line)) return false;
    this.link.write(line);
    this.controlTag = tag;
    return true;
  }

  stop(target: unknown): Promise<StopResult> {
    const checked = validateStopPayload({ target });
    if (!checked.ok) return Promise.reject(new Hi6Error(checked.code, checked.message));
    if (this.closed) return Promise.reject(new Hi6Error("session_closed"));
    const t: StopTarget = checked.value.target;
    // Local effects hold even if the server never answers.
    if (t === "monitor" || t === "session") this.monitors.clear();
    this.start();
    const sent = this.acks.enqueue("stop", encodeRecipe(stopRecipe(t)), t);
    if (this.current === "ready") this.acks.pump();
    return withDeadline(sent, this.cfg.ackTimeoutMs * 2, () => new Hi6Error("ack_timeout", `no answer within ${this.cfg.ackTimeoutMs * 2} ms`)).then(
      () => {
        if (t === "session") this.endSession();
        return { target: t, nothingToStop: false };
      },
      (err: Hi6Error) => {
        const action = describeError(err.code).action;
        if (action === "ignore") {
          if (t === "session") this.endSession();
          return { target: t, nothingToStop: true };
        }
        if (action === "stop_session_instead" && t !== "session" && !this.closed) return this.stopSessionInstead(t, err);
        // After stop_failed the server may hold half-released state: only a new connection is sure to be clean.
        if (action === "reconnect" && !this.closed) this.dropConnection(err);
        throw err;
      },
    );
  }

  /**
   * A controller that does not support STOP monitor or control (they may be
   * optional, depending on the controller's version) still stops everything on STOP
   * session: send that, reconnect, and re-arm the MONITOR when what was to
   * stop was the control.
   */
  private async stopSessionInstead(target: Exclude<StopTarget, "session">, refused: Hi6Error): Promise<StopResult> {
    const keep = target === "control" ? this.monitors.current : undefined;
    await this.stop("session");
    this.warn("stop_target_unsupported", `the controller refused STOP ${target} (${refused.code}); STOP session was sent instead and the session reconnects`);
    if (this.closed) return { target, nothingToStop: false, via: "session" };
    if (keep !== undefined) this.monitors.restore(keep);
    this.start();
    return { target, nothingToStop: false, via: "session" };
  }

  async close(opts: { stopSession?: boolean } = {}): Promise<void> {
    if (this.closed) return;
    if (opts.stopSession !== false && this.current === "ready") {
      await this.stop("session").catch(() => undefined);
    }
    this.closed = true;
    this.monitors.clear();
    this.cancelRetry();
    this.acks.failAll(new Hi6Error("session_closed"));
    this.ending = "closing";
    await this.link.closeAll();
    this.fire("close");
  }

  // ---- connection ------------------------------------------------------

  /** Moves to a new attempt when the table has a row for `event`, and only then clears the last one's traces. */
  private reopen(event: Extract<ConnectionEvent, "open" | "retry" | "watchdogClosed">): void {
    this.fire(event, {}, () => {
      this.cancelRetry();
      this.ending = undefined;
      this.idleTimeoutSeen = false;
      this.failure = undefined;
    });
  }

  private handshake(): void {
    this.acks.sendNow("handshake", encodeRecipe(handshakeRecipe(this.cfg.major)), this.cfg.handshakeTimeoutMs, "handshake_timeout").then(
      () => this.onReady(),
      (err: Hi6Error) => this.onHandshakeFailed(err),
    );
  }

  private onReady(): void {
    const reconnected = this.stats.reconnects > 0 || this.attempt > 0;
    this.fire("handshakeDone", { reconnected }, () => {
      this.attempt = 0;
      this.lastError = undefined;
      this.failure = undefined;
      // Written before "ready" is announced, so nothing a listener sends can overtake them.
      for (const line of this.firstOnReady.splice(0)) this.link.write(line);
    });
  }

  private rearmMonitor(reconnected: boolean): void {
    const rearm = this.monitors.rearm();
    if (rearm === undefined) return;
    const tag = rearm.tag;
    rearm.acked.then(
      () => reconnected && this.emit("monitorRearmed", tag),
      (err: Hi6Error) => this.warn("monitor_rearm", `re-arming MONITOR failed: ${err.code}`),
    );
  }

  private onHandshakeFailed(err: Hi6Error): void {
    this.fail(err.code === "handshake_timeout" ? "no_handshake_answer" : "handshake_rejected", err);
    if (describeError(err.code).action === "stop_retrying") {
      this.ending = "fatal";
      this.lastError = new Hi6Error("version_mismatch", `client major ${this.cfg.major}; server says: ${err.message}`, err.hint === undefined ? {} : { hint: err.hint });
    }
    // busy_session_active on a new connection means the controller still holds an earlier
    // session's task. STOP is not allowed before HANDSHAKE, so the retry goes through backoff
    // until the server's watchdog has let that task go.
    this.link.destroy();
  }

  private onSocketClosed(): void {
    const wasReady = this.current === "ready";
    this.monitors.connectionGone();
    const ending = this.ending;
    this.ending = undefined;
    const lost = this.lastError ?? new Hi6Error("connection_lost", `${this.address} closed the connection`);
    const failure: ConnectFailure = { cause: this.failure ?? (wasReady ? "connection_lost" : "closed_by_peer"), address: this.address, code: lost.code, message: lost.message };
    // Recipes not yet acked die with their connection; the stored MONITOR is re-armed on the next one.
    this.acks.failAll(ending === "closing" ? new Hi6Error("session_closed") : lost);
    if (this.closed || ending === "closing") return;
    if (!wasReady) this.emit("attemptFailed", failure);
    if (ending === "fatal") {
      this.fire(this.cfg.reconnect ? "fatal" : "fatalNoRetry", { error: lost, retryInMs: this.cfg.fatalRetryMs, failure });
      return;
    }
    if (!this.cfg.reconnect) {
      this.fire("droppedNoRetry", { error: lost, failure });
      return;
    }
    this.stats.reconnects += 1;
    // The idle watchdog closing a quiet session is routine: come back at once, without an error.
    if (this.idleTimeoutSeen && !this.monitors.current) {
      // An attempt that had already failed before the watchdog spoke keeps counting as a retry.
      this.reopen(this.attempt > 0 ? "retry" : "watchdogClosed");
      return;
    }
    const delay = backoffDelay(this.attempt, this.cfg.backoff);
    this.attempt += 1;
    this.fire("dropped", { error: lost, retryInMs: delay, failure });
  }

  /**
   * After STOP session's ack: the connection is let go at once, so nothing
   * more is written to it, and the session is idle until the next command.
   */
  private endSession(): void {
    this.link.release();
    this.monitors.connectionGone();
    this.acks.failAll(new Hi6Error("session_closed", "STOP session ended the connection"));
    this.fire("released");
  }

  // ---- incoming --------------------------------------------------------

  private onLine(text: string): void {
    this.stats.linesIn += 1;
    if (this.cfg.takeDataLine !== undefined && text.startsWith(DATA_LINE_PREFIX) && this.cfg.takeDataLine(text, this.link.lastChunkAt)) {
      this.stats.dataEvents += 1;
      this.monitors.dataArrived();
      return;
    }
    const parsed = parseServerLine(text);
    if (!parsed.ok) {
      this.stats.garbageLines += 1;
      this.warn("garbage_line", `skipped a line that is not a JSON object (${this.stats.garbageLines} so far)`);
      return;
    }
    this.dispatch(parsed.event);
  }

  private dispatch(event: ServerEvent): void {
    switch (event.type) {
      case "data":
        this.stats.dataEvents += 1;
        this.monitors.dataArrived();
        this.emit("data", event, this.link.lastChunkAt);
        return;
      case "handshake_ack":
        if (this.acks.pending !== "handshake") return;
        if (event.ok) {
          this.version = event.version;
          // An ack whose version names another MAJOR is the server-sent mismatch in other words: fatal, slow retry.
          const problem = versionProblem(event, this.cfg.major);
          if (problem !== undefined) {
            this.acks.settle((w) => w.reject(new Hi6Error("version_mismatch", problem.message, { hint: problem.hint })));
            return;
          }
          this.acks.settle((w) => w.resolve());
        } else {
          this.acks.settle((w) => w.reject(new Hi6Error("handshake_rejected", "the server answered HANDSHAKE with ok: false")));
        }
        return;
      case "monitor_ack":
        if (this.acks.pending === "monitor") this.acks.settle((w) => w.resolve());
        return;
      case "stop_ack":
        if (this.acks.pending !== "stop") return;
        // A stop_ack may name the target it answers; one for another STOP answers nothing here.
        if (event.target !== undefined && event.target !== this.acks.pendingTarget) {
          this.warn("stop_ack_mismatch", `a stop_ack for ${event.target} arrived while STOP ${this.acks.pendingTarget ?? "?"} awaited its ack; it was ignored`);
          return;
        }
        this.acks.settle((w) => w.resolve());
        return;
      case "control_err": {
        this.emit("controlError", controlErrOf(event), this.controlTag);
        // 412 is the status the server gives handshake_required in control_err's form.
        if (event.status === 412) this.rehandshake();
        return;
      }
      case "error":
        this.routeError(event);
        return;
      case "unknown":
        this.stats.unknownEvents += 1;
        this.emit("unknownEvent", event);
        return;
    }
  }

  /** Follows routeServerError's decision: settle, raise on the CONTROL sender, or the session's path. */
  private routeError(event: ErrorEvent): void {
    const err = serverErrorOf(event);
    const decision = routeServerError(event.code, this.acks.pending);
    if (decision.route === "pending" && this.acks.settle((w) => w.reject(err))) return;
    if (decision.action === "rehandshake") {
      this.rehandshake();
      return;
    }
    if (decision.route === "control") {
      this.emit("controlError", err, this.controlTag);
      return;
    }
    if (decision.action === "await_close") {
      // The server's watchdog is closing the session: come back quietly, and speak up only if a MONITOR was cut off.
      this.idleTimeoutSeen = true;
      if (this.monitors.current) this.emit("serverError", err);
      return;
    }
    this.emit("serverError", err);
    if (decision.action === "reconnect") this.dropConnection(err);
  }

  /** Starts over on a fresh connection, as the catalogue's "reconnect" asks: MONITOR is re-armed there. */
  private dropConnection(err: Hi6Error): void {
    this.warn(err.code, `${err.message}; reconnecting`);
    this.lastError = err;
    this.link.destroy();
  }

  /** The server lost our handshake: start over on a fresh connection, which re-arms MONITOR. */
  private rehandshake(): void {
    this.warn("handshake_required", "the server asked for a new HANDSHAKE; reconnecting");
    this.link.destroy();
  }

  // ---- housekeeping ----------------------------------------------------

  private warn(code: string, message: string): void {
    if (this.warnings.pass(code)) this.emit("warning", code, message);
  }

  private get address(): string {
    return this.link.address;
  }

  /** Records why the current attempt or connection failed; the first cause recorded for it stands. */
  private fail(cause: FailureCause, err: Hi6Error): void {
    this.failure ??= cause;
    this.lastError = err;
  }

  private cancelRetry(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  /**
   * The one way the state changes: the table's row for `event`, if there is
   * one. `enter` runs before the new state is announced, the row's actions after.
   */
  private fire(event: ConnectionEvent, extra: Entry = {}, enter?: () => void): void {
    const row = transition(this.current, event);
    if (row === undefined) return;
    enter?.();
    this.setState(row.to, extra);
    for (const action of row.actions) this.run(action, extra);
  }

  private run(action: ConnectionAction, extra: Entry): void {
    switch (action) {
      case "dial":
        this.link.dial();
        return;
      case "handshake":
        this.handshake();
        return;
      case "rearmMonitor":
        this.rearmMonitor(extra.reconnected === true);
        return;
      case "pumpAcks":
        this.acks.pump();
        return;
      case "scheduleRetry":
        this.retryTimer = setTimeout(() => this.reopen("retry"), extra.retryInMs);
        return;
    }
  }

  private setState(state: SessionState, extra: Entry): void {
    const previous = this.current;
    this.current = state;
    const change: StateChange = { state, previous };
    if (this.version !== undefined) change.version = this.version;
    if (extra.retryInMs !== undefined) change.retryInMs = extra.retryInMs;
    if (extra.error !== undefined) change.error = extra.error;
    if (extra.failure !== undefined) change.failure = extra.failure;
    this.emit("state", change);
  }
}
