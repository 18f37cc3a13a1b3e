/**
 * Garbage collections on this thread while a run is paced. A collection
 * stops the thread, so one that falls on a deadline makes that point late
 * by its pause; counting them beside the lateness shows whether the run's
 * own allocation is what made it late.
 */

import { PerformanceObserver } from "node:perf_hooks";

export interface GcSummary {
  gc_count: number;
  gc_ms: number;
  gc_max_ms: number;
}

export class GcWatch {
  private readonly observer: PerformanceObserver;
  private count = 0;
  private totalMs = 0;
  private maxMs = 0;

  constructor() {
    this.observer = new PerformanceObserver((list) => this.add(list.getEntries()));
    this.observer.observe({ entryTypes: ["gc"] });
  }

  /** Stops watching; collections whose entries were not delivered yet are counted too. */
  stop(): GcSummary {
    this.add(this.observer.takeRecords());
    this.observer.disconnect();
    const round = (v: number): number => Number(v.toFixed(3));
    return { gc_count: this.count, gc_ms: round(this.totalMs), gc_max_ms: round(this.maxMs) };
  }

  private add(entries: readonly { duration: number }[]): void {
    for (const e of entries) {
      this.count += 1;
      this.totalMs += e.duration;
      if (e.duration > this.maxMs) this.maxMs = e.duration;
    }
  }
}
