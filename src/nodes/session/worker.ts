/**
 * The session's worker thread: it hosts the one OpenStreamClient that owns
 * the socket, relays every client event to the main thread, and runs the
 * requests it is sent through the dispatch table. Node-RED's main loop may
 * block for as long as a flow likes; the socket is read and written here.
 */

import { EventEmitter } from "node:events";
import { parentPort, workerData } from "node:worker_threads";
import { OpenStreamClient } from "../../client/OpenStreamClient";
import type { StateChange } from "../../client/types";
import { DataRelay } from "./data-relay";
import type { FromWorker, PostedEventName, StateJson, ToWorker, WorkerData, WorkerEvents } from "./messages";
import { errorToJson } from "./messages";
import { commandHandler, requestHandler, WorkerContext, WorkerLifecycle } from "./worker-dispatch";
import "./worker-session";
import "./worker-trajectory";

function stateToJson(change: StateChange): StateJson {
  const out: StateJson = { state: change.state, previous: change.previous };
  if (change.version !== undefined) out.version = change.version;
  if (change.retryInMs !== undefined) out.retryInMs = change.retryInMs;
  if (change.error !== undefined) out.error = change.error.toJSON();
  if (change.failure !== undefined) out.failure = change.failure;
  return out;
}

function run(port: NonNullable<typeof parentPort>, init: WorkerData): void {
  const client = new OpenStreamClient(init.client);
  const post = (msg: FromWorker): void => port.postMessage(msg);

  const ctx: WorkerContext = {
    client,
    init,
    lifecycle: new EventEmitter<WorkerLifecycle>(),
    monitorGate: undefined,
    emit<K extends PostedEventName>(name: K, payload: WorkerEvents[K]): void {
      post({ type: "event", name, payload });
    },
  };
  const data = new DataRelay(post, init.dataCredit);

  client.on("state", (change) => ctx.emit("state", stateToJson(change)));
  client.on("data", (event, receivedAt) => {
    if (ctx.monitorGate === undefined || ctx.monitorGate.relay(event)) data.push(event, receivedAt);
  });
  client.on("monitorAck", (tag) => ctx.emit("monitorAck", { tag }));
  client.on("monitorReplaced", (tag) => ctx.emit("monitorReplaced", { tag }));
  client.on("monitorRearmed", (tag) => ctx.emit("monitorRearmed", { tag }));
  client.on("controlError", (error, tag) => ctx.emit("controlError", { error: error.toJSON(), tag }));
  client.on("serverError", (error) => ctx.emit("serverError", { error: error.toJSON() }));
  client.on("warning", (code, message) => ctx.emit("warning", { code, message }));
  client.on("unknownEvent", (event) => ctx.emit("unknownEvent", { event }));

  port.on("message", (msg: ToWorker) => {
    if (msg.type === "dataAck") {
      data.ack();
      return;
    }
    if (msg.type === "command") {
      const handler = commandHandler(msg.kind);
      if (handler === undefined) {
        ctx.emit("warning", { code: "session_error", message: `the session worker has no command ${msg.kind}` });
        return;
      }
      try {
        handler(ctx, msg.params);
      } catch (err) {
        ctx.emit("warning", { code: "session_error", message: errorToJson(err).message });
      }
      return;
    }
    const handler = requestHandler(msg.kind);
    if (handler === undefined) {
      post({ type: "reply", id: msg.id, ok: false, error: { code: "session_error", message: `the session worker has no request ${msg.kind}` } });
      return;
    }
    Promise.resolve()
      .then(() => handler(ctx, msg.params))
      .then(
        (value) => post({ type: "reply", id: msg.id, ok: true, value }),
        (err: unknown) => post({ type: "reply", id: msg.id, ok: false, error: errorToJson(err) }),
      );
  });

  client.start();
}

if (parentPort !== null) run(parentPort, workerData as WorkerData);
