/**
 * The session's worker thread: it hosts the one OpenStreamClient that owns
 * the socket, relays the client's events to the main thread, and answers the
 * main thread's messages. Node-RED's main loop may block for as long as a
 * flow likes; the socket is read and written here.
 */

import { parentPort, workerData } from "node:worker_threads";
import type { ClientEvents, StateChange } from "../../client/types";
import { OpenStreamClient } from "../../client/OpenStreamClient";
import { DataRelay } from "./data-relay";
import type { FromWorker, PostedEvent, RelayedEvent, Request, RequestKind, StateJson, ToWorker, WorkerData, WorkerRequests } from "./messages";
import { errorToJson, RELAYED_EVENTS } from "./messages";
import { TrajectoryHost } from "./trajectory-host";

function stateToJson(change: StateChange): StateJson {
  const out: StateJson = { state: change.state, previous: change.previous };
  if (change.version !== undefined) out.version = change.version;
  if (change.retryInMs !== undefined) out.retryInMs = change.retryInMs;
  if (change.error !== undefined) out.error = change.error.toJSON();
  if (change.failure !== undefined) out.failure = change.failure;
  return out;
}

function unreachable(msg: never): never {
  throw new Error(`the session worker got a message it does not know: ${JSON.stringify(msg)}`);
}

function run(port: NonNullable<typeof parentPort>, init: WorkerData): void {
  const post = (msg: FromWorker): void => port.postMessage(msg);
  const emit = (event: PostedEvent): void => post(event);
  const data = new DataRelay(post, init.dataCredit, { batching: init.relay?.batching });
  // Data lines left unparsed here cross as text; the main thread parses them.
  const takeDataLine =
    init.relay?.parse === "main"
      ? (line: string, receivedAt: bigint): boolean => {
          if (trajectories.relays()) data.pushLine(line, receivedAt);
          return true;
        }
      : undefined;
  const client = new OpenStreamClient({ ...init.client, takeDataLine });

  const relay: { [K in RelayedEvent]: (...args: ClientEvents[K]) => void } = {
    state: (change) => emit({ type: "state", payload: stateToJson(change) }),
    data: (event, receivedAt) => {
      if (trajectories.relays()) data.push(event, receivedAt);
    },
    monitorAck: (tag) => emit({ type: "monitorAck", payload: { tag } }),
    monitorReplaced: (tag) => emit({ type: "monitorReplaced", payload: { tag } }),
    monitorRearmed: (tag) => emit({ type: "monitorRearmed", payload: { tag } }),
    controlError: (error, tag) => emit({ type: "controlError", payload: { error: error.toJSON(), tag } }),
    serverError: (error) => emit({ type: "serverError", payload: { error: error.toJSON() } }),
    warning: (code, message) => emit({ type: "warning", payload: { code, message } }),
    unknownEvent: (event) => emit({ type: "unknownEvent", payload: { event } }),
  };
  for (const name of RELAYED_EVENTS) client.on(name, relay[name]);

  // After the relays: a state change reaches the main thread before the run it ends reacts to it.
  const trajectories = new TrajectoryHost(
    client,
    (progress) => emit({ type: "trajectoryProgress", payload: progress }),
    (sample) => emit({ type: "trajectoryTracking", payload: sample }),
  );

  /** Runs a request's work a turn later, so a throw in it is a failed reply like a rejection. */
  const answer = <K extends RequestKind>(request: Request<K>, work: () => Promise<WorkerRequests[K]["result"]> | WorkerRequests[K]["result"]): void => {
    const id = request.id;
    Promise.resolve()
      .then(work)
      .then(
        (value) => post({ type: "reply", id, ok: true, value }),
        (err: unknown) => post({ type: "reply", id, ok: false, error: errorToJson(err) }),
      );
  };

  port.on("message", (msg: ToWorker) => {
    switch (msg.type) {
      case "monitor": {
        const { request, tag } = msg.params;
        return answer(msg, () => client.monitorChecked(trajectories.monitorRequest(request, tag), tag));
      }
      case "stop": {
        const { target } = msg.params;
        return answer(msg, async () => {
          trajectories.stopping(target);
          const result = await client.stop(target);
          trajectories.stopped(target);
          return result;
        });
      }
      case "close": {
        const { stopSession } = msg.params;
        return answer(msg, async () => {
          trajectories.closing();
          await client.close({ stopSession });
          return null;
        });
      }
      case "trajectory": {
        const params = msg.params;
        return answer(msg, () => trajectories.run(params));
      }
      case "control":
        // CONTROL has no ack, so nothing waits for it across the thread; a
        // write the client refuses (not ready, queue full) is reported like
        // a server error attributed to the same sender.
        try {
          client.controlChecked(msg.payload, msg.tag);
        } catch (err) {
          emit({ type: "controlError", payload: { error: errorToJson(err), tag: msg.tag } });
        }
        return;
      case "abortTrajectory":
        // No reply to carry a failure back, and a throw here would end the thread with the socket.
        try {
          trajectories.abort(msg.tag, msg.reason);
        } catch (err) {
          emit({ type: "warning", payload: { code: "session_error", message: errorToJson(err).message } });
        }
        return;
      case "dataAck":
        data.ack();
        return;
      default:
        return unreachable(msg);
    }
  });

  client.start();
}

if (parentPort !== null) run(parentPort, workerData as WorkerData);
