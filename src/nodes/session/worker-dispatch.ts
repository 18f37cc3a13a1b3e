/**
 * The worker's dispatch table: one handler per request or command kind.
 * worker-session.ts fills in the session's own kinds; a module that adds a
 * kind (declared in messages.ts's maps by declaration merging) registers its
 * handler here and is imported by worker.ts.
 */

import type { EventEmitter } from "node:events";
import type { OpenStreamClient } from "../../client/OpenStreamClient";
import type { MonitorRequest } from "../../client/types";
import type { DataEvent } from "../../protocol/events";
import type { StopTarget } from "../../protocol/recipes";
import type { CommandKind, PostedEventName, RequestKind, WorkerCommands, WorkerEvents, WorkerInit, WorkerRequests } from "./messages";

/**
 * Moments other request kinds must act on before the session's own
 * handlers touch the wire: a run in progress ends before STOP or close
 * goes out, so nothing of it is written after.
 */
export interface WorkerLifecycle {
  stopping: [target: StopTarget];
  /** A STOP was answered (acked or nothing_to_stop): its effects on the server hold now. */
  stopped: [target: StopTarget];
  closing: [];
}

/**
 * While a trajectory runs, the session's MONITOR is also its proof that the
 * controller still answers, so MONITOR requests and data pass through here.
 */
export interface MonitorGate {
  /** The request as it goes to the server during the run (its period at most the run's). */
  request(request: MonitorRequest, tag: string): MonitorRequest;
  /** False for a data event that no node asked for. */
  relay(event: DataEvent): boolean;
}

/** What a handler may use: the one client that owns the socket, and the way back to the main thread. */
export interface WorkerContext {
  readonly client: OpenStreamClient;
  readonly init: WorkerInit;
  readonly lifecycle: EventEmitter<WorkerLifecycle>;
  /** Set while a trajectory runs. */
  monitorGate: MonitorGate | undefined;
  emit<K extends PostedEventName>(name: K, payload: WorkerEvents[K]): void;
}

export type RequestHandler<K extends RequestKind> = (
  ctx: WorkerContext,
  params: WorkerRequests[K]["params"],
) => Promise<WorkerRequests[K]["result"]> | WorkerRequests[K]["result"];

export type CommandHandler<K extends CommandKind> = (ctx: WorkerContext, params: WorkerCommands[K]) => void;

const requestHandlers = new Map<string, RequestHandler<RequestKind>>();
const commandHandlers = new Map<string, CommandHandler<CommandKind>>();

export function handleRequest<K extends RequestKind>(kind: K, handler: RequestHandler<K>): void {
  if (requestHandlers.has(kind)) throw new Error(`request kind ${kind} already has a handler`);
  requestHandlers.set(kind, handler as unknown as RequestHandler<RequestKind>);
}

export function handleCommand<K extends CommandKind>(kind: K, handler: CommandHandler<K>): void {
  if (commandHandlers.has(kind)) throw new Error(`command kind ${kind} already has a handler`);
  commandHandlers.set(kind, handler as unknown as CommandHandler<CommandKind>);
}

export function requestHandler(kind: string): RequestHandler<RequestKind> | undefined {
  return requestHandlers.get(kind);
}

export function commandHandler(kind: string): CommandHandler<CommandKind> | undefined {
  return commandHandlers.get(kind);
}
