/**
 * The package's entry for plain Node.js programs: the Open Stream client,
 * the virtual controller, the protocol layer and the trajectory tools,
 * without Node-RED.
 */

export { OpenStreamClient } from "./client/OpenStreamClient";
export type { ClientOptions, ClientEvents, SessionState, StateChange, StopResult, MonitorRequest, BackoffOptions, ClientCounters } from "./client/types";
export { readJointPositions, readBufferAvailable, readPlayback } from "./client/rest";
export { startSimulator, Simulator } from "./sim";
export type { SimulatorOptions, FaultOptions } from "./sim";
export { Hi6Error, describeError, isFatal, ERROR_CATALOGUE } from "./protocol/errors";
export type { ErrorInfo, Severity, ClientAction } from "./protocol/errors";
export { NdjsonFramer, DEFAULT_MAX_LINE_BYTES } from "./protocol/framer";
export { parseServerLine } from "./protocol/events";
export type { ServerEvent, DataEvent } from "./protocol/events";
export * from "./protocol/recipes";
export { validateHandshakePayload, validateMonitorPayload, validateControlPayload, validateStopPayload, validateRecipe } from "./protocol/validate";
export { planFromPoints, sinePlan } from "./trajectory/sources";
export { waypointPlan } from "./trajectory/waypoints";
export { preflight } from "./trajectory/preflight";
export { runTrajectory } from "./trajectory/runner";
export { runBuffered } from "./trajectory/buffered";
export type { BufferedOptions, BufferedIo, UploadStats } from "./trajectory/buffered";
export type { TrajectoryPlan } from "./trajectory/plan";
export type { RunResult, RunOptions } from "./trajectory/runner";
