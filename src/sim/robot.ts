/**
 * A virtual 6-axis arm that follows streamed trajectory points in time, so
 * that a MONITOR of joint_states shows the motion a real robot would make.
 */

export const HOME_POSE: readonly number[] = [0, 90, 0, 0, -90, 0];
export const TRAJECTORY_CAPACITY = 10000;

interface TimedPoint {
  /** Due time, ms on the robot's clock. */
  at: number;
  point: number[];
}

export class VirtualRobot {
  readonly jointCount: number;
  private position: number[];
  private velocity: number[];
  private queue: TimedPoint[] = [];
  private head = 0;
  /** Clock time of time_from_start = 0 for the current trajectory. */
  private origin: number | undefined;
  private lastDue = 0;
  private lastSampleAt: number;
  private readonly clock: () => number;
  /** Points the arm has passed since it was made: what a test counts as executed. */
  private executedCount = 0;
  /** Set while the controller is paused: its clock, and so its motion, stand still. */
  private pausedAt: number | undefined;

  constructor(clock: () => number = () => performance.now(), home: readonly number[] = HOME_POSE) {
    this.clock = clock;
    this.jointCount = home.length;
    this.position = [...home];
    this.velocity = new Array<number>(home.length).fill(0);
    this.lastSampleAt = clock();
  }

  get executedPoints(): number {
    this.drain(this.now());
    return this.executedCount;
  }

  /**
   * Stops the arm's clock, as a controller whose process is suspended would:
   * nothing it holds is executed until `resume`.
   */
  pause(): void {
    this.pausedAt ??= this.clock();
  }

  /** Starts the clock again where it stopped: the buffer plays on from the point it had reached. */
  resume(): void {
    if (this.pausedAt === undefined) return;
    const shift = this.clock() - this.pausedAt;
    this.pausedAt = undefined;
    for (let i = this.head; i < this.queue.length; i++) this.queue[i]!.at += shift;
    if (this.origin !== undefined) this.origin += shift;
    this.lastDue += shift;
    this.lastSampleAt += shift;
  }

  private now(): number {
    return this.pausedAt ?? this.clock();
  }

  /** Clears the trajectory buffer; the arm holds its pose. */
  initTrajectory(): void {
    this.advance();
    this.queue = [];
    this.head = 0;
    this.origin = undefined;
  }

  /** Points not yet due: what the controller's buffer still holds. */
  get queued(): number {
    this.drain(this.now());
    return this.queue.length - this.head;
  }

  get bufferAvailable(): number {
    return Math.max(0, TRAJECTORY_CAPACITY - this.queued);
  }

  /**
   * Queues one point in degrees. The first point after init anchors the
   * timeline one look-ahead from now, the way a controller fills its buffer
   * before it starts to move.
   */
  insertPoint(point: number[], timeFromStart: number, interval: number, lookAhead: number): boolean {
    if (this.queued >= TRAJECTORY_CAPACITY) return false;
    const now = this.now();
    if (this.origin === undefined || this.queued === 0 && this.lastDue < now - 1000) {
      this.origin = now + Math.max(0, lookAhead) * 1000;
      this.lastDue = this.origin - interval * 1000;
    }
    const at = timeFromStart >= 0 ? this.origin + timeFromStart * 1000 : this.lastDue + interval * 1000;
    this.lastDue = at;
    this.queue.push({ at, point: [...point] });
    return true;
  }

  /**
   * Consumes the points whose time has come, whether or not anyone samples
   * the pose, so a long stream never fills the buffer with points the arm
   * has already passed.
   */
  private drain(now: number): void {
    while (this.head < this.queue.length && this.queue[this.head]!.at <= now) {
      this.head += 1;
      this.executedCount += 1;
    }
    if (this.head > 4096 && this.head * 2 > this.queue.length) {
      // The last point reached stays: the pose is interpolated from it.
      this.queue = this.queue.slice(this.head - 1);
      this.head = 1;
    }
  }

  /** Moves the arm to where the trajectory says it is now. */
  private advance(): void {
    const now = this.now();
    this.drain(now);
    const before = this.position;
    let next = before;
    const reached = this.head > 0 ? this.queue[this.head - 1] : undefined;
    if (reached) {
      next = reached.point;
      const upcoming = this.queue[this.head];
      if (upcoming) {
        // Between two due points: interpolate so a slow MONITOR still sees motion.
        const span = upcoming.at - reached.at;
        const f = span > 0 ? Math.min(1, (now - reached.at) / span) : 0;
        next = reached.point.map((q, j) => q + (upcoming.point[j]! - q) * f);
      }
    }
    const elapsed = (now - this.lastSampleAt) / 1000;
    if (elapsed > 0) this.velocity = next.map((q, j) => (q - before[j]!) / elapsed);
    this.position = [...next];
    this.lastSampleAt = now;
  }

  /** The joint states, 1-based `start`, `count` joints. */
  jointStates(start = 1, count = this.jointCount): { position: number[]; velocity: number[]; effort: number[] } {
    this.advance();
    const from = Math.max(0, start - 1);
    const to = Math.min(this.jointCount, from + Math.max(0, count));
    const position = this.position.slice(from, to);
    const velocity = this.velocity.slice(from, to);
    // A gravity-like load on the shoulder and elbow, enough to look alive.
    const effort = position.map((q, i) => {
      const j = from + i;
      return j === 1 || j === 2 ? 100 * Math.sin((q * Math.PI) / 180) : 0;
    });
    return { position, velocity, effort };
  }
}
