/**
 * The session's one MONITOR, kept apart from any connection: the server
 * forgets it whenever the connection goes, so it is stored here, sent again
 * on each new connection, and watched for a stream that stops.
 */

import { describeError, Hi6Error } from "../protocol/errors";
import { encodeRecipe, MonitorPayload, monitorRecipe, stopRecipe } from "../protocol/recipes";
import type { AckKind } from "./ack-queue";
import type { MonitorRequest } from "./types";

const STALL_CHECK_EVERY_MS = 250;

/** A MONITOR as the caller asked for it, with the tag its events carry. */
export interface StoredMonitor {
  readonly payload: MonitorPayload;
  readonly tag: unknown;
}

/** What the keeper needs from the session that drives it. */
export interface MonitorHost {
  /** Queues a recipe that awaits its ack; it goes out when the session is ready. */
  enqueue(kind: AckKind, line: string, target?: string): Promise<void>;
  /** Sends what waits, if the session is ready. */
  pump(): void;
  isReady(): boolean;
  acked(tag: unknown): void;
  /** No data for `limitMs` on a ready session: the link is half-open. */
  stalled(limitMs: number): void;
}

export class MonitorKeeper {
  private stored: StoredMonitor | undefined;
  /** Queued or sent on the current connection, so a new ready must not send it twice. */
  private sentOnConnection = false;
  private lastDataAt = 0;
  private stallTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly host: MonitorHost,
    private readonly stallTimeoutMs: (periodMs: number) => number,
  ) {}

  get current(): StoredMonitor | undefined {
    return this.stored;
  }

  get request(): MonitorRequest | undefined {
    if (!this.stored) return undefined;
    const { url, period_ms, args } = this.stored.payload;
    return args === undefined ? { url, period_ms } : { url, period_ms, args };
  }

  /** Stores a MONITOR in place of any earlier one, which it returns: the server keeps one per connection. */
  replace(payload: MonitorPayload, tag: unknown): StoredMonitor | undefined {
    const previous = this.stored;
    this.stored = { payload, tag };
    this.lastDataAt = performance.now();
    this.armStallCheck();
    return previous;
  }

  /**
   * Puts back a MONITOR that a STOP session sent in place of STOP control
   * cleared, so the next connection re-arms it. Its stall clock keeps running
   * from its last data.
   */
  restore(monitor: StoredMonitor): void {
    this.stored = monitor;
    this.armStallCheck();
  }

  /** Sends the stored MONITOR; settles with its ack. */
  send(): Promise<void> {
    return this.sendOnce(false);
  }

  /** On a new ready connection: the stored MONITOR, unless it already went out on this one. */
  rearm(): { tag: unknown; acked: Promise<void> } | undefined {
    if (!this.stored || this.sentOnConnection) return undefined;
    return { tag: this.stored.tag, acked: this.send() };
  }

  /** The connection went: the server's MONITOR went with it, ours stays for the next one. */
  connectionGone(): void {
    this.sentOnConnection = false;
  }

  dataArrived(): void {
    this.lastDataAt = performance.now();
  }

  /** Forgets the MONITOR: it was stopped, or the session closed. */
  clear(): void {
    this.stored = undefined;
    this.sentOnConnection = false;
    if (this.stallTimer) clearInterval(this.stallTimer);
    this.stallTimer = undefined;
  }

  private sendOnce(retried: boolean): Promise<void> {
    const monitor = this.stored;
    if (!monitor) return Promise.reject(new Hi6Error("session_closed", "no MONITOR is stored"));
    this.sentOnConnection = true;
    const sent = this.host.enqueue("monitor", encodeRecipe(monitorRecipe(monitor.payload)));
    this.host.pump();
    return sent.then(
      () => {
        this.lastDataAt = performance.now();
        this.host.acked(monitor.tag);
      },
      (err: Hi6Error) => {
        // A lost connection keeps the MONITOR for its re-arm; a refusal from the server ends it.
        if (this.stored !== monitor || describeError(err.code).local === true) throw err;
        if (describeError(err.code).action === "stop_and_retry" && !retried) {
          // This server keeps the older MONITOR instead of replacing it: STOP that one, then arm ours once more.
          this.host.enqueue("stop", encodeRecipe(stopRecipe("monitor")), "monitor").catch(() => undefined);
          return this.sendOnce(true);
        }
        this.clear();
        throw err;
      },
    );
  }

  /** Half-open links send nothing and report nothing: only missing data gives them away. */
  private armStallCheck(): void {
    if (this.stallTimer) return;
    this.stallTimer = setInterval(() => {
      const monitor = this.stored;
      if (!monitor || !this.host.isReady()) return;
      const limit = this.stallTimeoutMs(monitor.payload.period_ms);
      if (performance.now() - this.lastDataAt > limit) {
        this.lastDataAt = performance.now();
        this.host.stalled(limit);
      }
    }, STALL_CHECK_EVERY_MS);
  }
}
