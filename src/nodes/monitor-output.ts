/**
 * The monitor node's output modes. `all` sends one msg per data event;
 * `latest` sends the newest sample at most once per interval and counts the
 * samples it skipped; `batch` sends the samples of each interval as one msg
 * whose payload (and ts, svc_dur_ms) are arrays in arrival order.
 */

import type { DataEvent } from "../protocol/events";
import type { NodeMessage } from "./node-red";

export type OutputMode = "all" | "latest" | "batch";

export const OUTPUT_MODES: readonly OutputMode[] = ["all", "latest", "batch"];

/** The REST body, or `{status}` when the body was empty. */
export function samplePayload(event: DataEvent): unknown {
  if (event.result !== undefined) return event.result;
  return event.status === undefined ? {} : { status: event.status };
}

export function sampleMessage(event: DataEvent, topic: string): NodeMessage {
  const msg: NodeMessage = { topic, payload: samplePayload(event) };
  if (event.ts !== undefined) msg.ts = event.ts;
  if (event.svc_dur_ms !== undefined) msg.svc_dur_ms = event.svc_dur_ms;
  return msg;
}

export class MonitorOutput {
  /** Samples that reached no msg of their own: skipped in `latest`, merged in `batch`. */
  merged = 0;
  private latest: { event: DataEvent; topic: string } | undefined;
  private batch: DataEvent[] = [];
  private batchTopic = "";
  private timer: NodeJS.Timeout | undefined;

  constructor(
    readonly mode: OutputMode,
    private readonly intervalMs: number,
    private readonly emit: (msg: NodeMessage) => void,
  ) {}

  push(event: DataEvent, topic: string): void {
    switch (this.mode) {
      case "all":
        this.emit(sampleMessage(event, topic));
        return;
      case "latest":
        if (this.latest !== undefined) this.merged++;
        this.latest = { event, topic };
        break;
      case "batch":
        // A new url starts a new batch, so one msg never mixes two topics.
        if (this.batch.length > 0 && topic !== this.batchTopic) this.flush();
        if (this.batch.length > 0) this.merged++;
        this.batch.push(event);
        this.batchTopic = topic;
        break;
    }
    // The window opens with its first sample, so an idle monitor holds no timer.
    if (this.timer === undefined) this.timer = setTimeout(() => this.flush(), this.intervalMs);
  }

  /** Drops what is held and the timer: nothing is sent after the monitor stops. */
  stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.latest = undefined;
    this.batch = [];
  }

  private flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.latest !== undefined) {
      const { event, topic } = this.latest;
      this.latest = undefined;
      this.emit(sampleMessage(event, topic));
    }
    if (this.batch.length > 0) {
      const events = this.batch;
      this.batch = [];
      this.emit({
        topic: this.batchTopic,
        payload: events.map(samplePayload),
        ts: events.map((e) => e.ts ?? null),
        svc_dur_ms: events.map((e) => e.svc_dur_ms ?? null),
      });
    }
  }
}
