/**
 * NDJSON framer: bytes in, complete lines out. It works on bytes and decodes
 * a line only once its newline has arrived, so a UTF-8 character split across
 * chunks is never mangled. Each chunk is scanned once with indexOf and a
 * partial line is kept as a list of pieces that are joined only when the line
 * completes, so large chunks never cost more per byte than small ones.
 */

export const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

export interface FramerSink {
  line(text: string): void;
  /**
   * A line longer than the limit is being dropped. Called once per such line,
   * as soon as it passes the limit, without waiting for a newline that may
   * never come: `droppedBytes` is what had arrived of it by then.
   */
  overflow(droppedBytes: number): void;
}

export class NdjsonFramer {
  private readonly sink: FramerSink;
  private readonly maxLineBytes: number;
  private pieces: Buffer[] = [];
  private pending = 0;
  /** Bytes thrown away from an oversized line whose newline has not come yet. */
  private discarding = 0;

  constructor(sink: FramerSink, options: { maxLineBytes?: number } = {}) {
    this.sink = sink;
    this.maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  }

  get pendingBytes(): number {
    return this.pending;
  }

  reset(): void {
    this.pieces = [];
    this.pending = 0;
    this.discarding = 0;
  }

  push(chunk: Uint8Array): void {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let start = 0;
    while (start < buf.length) {
      const nl = buf.indexOf(NEWLINE, start);
      if (nl === -1) {
        this.hold(buf, start);
        return;
      }
      if (this.discarding > 0) {
        // Already reported when the line passed the limit; its newline ends the discard.
        this.discarding = 0;
      } else if (this.pending > 0) {
        this.pieces.push(buf.subarray(start, nl));
        const total = this.pending + (nl - start);
        const whole = Buffer.concat(this.pieces, total);
        this.pieces = [];
        this.pending = 0;
        if (total > this.maxLineBytes) this.sink.overflow(total);
        else this.emit(whole, 0, whole.length);
      } else if (nl - start > this.maxLineBytes) {
        this.sink.overflow(nl - start);
      } else {
        this.emit(buf, start, nl);
      }
      start = nl + 1;
    }
  }

  /** Keeps the tail of a chunk that has no newline, within the line limit. */
  private hold(buf: Buffer, start: number): void {
    const size = buf.length - start;
    if (this.discarding > 0) {
      this.discarding += size;
      return;
    }
    if (this.pending + size > this.maxLineBytes) {
      this.discarding = this.pending + size;
      this.pieces = [];
      this.pending = 0;
      this.sink.overflow(this.discarding);
      return;
    }
    // Copy: the caller may reuse the chunk's memory after push returns.
    this.pieces.push(Buffer.from(buf.subarray(start)));
    this.pending += size;
  }

  private emit(buf: Buffer, start: number, end: number): void {
    if (end > start && buf[end - 1] === CARRIAGE_RETURN) end -= 1;
    if (end === start) return;
    this.sink.line(buf.toString("utf8", start, end));
  }
}
