/**
 * NDJSON framer: bytes in, complete lines out. It works on bytes and decodes
 * only up to the last newline of a chunk, so a UTF-8 character split across
 * chunks is never mangled. The complete lines of a chunk are decoded a
 * window at a time and split as text; a partial line is kept as a list of
 * pieces that are joined only when the line completes, so large chunks never
 * cost more per byte than small ones.
 */

import { isUtf8 } from "node:buffer";

export const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;

const NEWLINE = 0x0a;
/** Bytes decoded at once: large enough to amortise the call, small enough to stay in cache. */
const DECODE_WINDOW_BYTES = 64 * 1024;
const CARRIAGE_RETURN = 0x0d;

export interface FramerSink {
  line(text: string): void;
  /**
   * A line longer than the limit is being dropped. Called once per such line,
   * as soon as it passes the limit, without waiting for a newline that may
   * never come: `droppedBytes` is what had arrived of it by then.
   */
  overflow(droppedBytes: number): void;
  /**
   * A line whose bytes are not valid UTF-8. Only a sink that has this method
   * gets the check (a server that must refuse such lines); without it bytes
   * that do not decode become U+FFFD, as TextDecoder does.
   */
  invalidUtf8?(bytes: number): void;
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
    const first = buf.indexOf(NEWLINE);
    if (first === -1) {
      this.hold(buf, 0);
      return;
    }
    this.endLine(buf, 0, first);
    const last = buf.lastIndexOf(NEWLINE);
    if (last > first) this.emitSpan(buf, first + 1, last);
    if (last + 1 < buf.length) this.hold(buf, last + 1);
  }

  /** The line that ends at `nl`: it may finish a held partial line, or a discarded one. */
  private endLine(buf: Buffer, start: number, nl: number): void {
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
  }

  /**
   * The complete lines in buf[start, last), where `last` is a newline. They are
   * decoded a window at a time and split as text: one decode per window, not
   * per line. UTF-8 never uses the newline byte inside a character, so cutting
   * at a newline is safe, and no line in a window shorter than the limit can
   * break the limit.
   */
  private emitSpan(buf: Buffer, start: number, last: number): void {
    const window = Math.min(DECODE_WINDOW_BYTES, this.maxLineBytes);
    while (start <= last) {
      let end = last;
      if (last - start > window) {
        end = buf.lastIndexOf(NEWLINE, start + window);
        if (end < start) {
          // One line longer than the window: on its own, checked against the limit.
          end = buf.indexOf(NEWLINE, start);
          this.endLine(buf, start, end);
          start = end + 1;
          continue;
        }
      }
      if (end > start) {
        if (this.sink.invalidUtf8 !== undefined && !isUtf8(buf.subarray(start, end))) this.emitLinesOneByOne(buf, start, end);
        else this.emitText(buf.toString("utf8", start, end));
      }
      start = end + 1;
    }
  }

  /** A window that holds some bytes that do not decode: each line on its own, so only the bad ones are refused. */
  private emitLinesOneByOne(buf: Buffer, start: number, end: number): void {
    while (start < end) {
      let nl = buf.indexOf(NEWLINE, start);
      if (nl === -1 || nl > end) nl = end;
      this.emit(buf, start, nl);
      start = nl + 1;
    }
  }

  /** Complete lines already decoded, separated by newlines. */
  private emitText(text: string): void {
    let start = 0;
    for (;;) {
      const nl = text.indexOf("\n", start);
      let end = nl === -1 ? text.length : nl;
      if (end > start && text.charCodeAt(end - 1) === CARRIAGE_RETURN) end -= 1;
      if (end > start) this.sink.line(text.slice(start, end));
      if (nl === -1) return;
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
    if (this.sink.invalidUtf8 !== undefined && !isUtf8(buf.subarray(start, end))) {
      this.sink.invalidUtf8(end - start);
      return;
    }
    this.sink.line(buf.toString("utf8", start, end));
  }
}
