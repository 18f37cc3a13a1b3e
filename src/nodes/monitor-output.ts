/**
 * The monitor node's output modes. `all` sends one msg per data event;
 * `latest` sends the newest sample at most once per interval and counts the
 * samples it skipped; `batch` sends the samples of each interval as one msg
 * whose payload (and ts, svc_dur_ms) are arrays in arrival order.
 *
 * Each mode is bounded however fast the server sends. `all` keeps at most
 * `queue` samples waiting and hands Node-RED one msg per turn of the event
 * loop, so Node-RED's own delivery queue (which has no bound) never holds
 * more than about one of them; `batch` keeps at most `batchCap` samples per
 * batch. Both let the oldest go and report it: a slow flow sees recent data
 * instead of data that is seconds old.
 */

import type { DataEvent } from "../protocol/events";
import { PERIOD_MIN_MS } from "../protocol/validate";
import { DropOldestQueue } from "./drop-oldest-queue";
import type { NodeMessage } from "./node-red";

export type OutputMode = "all" | "latest" | "batch";

export const OUTPUT_MODES: readonly OutputMode[] = ["all", "latest", "batch"];

/** The `queue` property's default: msgs that may wait for the flow in `all` mode. */
export const DEFAULT_QUEUE = 100;

/**
 * The most samples one batch keeps: ten intervals of the fastest stream the
 * server allows, so a batch delayed by a busy main thread still loses
 * nothing at any legitimate rate, and never fewer than `queue`.
 */
export function batchCap(intervalMs: number, queue: number): number {
  return Math.max(queue, Math.ceil((10 * intervalMs) / PERIOD_MIN_MS));
}

/** The REST body, or `{status}` when the body was empty. */
export function samplePayload(event: DataEvent): unknown {
  if (event.result !== undefined) return event.result;
  return event.status === undefined ? {} : { status: event.status };
}

export function sampleMessage(event: DataEvent, topic: string): NodeMessage {
  const msg: NodeMessage = { topic, payload: samplePayload(event) };
  // A failed REST call may still carry its body as the payload: the status tells it from data.
  if (event.status !== undefined) msg.status = event.status;
  if (event.ts !== undefined) msg.ts = event.ts;
  if (event.svc_dur_ms !== undefined) msg.svc_dur_ms = event.svc_dur_ms;
  return msg;
}

export interface OutputSink {
  send(msg: NodeMessage): void;
  /** Samples lost on the way to the flow; `latest` mode's skipped samples are not losses and never come here. */
  dropped(count: number): void;
}

export interface OutputOptions {
  mode: OutputMode;
  intervalMs: number;
  /** `all`: msgs that may wait undelivered; `batch`: the least a batch may hold (see batchCap). */
  queue: number;
  /** `all`: a msg that waited longer than this is dropped too. Default MAX_AGE_MS. */
  maxAgeMs?: number;
  /** The clock the age is read on, in ms; performance.now() by default. */
  now?: () => number;
}

/**
 * The count bound alone lets a slow flow handle data `queue` × its time per
 * msg old (5 s for 100 msgs at 50 ms each); this one keeps it recent.
 */
export const MAX_AGE_MS = 1000;

interface Sample {
  event: DataEvent;
  topic: string;
  /** When it joined the queue, on the output's clock. */
  at: number;
}

export class MonitorOutput {
  /** Samples that reached no msg of their own: skipped in `latest`, merged in `batch`. */
  merged = 0;
  readonly mode: OutputMode;
  private readonly intervalMs: number;
  private readonly maxAgeMs: number;
  private readonly now: () => number;
  private readonly waiting: DropOldestQueue<Sample>;
  /** Set from a send until the next turn of the loop: Node-RED has had one msg of ours this turn. */
  private turn: NodeJS.Immediate | undefined;
  private latest: Sample | undefined;
  private batch: DropOldestQueue<DataEvent>;
  private batchTopic = "";
  private timer: NodeJS.Timeout | undefined;

  constructor(
    options: OutputOptions,
    private readonly sink: OutputSink,
  ) {
    this.mode = options.mode;
    this.intervalMs = options.intervalMs;
    this.maxAgeMs = options.maxAgeMs ?? MAX_AGE_MS;
    this.now = options.now ?? ((): number => performance.now());
    this.waiting = new DropOldestQueue(options.queue);
    this.batch = new DropOldestQueue(batchCap(options.intervalMs, options.queue));
  }

  /** Samples waiting for the flow in `all` mode. */
  get pending(): number {
    return this.waiting.length;
  }

  /**
   * `droppedBefore` counts samples the session dropped just before this one
   * (see DataRelay): losses in `all` and `batch`; in `latest` only samples
   * the mode would have skipped anyway, since the newest always survives.
   */
  push(event: DataEvent, topic: string, droppedBefore = 0): void {
    switch (this.mode) {
      case "all": {
        const lost = droppedBefore + this.waiting.push({ event, topic, at: this.now() });
        if (lost > 0) this.sink.dropped(lost);
        if (this.turn === undefined) this.sendNext();
        return;
      }
      case "latest":
        this.merged += droppedBefore;
        if (this.latest !== undefined) this.merged++;
        this.latest = { event, topic, at: 0 };
        break;
      case "batch": {
        // A new url starts a new batch, so one msg never mixes two topics.
        if (this.batch.length > 0 && topic !== this.batchTopic) this.flush();
        const lost = droppedBefore + this.batch.push(event);
        if (lost > 0) this.sink.dropped(lost);
        this.batchTopic = topic;
        break;
      }
    }
    // The window opens with its first sample, so an idle monitor holds no timer.
    if (this.timer === undefined) this.timer = setTimeout(() => this.flush(), this.intervalMs);
  }

  /** Drops what is held and the timers: nothing is sent after the monitor stops. */
  stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.turn !== undefined) clearImmediate(this.turn);
    this.turn = undefined;
    this.waiting.clear();
    this.latest = undefined;
    this.batch.clear();
  }

  private sendNext(): void {
    let next = this.waiting.shift();
    let stale = 0;
    const oldest = this.now() - this.maxAgeMs;
    while (next !== undefined && next.at < oldest) {
      stale += 1;
      next = this.waiting.shift();
    }
    if (stale > 0) this.sink.dropped(stale);
    if (next === undefined) return;
    // Node-RED delivers a sent msg on its own setImmediate, queued before
    // this one: by the time the next msg goes, the last one has been handed
    // to the next node, so the undelivered msgs stay here, where they are bounded.
    this.turn = setImmediate(() => {
      this.turn = undefined;
      this.sendNext();
    });
    this.sink.send(sampleMessage(next.event, next.topic));
  }

  private flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.latest !== undefined) {
      const { event, topic } = this.latest;
      this.latest = undefined;
      this.sink.send(sampleMessage(event, topic));
    }
    if (this.batch.length > 0) {
      const events = this.batch.drain();
      this.merged += events.length - 1;
      this.sink.send({
        topic: this.batchTopic,
        payload: events.map(samplePayload),
        ts: events.map((e) => e.ts ?? null),
        svc_dur_ms: events.map((e) => e.svc_dur_ms ?? null),
      });
    }
  }
}
