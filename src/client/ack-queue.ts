/**
 * Open Stream events carry no request id, so the client keeps at most one
 * ack-awaiting recipe (HANDSHAKE, MONITOR or STOP) in flight: an ack or an
 * error that arrives then belongs to it. Later recipes wait their turn.
 */

import { Hi6Error } from "../protocol/errors";

export type AckKind = "handshake" | "monitor" | "stop";

export interface AckWaiter {
  kind: AckKind;
  line: string;
  /** What the ack must name to answer this recipe: a STOP's target. */
  target?: string;
  resolve(): void;
  reject(err: Hi6Error): void;
}

export class AckQueue {
  private readonly waiting: AckWaiter[] = [];
  private inFlight: { waiter: AckWaiter; timer: NodeJS.Timeout } | undefined;

  constructor(
    private readonly timeoutMs: number,
    /** Writes the line; false when it cannot be written now. */
    private readonly write: (line: string) => boolean,
  ) {}

  get pending(): AckKind | undefined {
    return this.inFlight?.waiter.kind;
  }

  /** The target the recipe in flight expects its ack to name, if it names one. */
  get pendingTarget(): string | undefined {
    return this.inFlight?.waiter.target;
  }

  /** Queues a recipe; `pump` sends it when nothing else is in flight. */
  enqueue(kind: AckKind, line: string, target?: string): Promise<void> {
    return new Promise((resolve, reject) => this.waiting.push(target === undefined ? { kind, line, resolve, reject } : { kind, line, target, resolve, reject }));
  }

  /** Sends the next waiting recipe, if the line is free. Call when the session becomes ready. */
  pump(): void {
    while (!this.inFlight && this.waiting.length > 0) {
      const waiter = this.waiting.shift()!;
      this.send(waiter);
    }
  }

  /** Sends a recipe at once, ahead of the queue: the handshake of a new connection. */
  sendNow(kind: AckKind, line: string, timeoutMs = this.timeoutMs, timeoutCode = "ack_timeout"): Promise<void> {
    return new Promise((resolve, reject) => this.send({ kind, line, resolve, reject }, timeoutMs, timeoutCode));
  }

  private send(waiter: AckWaiter, timeoutMs = this.timeoutMs, timeoutCode = "ack_timeout"): void {
    if (!this.write(waiter.line)) {
      waiter.reject(new Hi6Error("not_connected"));
      return;
    }
    const timer = setTimeout(() => {
      this.settle((w) => w.reject(new Hi6Error(timeoutCode, `no answer to ${waiter.kind.toUpperCase()} within ${timeoutMs} ms`)));
    }, timeoutMs);
    this.inFlight = { waiter, timer };
  }

  /** Settles the recipe in flight, if any; true when there was one. */
  settle(how: (waiter: AckWaiter) => void): boolean {
    const current = this.inFlight;
    if (!current) return false;
    clearTimeout(current.timer);
    this.inFlight = undefined;
    how(current.waiter);
    this.pump();
    return true;
  }

  /** Rejects everything, in flight and waiting: the connection is gone. */
  failAll(err: Hi6Error): void {
    const current = this.inFlight;
    this.inFlight = undefined;
    if (current) {
      clearTimeout(current.timer);
      current.waiter.reject(err);
    }
    for (const w of this.waiting.splice(0)) w.reject(err);
  }
}
