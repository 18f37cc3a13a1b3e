/**
 * The client's TCP connection, one at a time: dial with a connect deadline,
 * bytes in and lines out through the NDJSON framer, writes bounded by the
 * write queue, and the three ways a connection goes away (destroyed, let go
 * after STOP session, closed with the client). What a line means, and what
 * the session does when the connection goes, is the client's business.
 */

import * as net from "node:net";
import { Hi6Error } from "../protocol/errors";
import { NdjsonFramer } from "../protocol/framer";
import { causeOf } from "./failure-cause";
import type { FailureCause } from "./types";

/** How long a socket let go after STOP session may wait for the server to close its side. */
const RELEASE_GRACE_MS = 500;

export interface LinkSettings {
  host: string;
  port: number;
  connectTimeoutMs: number;
  keepAliveMs: number;
  writeQueueBytes: number;
  maxLineBytes: number;
}

export interface LinkHost {
  /** A whole line from the server, without its newline. */
  line(text: string): void;
  /** A line longer than maxLineBytes was dropped. */
  overflow(bytes: number): void;
  /** The TCP connection is up. */
  connected(): void;
  /** Why the connection failed or will close; the client keeps the first cause per attempt. */
  failed(cause: FailureCause, err: Hi6Error): void;
  /** The current connection has closed, for whatever reason. */
  closed(): void;
  /** Whether the session was ready, which decides how a socket error is named. */
  isReady(): boolean;
}

export class Link {
  private socket: net.Socket | undefined;
  /** The socket a STOP session let go of, until it has closed. */
  private released: net.Socket | undefined;
  private connectTimer: NodeJS.Timeout | undefined;
  private readonly framer: NdjsonFramer;
  private chunkAt = 0n;

  constructor(
    private readonly cfg: LinkSettings,
    private readonly host: LinkHost,
  ) {
    this.framer = new NdjsonFramer({ line: (text) => host.line(text), overflow: (n) => host.overflow(n) }, { maxLineBytes: cfg.maxLineBytes });
  }

  get address(): string {
    return `${this.cfg.host}:${this.cfg.port}`;
  }

  /** When the latest chunk of the current connection was read (hrtime ns); 0n before any, or with no connection. */
  get lastChunkAt(): bigint {
    return this.socket === undefined ? 0n : this.chunkAt;
  }

  /** Bytes written but not yet taken by the kernel. */
  get queued(): number {
    return this.socket?.writableLength ?? 0;
  }

  dial(): void {
    this.chunkAt = 0n;
    const socket = net.connect({ host: this.cfg.host, port: this.cfg.port });
    this.socket = socket;
    socket.setNoDelay(true);
    socket.setKeepAlive(true, this.cfg.keepAliveMs);
    this.connectTimer = setTimeout(() => {
      this.host.failed("connect_timeout", new Hi6Error("connection_lost", `no connection to ${this.address} within ${this.cfg.connectTimeoutMs} ms`));
      socket.destroy();
    }, this.cfg.connectTimeoutMs);
    socket.on("connect", () => {
      clearTimeout(this.connectTimer);
      this.host.connected();
    });
    socket.on("data", (chunk: Buffer) => {
      // A released socket's last bytes must not mix into the next connection's lines.
      if (socket !== this.socket) return;
      this.chunkAt = process.hrtime.bigint();
      this.framer.push(chunk);
    });
    socket.on("error", (err: NodeJS.ErrnoException) => {
      if (socket === this.socket) this.host.failed(causeOf(err.code, this.host.isReady()), new Hi6Error("connection_lost", `${this.address}: ${err.message}`));
    });
    socket.on("close", () => {
      if (socket !== this.socket) return;
      this.socket = undefined;
      clearTimeout(this.connectTimer);
      this.framer.reset();
      this.host.closed();
    });
  }

  /** Whether `line` fits under the write-queue bound now. */
  fits(line: string): boolean {
    return this.socket !== undefined && this.socket.writableLength + Buffer.byteLength(line) <= this.cfg.writeQueueBytes;
  }

  /** Writes `line` whatever the queue holds; false when there is no open connection to write it on. */
  write(line: string): boolean {
    const socket = this.socket;
    if (!socket || socket.destroyed || !socket.writable) return false;
    socket.write(line);
    return true;
  }

  /** Ends the current connection at once; `closed` follows. */
  destroy(): void {
    this.socket?.destroy();
  }

  /**
   * Lets the current connection go without a `closed`: nothing more is read
   * from or written to it, and a server that never closes its side has
   * RELEASE_GRACE_MS before the socket is destroyed.
   */
  release(): void {
    const socket = this.socket;
    this.socket = undefined;
    if (socket) {
      this.released = socket;
      socket.once("close", () => {
        if (this.released === socket) this.released = undefined;
      });
      socket.end();
      setTimeout(() => socket.destroy(), RELEASE_GRACE_MS).unref();
    }
    this.framer.reset();
  }

  /** Destroys every socket this link still holds and resolves when all have closed. */
  async closeAll(): Promise<void> {
    clearTimeout(this.connectTimer);
    this.connectTimer = undefined;
    await Promise.all(
      [this.socket, this.released].map(
        (socket) =>
          socket &&
          !socket.destroyed &&
          new Promise<void>((resolve) => {
            socket.once("close", () => resolve());
            socket.destroy();
          }),
      ),
    );
    this.socket = undefined;
    this.released = undefined;
    this.framer.reset();
  }
}
