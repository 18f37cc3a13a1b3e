/**
 * Building and checking a plan of up to a million points takes longer than
 * a flow may hold Node-RED's event loop, which every other flow shares. So
 * that work is written once, as a generator that pauses after every chunk
 * of points, and run by one of two drivers: all at once, for plain Node.js
 * callers, or in slices with a turn of the event loop between them, for the
 * nodes.
 */

/** Points handled between two pauses of a plan's work: small enough that a chunk takes well under a millisecond. */
export const CHUNK_POINTS = 4096;

/** Work on a plan: pauses (yields) after each chunk of points, returns its result. */
export type PlanWork<T> = Generator<void, T, void>;

export interface SliceOptions {
  /** Longest run of work, in ms, before the event loop gets a turn. Default 5. */
  budgetMs?: number;
  /**
   * Most chunks between two turns whatever the clock says. Default 8
   * (32,768 points), which also bounds a slice where the clock is coarse.
   */
  maxChunks?: number;
}

export const DEFAULT_SLICE_BUDGET_MS = 5;
export const DEFAULT_SLICE_MAX_CHUNKS = 8;

/** Runs the work to its end without pausing. */
export function runAtOnce<T>(work: PlanWork<T>): T {
  for (;;) {
    const step = work.next();
    if (step.done === true) return step.value;
  }
}

function turnEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Runs the work in slices; timers, I/O and other flows run between them. */
export async function runInSlices<T>(work: PlanWork<T>, o: SliceOptions = {}): Promise<T> {
  const budgetMs = o.budgetMs ?? DEFAULT_SLICE_BUDGET_MS;
  const maxChunks = o.maxChunks ?? DEFAULT_SLICE_MAX_CHUNKS;
  let sliceStart = performance.now();
  let chunks = 0;
  for (;;) {
    const step = work.next();
    if (step.done === true) return step.value;
    chunks += 1;
    if (chunks >= maxChunks || performance.now() - sliceStart >= budgetMs) {
      await turnEventLoop();
      sliceStart = performance.now();
      chunks = 0;
    }
  }
}
