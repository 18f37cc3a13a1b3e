/**
 * The simulator's outgoing byte path, where the fault injections live:
 * delayed lines, lines split into small writes, and a frozen (half-open) link.
 */

import * as net from "node:net";

export interface FaultOptions {
  /** Close each connection this many ms after its handshake. */
  dropAfterMs?: number;
  /** Write each outgoing line in small random pieces, splitting UTF-8 too. */
  splitWrites?: boolean;
  /** Hold every outgoing line this long. */
  delayMs?: number;
  /** Send one data event before monitor_ack. */
  dataBeforeAck?: boolean;
  /** Never answer HANDSHAKE. */
  ignoreHandshake?: boolean;
  /** Answer HANDSHAKE with busy_session_active, as a controller still busy with an earlier session would. */
  busyOnHandshake?: boolean;
  /** Send this many data lines on every MONITOR tick instead of one: a flood faster than any flow. */
  floodLines?: number;
  /** Answer GET joint_traject_buf_avail with HTTP 500: a buffer level that cannot be read. */
  bufAvailFails?: boolean;
}

export class SessionOutput {
  private readonly queue: Buffer[] = [];
  private pumping = false;
  private readonly timers = new Set<NodeJS.Timeout>();
  private disposed = false;

  constructor(
    private readonly socket: net.Socket,
    private readonly faults: FaultOptions,
    private readonly isFrozen: () => boolean,
  ) {}

  write(text: string): void {
    if (this.disposed || this.isFrozen()) return;
    const delay = this.faults.delayMs ?? 0;
    if (delay > 0) {
      const t = setTimeout(() => {
        this.timers.delete(t);
        this.enqueue(text);
      }, delay);
      this.timers.add(t);
    } else {
      this.enqueue(text);
    }
  }

  private enqueue(text: string): void {
    if (this.disposed || this.socket.destroyed) return;
    if (!this.faults.splitWrites && !this.pumping) {
      this.socket.write(text);
      return;
    }
    this.queue.push(Buffer.from(text, "utf8"));
    if (!this.pumping) this.pump();
  }

  /** Writes queued bytes in pieces of 1–7 bytes, one piece per turn of the loop. */
  private pump(): void {
    const head = this.queue[0];
    if (this.disposed || !head) {
      this.pumping = false;
      return;
    }
    this.pumping = true;
    const size = this.faults.splitWrites ? 1 + Math.floor(Math.random() * 7) : head.length;
    if (!this.socket.destroyed) this.socket.write(head.subarray(0, size));
    if (size >= head.length) this.queue.shift();
    else this.queue[0] = head.subarray(size);
    setImmediate(() => this.pump());
  }

  dispose(): void {
    this.disposed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.queue.length = 0;
  }
}
