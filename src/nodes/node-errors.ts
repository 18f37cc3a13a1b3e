/**
 * How a Hi6Error reaches a flow: one sentence with the code for the log and
 * the debug sidebar, and `msg.error` for Catch nodes.
 */

import { Hi6Error } from "../protocol/errors";
import type { NodeMessage } from "./node-red";

export type MsgError = ReturnType<Hi6Error["toJSON"]>;

export function asHi6Error(err: unknown): Hi6Error {
  if (err instanceof Hi6Error) return err;
  return new Hi6Error("session_error", err instanceof Error ? err.message : String(err));
}

export function errorText(err: Hi6Error): string {
  return `${err.message} (${err.code})`;
}

/** Sets `msg.error` the way Catch nodes and the contract expect: {code, message, status?, body?}. */
export function attachError(msg: NodeMessage, err: Hi6Error): NodeMessage {
  msg.error = err.toJSON();
  return msg;
}

/**
 * The Error handed to `done(err)` and `node.error(err, msg)`. Node-RED
 * rebuilds a Catch node's msg.error from it (message, and `code` because it
 * is an own property) and moves a msg.error already on the msg to
 * msg._error, so the code travels both ways and status/body survive in
 * msg._error.
 */
export function flowError(err: Hi6Error): Hi6Error {
  const out = new Hi6Error(err.code, errorText(err), err.toJSON());
  // Node-RED copies `cause` into a Catch node's msg.error, so the HTTP details reach msg.error.cause too.
  if (err.status !== undefined || err.body !== undefined) {
    Object.defineProperty(out, "cause", { value: { status: err.status, body: err.body }, enumerable: false, writable: true, configurable: true });
  }
  return out;
}
