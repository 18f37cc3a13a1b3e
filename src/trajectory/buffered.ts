/**
 * Buffered mode: the plan goes to the controller in batches of
 * `joint_traject_insert_points`, each as large as the controller's buffer
 * has room for, instead of one `insert_point` per dt. The controller then
 * plays seconds of motion from its own buffer, so a host that stalls for a
 * while (a blocked Node-RED thread, a paused VM) costs nothing as long as
 * the buffer holds out.
 *
 * The loop reads the buffer's free slots (`joint_traject_buf_avail`), tops
 * the buffer up, and reads again, every POLL_MS. It never writes more than
 * the room it can prove: CONTROL and the read travel on different channels,
 * so a batch written shortly before a read may not be counted in it yet,
 * and is taken as still in flight (see IN_FLIGHT_MS). A read that fails
 * ends the run (buffer_unknown): the level is never guessed. A buffer that
 * holds fewer points than it can have played since the first batch went
 * out ends it too (buffer_ran_dry): the controller stopped, out of points
 * or by an alarm that dropped them. Once the last
 * batch is in, the run ends when the buffer is empty again: every point has
 * been played. After abort() nothing is written, ever.
 */

import { controlRecipe, encodeRecipe, JsonObject } from "../protocol/recipes";
import { TRAJ_INIT_PATH, TRAJ_INSERT_POINTS_PATH } from "../protocol/openapi";
import type { AbortReason } from "./abort";
import type { TrajectoryPlan } from "./plan";
import type { PointWriter, RunResult, TrajectoryRun } from "./runner";
import { TimingStats } from "./stats";

/** Points the controller's trajectory buffer holds, and the most one request may carry. */
export const BUFFER_CAPACITY = 2048;
/** How often the buffer level is read while the plan uploads. */
export const POLL_MS = 20;
/**
 * A batch written this long before a read may still be on its way through
 * the controller's CONTROL handling when the read is answered, so its
 * points are not trusted to be counted in it. The vendor quotes CONTROL
 * delays of 30-40 ms at worst; this leaves room beyond that.
 */
export const IN_FLIGHT_MS = 100;
/**
 * Most points in one request. The Open API takes 2048; fewer keep each
 * CONTROL line near 70 kB, well inside the connection's write queue and the
 * controller's receive buffer.
 */
export const DEFAULT_MAX_BATCH = 512;
/**
 * Fewest points worth a request while more are to come. Topping up only
 * once this much room is free keeps calls few, and leaves long stretches
 * with no batch in flight, when a read tells the buffer level exactly.
 */
export const REFILL_BATCH = 256;
/** Room for the controller's clock running a little faster than ours. */
const CLOCK_SLACK = 0.01;

export interface UploadStats {
  /** insert_points requests written. */
  calls: number;
  points_per_call_max: number;
  points_per_call_mean: number;
  /** The fewest points the buffer held in any read between the first batch and the last: how close it came to running dry. */
  lowest_buffer_points: number;
  /** The same in ms of motion (points × dt). */
  lowest_buffer_ms: number;
  /** Buffer reads made. */
  reads: number;
}

export interface BufferedIo extends PointWriter {
  /** Free slots in the controller's buffer; rejects when they cannot be read. */
  readAvailable(): Promise<number>;
}

export interface BufferedOptions {
  sendInit: boolean;
  /** Body of joint_traject_init: {} or the agility options. */
  initBody?: JsonObject;
  maxBatch?: number;
  pollMs?: number;
  /** Checked before every write and read; a reason ends the run there. */
  gate?(now: bigint): AbortReason | undefined;
  onProgress?(p: { sent: number; total: number; p99_us: number }): void;
}

export type BufferedResult = RunResult & { upload: UploadStats };

const RAD = Math.PI / 180;

/** The joint names insert_points expects, in order: j1 … jN. */
export function jointNames(jointCount: number): string[] {
  return Array.from({ length: jointCount }, (_, j) => `j${j + 1}`);
}

/** One insert_points CONTROL line for plan points [from, to): radians, keyed point_1…, time_from_start = index·dt. */
export function insertPointsLine(plan: TrajectoryPlan, from: number, to: number): string {
  const points: JsonObject = {};
  const n = plan.jointCount;
  for (let k = from; k < to; k++) {
    const positions: number[] = new Array<number>(n);
    for (let j = 0; j < n; j++) positions[j] = plan.points[k * n + j]! * RAD;
    points[`point_${k - from + 1}`] = { positions, time_from_start: Math.round(k * plan.dt * 1e9) / 1e9 };
  }
  return encodeRecipe(controlRecipe({ method: "POST", url: TRAJ_INSERT_POINTS_PATH, body: { joint_names: jointNames(n), points } }));
}

/** The batch sizes a plan of `count` points is cut into: the last one never fewer than 2 points, as insert_points requires. */
export function batchEnd(count: number, from: number, room: number, maxBatch: number): number {
  let to = Math.min(count, from + Math.min(room, maxBatch, BUFFER_CAPACITY));
  // A single point left over would be refused (at least 2 per request): leave it for a batch of its own with one more.
  if (count - to === 1) to -= 1;
  return to - from >= 2 ? to : from;
}

export function runBuffered(plan: TrajectoryPlan, io: BufferedIo, options: BufferedOptions): TrajectoryRun {
  let abortReason: AbortReason | undefined;
  let wake: (() => void) | undefined;
  const maxBatch = Math.max(2, Math.min(BUFFER_CAPACITY, Math.floor(options.maxBatch ?? DEFAULT_MAX_BATCH)));
  const pollMs = options.pollMs ?? POLL_MS;

  /** Resolves after `ms`, or at once on abort. */
  const pause = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });

  /** A read that an abort does not wait for: undefined when the run was aborted meanwhile. */
  const read = (): Promise<number | undefined> =>
    new Promise((resolve, reject) => {
      wake = () => resolve(undefined);
      io.readAvailable().then(resolve, reject);
    });

  const loop = async (): Promise<BufferedResult> => {
    const stats = new TimingStats(plan.dt);
    let sent = 0;
    let calls = 0;
    let maxCall = 0;
    let reads = 0;
    let lowest = Infinity;
    let firstBatchAt: bigint | undefined;
    /** Batches written, newest last: [hrtime of the write, points]. */
    const written: [bigint, number][] = [];
    const result = (): BufferedResult => {
      const upload: UploadStats = {
        calls,
        points_per_call_max: maxCall,
        points_per_call_mean: calls > 0 ? Number((sent / calls).toFixed(1)) : 0,
        lowest_buffer_points: Number.isFinite(lowest) ? lowest : 0,
        lowest_buffer_ms: Number.isFinite(lowest) ? Number((lowest * plan.dt * 1000).toFixed(3)) : 0,
        reads,
      };
      const r: BufferedResult = { sent, total: plan.count, aborted: abortReason !== undefined, stats: stats.summary(), upload };
      if (abortReason !== undefined) r.reason = abortReason;
      return r;
    };
    const gate = (): boolean => {
      if (abortReason !== undefined) return false;
      const closed = options.gate?.(process.hrtime.bigint());
      if (closed !== undefined) abortReason = closed;
      return abortReason === undefined;
    };

    if (options.sendInit && !io.write(encodeRecipe(controlRecipe({ method: "POST", url: TRAJ_INIT_PATH, body: options.initBody ?? {} })))) {
      abortReason = "write_queue_full";
      return result();
    }
    for (;;) {
      if (!gate()) return result();
      const askedAt = process.hrtime.bigint();
      let available: number | undefined;
      try {
        available = await read();
      } catch {
        abortReason ??= "buffer_unknown";
        return result();
      }
      if (available === undefined || !gate()) return result();
      reads += 1;
      // Batches written within IN_FLIGHT_MS of the read may not be in it: their room is not counted as free.
      const settled = askedAt - BigInt(IN_FLIGHT_MS) * 1_000_000n;
      while (written.length > 0 && written[0]![0] < settled) written.shift();
      const inFlight = written.reduce((sum, [, n]) => sum + n, 0);
      const held = BUFFER_CAPACITY - available;
      if (firstBatchAt !== undefined) {
        // The controller cannot have played a point before it had it: at most one per dt since the first batch went out.
        const playedAtMost = Math.floor((Number(process.hrtime.bigint() - firstBatchAt) / 1e9 / plan.dt) * (1 + CLOCK_SLACK)) + 2;
        if (held < sent - inFlight - playedAtMost) {
          abortReason = "buffer_ran_dry";
          return result();
        }
        if (sent < plan.count && inFlight === 0) lowest = Math.min(lowest, held);
      }
      if (sent === plan.count) {
        if (held === 0 && inFlight === 0) return result();
      } else {
        const room = available - inFlight;
        const to = batchEnd(plan.count, sent, room, maxBatch);
        if (to - sent >= Math.min(REFILL_BATCH, plan.count - sent)) {
          if (!gate()) return result();
          if (!io.write(insertPointsLine(plan, sent, to))) {
            abortReason = "write_queue_full";
            return result();
          }
          const size = to - sent;
          const at = process.hrtime.bigint();
          firstBatchAt ??= at;
          written.push([at, size]);
          calls += 1;
          maxCall = Math.max(maxCall, size);
          sent = to;
          options.onProgress?.({ sent, total: plan.count, p99_us: 0 });
          // Room may be left for more at once: read again without waiting.
          if (sent < plan.count && room - size >= REFILL_BATCH) continue;
        }
      }
      await pause(pollMs);
    }
  };

  return {
    done: loop(),
    abort(reason: AbortReason): void {
      if (abortReason === undefined) abortReason = reason;
      wake?.();
    },
    get reason(): AbortReason | undefined {
      return abortReason;
    },
  };
}
