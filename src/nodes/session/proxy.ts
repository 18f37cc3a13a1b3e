/**
 * SessionProxy: the main thread's handle on a session worker. It validates
 * recipes here, so a node learns about bad input synchronously and nothing
 * crosses the thread for it; it sends typed requests with ids and settles
 * their promises from the replies; it re-emits the worker's events with
 * Hi6Error rebuilt and data stamped with the time it reached this thread,
 * one event at a time from the worker's batches, and acknowledges each
 * batch once it is routed so the worker may send the next.
 */

import { EventEmitter } from "node:events";
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import { Hi6Error } from "../../protocol/errors";
import { DataEvent, parseServerLine } from "../../protocol/events";
import type { ControlPayload, MonitorPayload, StopTarget } from "../../protocol/recipes";
import { Checked, validateControlPayload, validateStopPayload } from "../../protocol/validate";
import { batchRouted, dataCreditCells } from "./data-relay";
import { Command, DataAck, DataBatch, errorFromJson, EventName, FromWorker, Request, RequestKind, WorkerData, WorkerEvents, WorkerInit, WorkerRequests } from "./messages";

type Rebuilt<T> = { [P in keyof T]: P extends "error" ? Hi6Error : T[P] };

/** Worker events as the main thread sees them: errors are Hi6Error again, data carries deliveredAt. */
export type SessionEvents = {
  [K in EventName]: K extends "data" ? WorkerEvents[K] & { deliveredAt: bigint } : Rebuilt<WorkerEvents[K]>;
};

type EmitterMap = { [K in EventName]: [payload: SessionEvents[K]] };

interface Pending {
  resolve(value: unknown): void;
  reject(err: Hi6Error): void;
}

/** Longest wait for the worker's close reply before the thread is terminated anyway. */
const CLOSE_TIMEOUT_MS = 4000;

function unreachable(msg: never): never {
  throw new Error(`the session proxy got a message it does not know: ${JSON.stringify(msg)}`);
}

function invalid(v: { ok: false; code: string; message: string }): Hi6Error {
  return new Hi6Error(v.code, v.message);
}

export class SessionProxy extends EventEmitter<EmitterMap> {
  private readonly worker: Worker;
  private readonly dataCredit = dataCreditCells();
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closing: Promise<void> | undefined;
  private exited = false;
  private lastState: WorkerEvents["state"]["state"] = "idle";
  private garbageLines = 0;
  private garbageWarnedAt = -Infinity;

  constructor(init: WorkerInit) {
    super();
    const workerData: WorkerData = { ...init, dataCredit: this.dataCredit };
    this.worker = new Worker(path.join(__dirname, "worker.js"), { workerData });
    this.worker.on("message", (msg: FromWorker) => this.receive(msg));
    this.worker.on("error", (err) => this.lost(new Hi6Error("session_error", `the session worker failed: ${err.message}`)));
    this.worker.on("exit", () => this.lost(new Hi6Error("session_closed")));
  }

  /** Starts (or restarts) MONITOR for `tag`, with a request the monitor node validated where it entered. */
  monitor(request: Checked<MonitorPayload>, tag: string): Promise<WorkerRequests["monitor"]["result"]> {
    return this.request("monitor", { request, tag });
  }

  /**
   * Sends CONTROL without waiting: the server acks nothing, failures arrive
   * as controlError. Flows' CONTROL payloads are validated here, once, and
   * cross to the worker as checked.
   */
  control(payload: ControlPayload, tag: string): void {
    const check = validateControlPayload(payload);
    if (!check.ok) throw invalid(check);
    this.command({ type: "control", payload: check.value, tag });
  }

  stop(target: StopTarget): Promise<WorkerRequests["stop"]["result"]> {
    const check = validateStopPayload({ target });
    if (!check.ok) throw invalid(check);
    return this.request("stop", { target: check.value.target });
  }

  /**
   * Closes the client (sending STOP session first when asked and possible),
   * then terminates the thread. Always settles within CLOSE_TIMEOUT_MS plus
   * the time terminate takes, whatever state the worker is in.
   */
  close(options: { stopSession: boolean }): Promise<void> {
    if (this.closing !== undefined) return this.closing;
    this.closing = (async () => {
      if (!this.exited) {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<void>((resolve) => {
          timer = setTimeout(resolve, CLOSE_TIMEOUT_MS);
        });
        const reply = this.request("close", options).then(
          () => undefined,
          () => undefined,
        );
        await Promise.race([reply, timeout]);
        clearTimeout(timer);
        await this.worker.terminate();
      }
      this.lost(new Hi6Error("session_closed"));
      this.removeAllListeners();
    })();
    return this.closing;
  }

  /** `transfer` moves buffers into the worker instead of copying them: a trajectory's points cross once, in bulk. */
  request<K extends RequestKind>(kind: K, params: WorkerRequests[K]["params"], transfer: ArrayBuffer[] = []): Promise<WorkerRequests[K]["result"]> {
    if (this.exited || (this.closing !== undefined && kind !== "close")) return Promise.reject(new Hi6Error("session_closed"));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      // The reply is matched by id alone, so its value is typed by the request that id was given to.
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      const msg: Request<K> = { type: kind, id, params };
      this.worker.postMessage(msg, transfer);
    });
  }

  command(msg: Command): void {
    if (this.exited || this.closing !== undefined) throw new Hi6Error("session_closed");
    this.worker.postMessage(msg);
  }

  /** Errors cross as ErrorJson and are Hi6Error again from here on. */
  private receive(msg: FromWorker): void {
    switch (msg.type) {
      case "reply": {
        const pending = this.pending.get(msg.id);
        if (pending === undefined) return;
        this.pending.delete(msg.id);
        if (msg.ok) pending.resolve(msg.value);
        else pending.reject(errorFromJson(msg.error));
        return;
      }
      case "data":
        this.route(msg);
        return;
      case "state": {
        const { error, ...change } = msg.payload;
        this.lastState = change.state;
        this.emit("state", error === undefined ? change : { ...change, error: errorFromJson(error) });
        return;
      }
      case "controlError":
        this.emit("controlError", { ...msg.payload, error: errorFromJson(msg.payload.error) });
        return;
      case "serverError":
        this.emit("serverError", { error: errorFromJson(msg.payload.error) });
        return;
      case "monitorAck":
        this.emit("monitorAck", msg.payload);
        return;
      case "monitorReplaced":
        this.emit("monitorReplaced", msg.payload);
        return;
      case "monitorRearmed":
        this.emit("monitorRearmed", msg.payload);
        return;
      case "warning":
        this.emit("warning", msg.payload);
        return;
      case "unknownEvent":
        this.emit("unknownEvent", msg.payload);
        return;
      case "trajectoryProgress":
        this.emit("trajectoryProgress", msg.payload);
        return;
      case "trajectoryTracking":
        this.emit("trajectoryTracking", msg.payload);
        return;
      default:
        return unreachable(msg);
    }
  }

  private route(batch: DataBatch): void {
    try {
      let dropped = batch.dropped;
      for (const item of batch.items) {
        const event = "event" in item ? item.event : this.parseDataLine(item.line);
        if (event === undefined) continue;
        this.emit("data", { event, receivedAt: item.receivedAt, dropped, deliveredAt: process.hrtime.bigint() });
        dropped = 0;
      }
    } finally {
      // Even after a listener threw: a lost acknowledgement would stop the data for good.
      if (batchRouted(this.dataCredit) && !this.exited) {
        const ack: DataAck = { type: "dataAck" };
        this.worker.postMessage(ack);
      }
    }
  }

  /** A data line the worker left unparsed (relay parse "main"); a line that is no data event after all is skipped with a warning, as the client skips garbage. */
  private parseDataLine(line: string): DataEvent | undefined {
    const parsed = parseServerLine(line);
    if (parsed.ok && parsed.event.type === "data") return parsed.event;
    this.garbageLines += 1;
    // At most one warning a second, like the client's own garbage warning, however many lines come.
    const now = Date.now();
    if (now - this.garbageWarnedAt >= 1000) {
      this.garbageWarnedAt = now;
      this.emit("warning", { code: "garbage_line", message: `skipped a line that began as a data event but is not one (${this.garbageLines} so far)` });
    }
    return undefined;
  }

  /** The worker is gone: nothing pending can be answered any more. */
  private lost(reason: Hi6Error): void {
    if (this.exited) return;
    this.exited = true;
    for (const p of this.pending.values()) p.reject(reason);
    this.pending.clear();
    if (this.lastState !== "stopped") {
      const previous = this.lastState;
      this.lastState = "stopped";
      this.emit("state", { state: "stopped", previous, error: reason });
    }
  }
}
