/**
 * The worker's end of the data path to the main thread. Data events leave in
 * one batch per turn of the worker's loop, and only while the main thread
 * has credit left: it acknowledges each batch once it has routed it. While
 * the main thread is busy (a flow blocking it, a flood faster than it can
 * route) the worker holds a bounded number of events, lets the oldest go,
 * and reports how many with the next batch. Without the credit, every event
 * would wait in the thread's message queue, unbounded, however far behind
 * the main thread fell.
 */

import type { DataEvent } from "../../protocol/events";
import { DropOldestQueue } from "../drop-oldest-queue";
import type { DataBatch, DataItem } from "./messages";

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

export interface DataRelayOptions {
  credits?: number;
  hold?: number;
}

export class DataRelay {
  private readonly held: DropOldestQueue<DataItem>;
  private readonly maxCredits: number;
  private credits: number;
  private dropped = 0;
  private scheduled: NodeJS.Immediate | undefined;

  constructor(
    private readonly post: (batch: DataBatch) => void,
    options: DataRelayOptions = {},
  ) {
    this.held = new DropOldestQueue(options.hold ?? DATA_HOLD);
    this.maxCredits = options.credits ?? DATA_CREDITS;
    this.credits = this.maxCredits;
  }

  /** Events waiting for the next batch. */
  get holding(): number {
    return this.held.length;
  }

  push(event: DataEvent, receivedAt: bigint): void {
    this.dropped += this.held.push({ event, receivedAt });
    this.schedule();
  }

  /** The main thread routed one batch. */
  ack(): void {
    // A stray ack must not raise the bound.
    if (this.credits < this.maxCredits) this.credits += 1;
    this.schedule();
  }

  dispose(): void {
    if (this.scheduled !== undefined) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    this.held.clear();
    this.credits = 0;
  }

  private schedule(): void {
    if (this.scheduled !== undefined || this.credits === 0 || this.held.length === 0) return;
    // setImmediate runs after the loop's poll phase: every chunk read in
    // this turn has been framed by then, so they leave as one batch.
    this.scheduled = setImmediate(() => this.flush());
  }

  private flush(): void {
    this.scheduled = undefined;
    if (this.credits === 0 || this.held.length === 0) return;
    this.credits -= 1;
    const batch: DataBatch = { type: "data", items: this.held.drain(), dropped: this.dropped };
    this.dropped = 0;
    this.post(batch);
  }
}
