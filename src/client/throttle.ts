/**
 * Lets something through at most once per interval, per key: the one rate
 * limit behind the client's warnings, the session's log lines and the
 * monitor's drop reports. Keys come from the server too (error codes), so
 * the map is bounded: past MAX_KEYS, keys whose interval has run out are
 * forgotten, and if none has, the oldest one is.
 */

const MAX_KEYS = 256;

export class Throttle {
  private readonly last = new Map<string, number>();

  constructor(
    private readonly everyMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Milliseconds until `key` may pass again; 0 when it may pass now. */
  wait(key = ""): number {
    const last = this.last.get(key);
    return last === undefined ? 0 : Math.max(0, last + this.everyMs - this.now());
  }

  /** Records that `key` passed now. */
  mark(key = ""): void {
    this.last.delete(key);
    this.last.set(key, this.now());
    if (this.last.size > MAX_KEYS) this.prune();
  }

  /** True, and recorded, when `key` may pass now. */
  pass(key = ""): boolean {
    if (this.wait(key) > 0) return false;
    this.mark(key);
    return true;
  }

  get size(): number {
    return this.last.size;
  }

  private prune(): void {
    const now = this.now();
    for (const [key, at] of this.last) if (now - at >= this.everyMs) this.last.delete(key);
    // Insertion order is the order of the last pass, so the first key is the oldest.
    while (this.last.size > MAX_KEYS) this.last.delete(this.last.keys().next().value as string);
  }
}
