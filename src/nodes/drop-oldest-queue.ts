/**
 * A FIFO with a hard bound that makes room by letting the oldest item go.
 * Ingress uses it wherever data may pile up faster than it is taken: the
 * newest sample is the one a robot flow wants, so the oldest is the one lost.
 */

/** Below this many taken slots the array is not worth copying. */
const COMPACT_AFTER = 64;

export class DropOldestQueue<T> {
  private items: (T | undefined)[] = [];
  private head = 0;

  constructor(readonly capacity: number) {
    if (!(capacity >= 1)) throw new RangeError(`a queue needs room for at least one item, not ${capacity}`);
  }

  get length(): number {
    return this.items.length - this.head;
  }

  /** Adds at the tail; returns how many items left the head to make room (0 or 1). */
  push(item: T): number {
    this.items.push(item);
    if (this.length <= this.capacity) return 0;
    this.shift();
    return 1;
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    // Cleared so the taken item can be collected before the array is compacted.
    this.items[this.head] = undefined;
    this.head += 1;
    if (this.head >= COMPACT_AFTER && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  /** Everything held, oldest first; the queue is empty afterwards. */
  drain(): T[] {
    const out = this.items.slice(this.head) as T[];
    this.clear();
    return out;
  }

  clear(): void {
    this.items = [];
    this.head = 0;
  }
}
