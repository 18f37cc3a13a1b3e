/**
 * The Hi6 Open API paths and bodies this package uses through CONTROL,
 * MONITOR and plain HTTP.
 */

export const JOINT_STATES_PATH = "/project/robot/joints/joint_states";
export const TRAJ_BUF_AVAIL_PATH = "/project/robot/trajectory/joint_traject_buf_avail";
export const RGEN_PATH = "/project/rgen";
export const TRAJ_INIT_PATH = "/project/robot/trajectory/joint_traject_init";
export const TRAJ_INSERT_POINT_PATH = "/project/robot/trajectory/joint_traject_insert_point";
export const TRAJ_INSERT_POINTS_PATH = "/project/robot/trajectory/joint_traject_insert_points";

/** Body of `joint_traject_insert_point`. Angles are degrees. */
export interface InsertPointBody {
  /** Seconds between points. */
  interval: number;
  /** Seconds since the start of the trajectory, or -1 to let the controller place the point. */
  time_from_start: number;
  /** Seconds the controller looks ahead in its buffer. */
  look_ahead_time: number;
  /** One angle per joint, in degrees. */
  point: number[];
}

/** Body returned by GET `joint_states`: degrees, deg/s and Nm. */
export interface JointStates {
  _type: "JObject";
  position: number[];
  velocity: number[];
  effort: number[];
}
