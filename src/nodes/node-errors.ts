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
 * What `done(err)` and `node.error(err, msg)` carry: the line
 * "<sentence> (<code>)", with the code on it.
 *
 * Node-RED treats the two kinds of value it is given differently. An Error
 * reaches the log and the debug sidebar as an object to expand, and a Catch
 * node's msg.error.message is its toString(), "Hi6Error: ..."; a plain
 * string reads as one line but carries no code. A String object is both: it
 * is logged and shown as its text, a Catch node's msg.error.message is that
 * text, and Node-RED copies its own `code` (and `cause`) into the Catch
 * node's msg.error. A msg.error already on the msg moves to msg._error,
 * with status and body; `cause` carries those into msg.error too.
 */
export type FlowError = String & { readonly code: string; readonly cause?: { status?: number; body?: unknown } };

export function flowError(err: Hi6Error): FlowError {
  const out = new String(errorText(err));
  Object.defineProperty(out, "code", { value: err.code, enumerable: true });
  if (err.status !== undefined || err.body !== undefined) {
    Object.defineProperty(out, "cause", { value: { status: err.status, body: err.body }, enumerable: false });
  }
  return out as FlowError;
}
