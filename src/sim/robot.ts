/**
 * A virtual 6-axis arm that plays its trajectory buffer in time, so that a
 * MONITOR of joint_states shows the motion a real robot would make.
 *
 * What it shares with a real controller: a buffer of TRAJECTORY_CAPACITY
 * points, each played at its own time (its time_from_start, or one interval
 * after the point before), and dropped only once reached or by
 * joint_traject_init; a servo that follows the commanded pose through a
 * first-order lag instead of copying it; and two alarms that stop the arm
 * and refuse further points until the next joint_traject_init: a step faster
 * than the joint speed limit (E159), and a buffer that runs out while the
 * arm is still moving (a position deviation alarm: the arm could no longer
 * follow its command).
 */

export const HOME_POSE: readonly number[] = [0, 90, 0, 0, -90, 0];
/** Points the controller's trajectory buffer holds, as the Open API documents it. */
export const TRAJECTORY_CAPACITY = 2048;
/**
 * ms, the servo's time constant: how far the measured pose trails the
 * commanded one. A few tens of ms is what a position-controlled industrial
 * axis shows; 0 makes the arm a copy of its command.
 */
export const DEFAULT_SERVO_LAG_MS = 30;
/**
 * deg/s. The controller's own axis limit, not the node's maxSpeed: above
 * the node's default (60 deg/s) and the slowest published main axes (85),
 * at the low end of what small arms run at.
 */
export const DEFAULT_JOINT_SPEED_LIMIT_DEG_S = 250;
/**
 * deg/s. A buffer that runs out while the last step moved slower than this
 * ends the motion quietly: the trajectory came to rest on its own.
 */
export const DRY_STOP_SPEED_DEG_S = 1;

export interface Alarm {
  code: string;
  text: string;
}

/** The alarms this virtual controller raises; codes as the vendor's alarm list has them, texts in this package's words. */
export const ALARMS = {
  speedLimit: { code: "E159", text: "a joint was commanded faster than its speed limit; the arm stopped" },
  couldNotFollow: { code: "E2630", text: "position deviation: the trajectory buffer ran out while the arm was moving, so it could not follow its command; the arm stopped" },
  notPlayback: { code: "E01554", text: "no program is playing back in auto mode, so external motion commands are refused" },
} as const satisfies Record<string, Alarm>;

export interface RobotSettings {
  servoLagMs: number;
  jointSpeedLimitDegS: number;
}

interface TimedPoint {
  /** Due time, ms on the robot's clock. */
  at: number;
  point: number[];
}

/** The longest step of the servo's filter, ms. */
const FILTER_STEP_MS = 1;

export class VirtualRobot {
  readonly jointCount: number;
  private readonly settings: RobotSettings = { servoLagMs: DEFAULT_SERVO_LAG_MS, jointSpeedLimitDegS: DEFAULT_JOINT_SPEED_LIMIT_DEG_S };
  /** The measured pose: the servo's output. */
  private actual: number[];
  private velocity: number[];
  /** What the arm is commanded to hold when no point of the buffer has been reached. */
  private hold: number[];
  private queue: TimedPoint[] = [];
  /** The first point not yet reached. */
  private head = 0;
  /** The last point reached at the time the servo was last stepped to (-1: none). */
  private cursor = -1;
  /** Clock time of time_from_start = 0 for the current trajectory. */
  private origin: number | undefined;
  private lastDue = 0;
  private lastSampleAt: number;
  private readonly clock: () => number;
  /** Points the arm has passed since it was made: what a test counts as executed. */
  private executedCount = 0;
  /** Points taken into the buffer, and those of them whose time had already come when they arrived (late at the controller). */
  private arrivals = { inserted: 0, late: 0 };
  /** Set while the controller is paused: its clock, and so its motion, stand still. */
  private pausedAt: number | undefined;
  private raised: (Alarm & { at: number }) | undefined;
  /** The agility options of the last joint_traject_init, as it was sent. */
  agility: { agility_mode?: boolean; agility_freq?: number } = {};

  constructor(clock: () => number = () => performance.now(), home: readonly number[] = HOME_POSE, settings: Partial<RobotSettings> = {}) {
    this.clock = clock;
    this.jointCount = home.length;
    this.actual = [...home];
    this.hold = [...home];
    this.velocity = new Array<number>(home.length).fill(0);
    this.lastSampleAt = clock();
    this.configure(settings);
  }

  /** Changes the servo lag or the speed limit; absent keys keep their value. */
  configure(settings: Partial<RobotSettings>): void {
    if (settings.servoLagMs !== undefined) this.settings.servoLagMs = Math.max(0, settings.servoLagMs);
    if (settings.jointSpeedLimitDegS !== undefined) this.settings.jointSpeedLimitDegS = settings.jointSpeedLimitDegS;
  }

  get executedPoints(): number {
    this.drain(this.now());
    return this.executedCount;
  }

  /** Points taken into the buffer since the last resetArrivals, and how many arrived after their time. */
  get arrivalCounts(): { inserted: number; late: number } {
    return { ...this.arrivals };
  }

  resetArrivals(): void {
    this.arrivals = { inserted: 0, late: 0 };
  }

  /** The alarm that stopped the arm, until the next joint_traject_init. */
  get alarm(): (Alarm & { at: number }) | undefined {
    this.drain(this.now());
    return this.raised;
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
    for (const p of this.queue) p.at += shift;
    if (this.origin !== undefined) this.origin += shift;
    this.lastDue += shift;
    this.lastSampleAt += shift;
    if (this.raised) this.raised.at += shift;
  }

  private now(): number {
    return this.pausedAt ?? this.clock();
  }

  /** Clears the trajectory buffer and any alarm; the arm stops where it is. */
  initTrajectory(agility: { agility_mode?: boolean; agility_freq?: number } = {}): void {
    this.advance();
    this.hold = [...this.actual];
    this.queue = [];
    this.head = 0;
    this.cursor = -1;
    this.origin = undefined;
    this.raised = undefined;
    this.agility = { ...agility };
  }

  /** Points not yet reached: what the controller's buffer still holds. */
  get queued(): number {
    this.drain(this.now());
    return this.queue.length - this.head;
  }

  get bufferAvailable(): number {
    return Math.max(0, TRAJECTORY_CAPACITY - this.queued);
  }

  /** True while points are queued: a batch now continues the running trajectory's timeline. */
  get moving(): boolean {
    return this.queued > 0;
  }

  /** The last queued point's time_from_start, in s, while the trajectory runs. */
  get lastTimeFromStart(): number | undefined {
    return this.origin === undefined || !this.moving ? undefined : (this.lastDue - this.origin) / 1000;
  }

  /**
   * Queues one point in degrees (`joint_traject_insert_point`). The first
   * point after init anchors the timeline one look-ahead from now, the way
   * a controller fills its buffer before it starts to move. False when the
   * buffer is full or an alarm holds the arm.
   */
  insertPoint(point: number[], timeFromStart: number, interval: number, lookAhead: number): boolean {
    if (this.queued >= TRAJECTORY_CAPACITY || this.raised) return false;
    const now = this.now();
    if (this.origin === undefined || (this.queued === 0 && this.lastDue < now - 1000)) {
      this.origin = now + Math.max(0, lookAhead) * 1000;
      this.lastDue = this.origin - interval * 1000;
    }
    const at = timeFromStart >= 0 ? this.origin + timeFromStart * 1000 : this.lastDue + interval * 1000;
    this.push(at, point, now);
    return true;
  }

  /**
   * Queues a batch in degrees with its times_from_start in s
   * (`joint_traject_insert_points`). From rest the batch's own timeline
   * starts now; while the arm moves it continues the running one. The
   * caller has checked the room, the order of times and the alarm.
   */
  insertPoints(points: number[][], timesFromStart: number[]): void {
    const now = this.now();
    if (!this.moving || this.origin === undefined) this.origin = now;
    for (let i = 0; i < points.length; i++) this.push(this.origin + timesFromStart[i]! * 1000, points[i]!, now);
  }

  private push(at: number, point: number[], now: number): void {
    this.arrivals.inserted += 1;
    if (at < now) this.arrivals.late += 1;
    this.lastDue = at;
    this.queue.push({ at, point: [...point] });
  }

  /**
   * Reaches the points whose time has come, whether or not anyone samples
   * the pose, so a long stream never fills the buffer with points the arm
   * has already passed; raises the alarms they call for.
   */
  private drain(now: number): void {
    if (this.raised) return;
    while (this.head < this.queue.length && this.queue[this.head]!.at <= now) {
      const k = this.head;
      if (k > 0 && this.tooFast(this.queue[k - 1]!, this.queue[k]!)) {
        // The step is refused: the arm holds the point before it and the rest of the buffer is dropped.
        const at = this.queue[k]!.at;
        this.queue.length = k;
        this.stop(ALARMS.speedLimit, at);
        return;
      }
      this.head += 1;
      this.executedCount += 1;
    }
    this.compact();
    const n = this.queue.length;
    if (this.head === n && n >= 2) {
      const last = this.queue[n - 1]!;
      const before = this.queue[n - 2]!;
      const gap = last.at - before.at;
      // The next point was needed one interval after the last; the arm was still moving towards it.
      if (gap > 0 && now >= last.at + gap && this.stepSpeed(before, last) > DRY_STOP_SPEED_DEG_S) {
        this.stop(ALARMS.couldNotFollow, last.at + gap);
      }
    }
  }

  private stepSpeed(a: TimedPoint, b: TimedPoint): number {
    const span = (b.at - a.at) / 1000;
    let worst = 0;
    for (let j = 0; j < this.jointCount; j++) worst = Math.max(worst, Math.abs(b.point[j]! - a.point[j]!));
    return span > 0 ? worst / span : worst > 0 ? Infinity : 0;
  }

  private tooFast(a: TimedPoint, b: TimedPoint): boolean {
    return this.settings.jointSpeedLimitDegS > 0 && this.stepSpeed(a, b) > this.settings.jointSpeedLimitDegS;
  }

  private stop(alarm: Alarm, at: number): void {
    this.raised = { ...alarm, at };
  }

  /** The commanded pose at time `t`, walking `cursor` forward (t never goes back). */
  private commandAt(t: number): number[] {
    const last = this.raised === undefined ? this.queue.length : this.head;
    while (this.cursor + 1 < last && this.queue[this.cursor + 1]!.at <= t) this.cursor += 1;
    if (this.cursor < 0) return this.hold;
    const reached = this.queue[this.cursor]!;
    const upcoming = this.cursor + 1 < last ? this.queue[this.cursor + 1] : undefined;
    if (upcoming === undefined) return reached.point;
    // Between two points: interpolate, so a slow MONITOR still sees motion.
    const span = upcoming.at - reached.at;
    const f = span > 0 ? Math.min(1, (t - reached.at) / span) : 0;
    return reached.point.map((q, j) => q + (upcoming.point[j]! - q) * f);
  }

  /** Steps the servo to now, through the command as it was at each instant since the last step. */
  private advance(): void {
    const now = this.now();
    this.drain(now);
    const start = this.lastSampleAt;
    const before = [...this.actual];
    const tau = this.settings.servoLagMs;
    let t = start;
    while (t < now) {
      const h = Math.min(FILTER_STEP_MS, now - t);
      t += h;
      const cmd = this.commandAt(t);
      if (tau <= 0) {
        this.actual = [...cmd];
        continue;
      }
      const a = 1 - Math.exp(-h / tau);
      let gap = 0;
      for (let j = 0; j < this.jointCount; j++) {
        this.actual[j]! += (cmd[j]! - this.actual[j]!) * a;
        gap = Math.max(gap, Math.abs(cmd[j]! - this.actual[j]!));
      }
      // Settled on a command that no longer changes: the rest of the interval changes nothing.
      if (gap < 1e-9 && this.cursor + 1 >= this.queue.length) {
        this.actual = [...cmd];
        break;
      }
    }
    if (tau <= 0 && t === start) this.actual = [...this.commandAt(now)];
    const elapsed = (now - start) / 1000;
    if (elapsed > 0) this.velocity = this.actual.map((q, j) => (q - before[j]!) / elapsed);
    this.lastSampleAt = now;
  }

  /**
   * Drops the points the buffer has passed; the last one reached stays, to
   * interpolate from. A servo that nobody sampled for that long skips ahead
   * to it: its pose is only ever read through a sample.
   */
  private compact(): void {
    const keepFrom = this.head - 1;
    if (keepFrom > 4096 && keepFrom * 2 > this.queue.length) {
      this.queue = this.queue.slice(keepFrom);
      this.head -= keepFrom;
      this.cursor = Math.max(0, this.cursor - keepFrom);
    }
  }

  /** The joint states, 1-based `start`, `count` joints. */
  jointStates(start = 1, count = this.jointCount): { position: number[]; velocity: number[]; effort: number[] } {
    this.advance();
    const from = Math.max(0, start - 1);
    const to = Math.min(this.jointCount, from + Math.max(0, count));
    const position = this.actual.slice(from, to);
    const velocity = this.velocity.slice(from, to);
    // A gravity-like load on the shoulder and elbow, enough to look alive.
    const effort = position.map((q, i) => {
      const j = from + i;
      return j === 1 || j === 2 ? 100 * Math.sin((q * Math.PI) / 180) : 0;
    });
    return { position, velocity, effort };
  }
}
