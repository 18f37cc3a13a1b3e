/**
 * The data path from the session worker to the main thread. Data events
 * leave in one batch per turn of the worker's loop, and only while the main
 * thread has credit left: it counts each batch as acknowledged once it has
 * routed it. While the main thread is busy (a flow blocking it, a flood
 * faster than it can route) the worker holds a bounded number of events,
 * lets the oldest go, and reports how many with the next batch. Without the
 * credit, every event would wait in the thread's message queue, unbounded,
 * however far behind the main thread fell.
 *
 * The acknowledgements are a counter in shared memory, not messages: a
 * message per batch would wake the worker hundreds of times a second per
 * session for nothing. Only a worker that ran out of credit asks to be
 * woken, and only then does the main thread post a DataAck.
 *
 * Batching "event" posts each event on its own the moment it is framed, as
 * the first release did, with up to EVENT_CREDITS in flight: it is kept to
 * measure what batching per turn saves (the pacing and scale benchmarks).
 */

import type { DataEvent } from "../../protocol/events";
import { DropOldestQueue } from "../drop-oldest-queue";
import type { DataBatch, DataItem, DataLineItem } from "./messages";

/**
 * Batches posted and not yet acknowledged. Two lets the next batch wait in
 * the main thread's queue while one is routed, so a main thread that keeps
 * up never waits a round trip; more would only park data where the worker
 * can no longer drop the oldest of it.
 */
export const DATA_CREDITS = 2;

/**
 * Events held while the main thread has no credit left: two seconds of a
 * 2 ms MONITOR, so a short stall of the main thread loses nothing, and a
 * flood costs at most this many events' memory in the worker.
 */
export const DATA_HOLD = 1024;

/** Events posted and not yet routed when each event is its own batch. */
export const EVENT_CREDITS = 256;

/** "turn": one batch per turn of the worker's loop (the default); "event": one message per event. */
export type DataBatching = "turn" | "event";

/** Cells of the shared acknowledgement counter. */
const ROUTED = 0;
const WAITING = 1;

/** The shared memory both threads count batches in; it goes to the worker with its workerData. */
export function dataCreditCells(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
}

/**
 * The main thread's half: one batch is routed. True when the worker ran out
 * of credit and waits to be woken, so a DataAck must be posted to it.
 */
export function batchRouted(cells: Int32Array): boolean {
  Atomics.add(cells, ROUTED, 1);
  return Atomics.compareExchange(cells, WAITING, 1, 0) === 1;
}

export interface DataRelayOptions {
  credits?: number;
  hold?: number;
  batching?: DataBatching;
}

export class DataRelay {
  private readonly held: DropOldestQueue<DataItem | DataLineItem>;
  private readonly credits: number;
  private readonly perEvent: boolean;
  /** Batches posted, wrapping as the shared counter does. */
  private posted = 0;
  private dropped = 0;
  private scheduled: NodeJS.Immediate | undefined;
  private disposed = false;

  constructor(
    private readonly post: (batch: DataBatch) => void,
    private readonly cells: Int32Array,
    options: DataRelayOptions = {},
  ) {
    this.held = new DropOldestQueue(options.hold ?? DATA_HOLD);
    this.perEvent = options.batching === "event";
    this.credits = options.credits ?? (this.perEvent ? EVENT_CREDITS : DATA_CREDITS);
  }

  /** Events waiting for the next batch. */
  get holding(): number {
    return this.held.length;
  }

  /** Batches posted that the main thread has not routed yet. */
  get inFlight(): number {
    return (this.posted - Atomics.load(this.cells, ROUTED)) | 0;
  }

  push(event: DataEvent, receivedAt: bigint): void {
    if (this.disposed) return;
    this.dropped += this.held.push({ event, receivedAt });
    if (this.perEvent) this.flush();
    else this.schedule();
  }

  /** A data line as it came, for the main thread to parse. */
  pushLine(line: string, receivedAt: bigint): void {
    if (this.disposed) return;
    this.dropped += this.held.push({ line, receivedAt });
    if (this.perEvent) this.flush();
    else this.schedule();
  }

  /** The main thread's DataAck: it routed a batch while this relay waited for one. */
  ack(): void {
    if (this.perEvent && !this.disposed) this.flush();
    else this.schedule();
  }

  dispose(): void {
    this.disposed = true;
    if (this.scheduled !== undefined) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    this.held.clear();
  }

  private schedule(): void {
    if (this.disposed || this.scheduled !== undefined || this.held.length === 0 || !this.hasCredit()) return;
    // setImmediate runs after the loop's poll phase: every chunk read in
    // this turn has been framed by then, so they leave as one batch.
    this.scheduled = setImmediate(() => this.flush());
  }

  private flush(): void {
    this.scheduled = undefined;
    while (this.held.length > 0 && this.hasCredit()) {
      this.posted = (this.posted + 1) | 0;
      const items = this.perEvent ? [this.held.shift()!] : this.held.drain();
      const batch: DataBatch = { type: "data", items, dropped: this.dropped };
      this.dropped = 0;
      this.post(batch);
    }
  }

  private hasCredit(): boolean {
    if (this.inFlight < this.credits) return true;
    Atomics.store(this.cells, WAITING, 1);
    // Checked again after asking: a batch routed in between would otherwise
    // find no one waiting and never wake this relay. If the main thread took
    // the request first, its DataAck arrives later and finds nothing to do.
    if (this.inFlight < this.credits) {
      Atomics.store(this.cells, WAITING, 0);
      return true;
    }
    return false;
  }
}
