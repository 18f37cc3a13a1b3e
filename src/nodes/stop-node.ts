/**
 * hi6-stop: sends STOP for the configured target (or msg.target, or a
 * string msg.payload) and passes the msg on with the ack. No ack within
 * 2 s, or an error from the server, is raised on the node; nothing_to_stop
 * is only a warning. The session applies the local effects.
 */

import { withDeadline } from "../client/deadline";
import { Hi6Error } from "../protocol/errors";
import { validateStopPayload } from "../protocol/validate";
import type { Node, NodeAPI, NodeDef, NodeDone, NodeMessage, NodeSend } from "./node-red";
import { asHi6Error, attachError, flowError } from "./node-errors";
import { SessionApi, sessionFor } from "./session-api";
import { StatusLine, view } from "./status";

export interface StopNodeDef extends NodeDef {
  session?: string;
  target?: string;
}

export const STOP_ACK_TIMEOUT_MS = 2000;

export class StopNode {
  private readonly line: StatusLine;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly RED: NodeAPI,
    private readonly node: Node,
    private readonly def: StopNodeDef,
  ) {
    this.line = new StatusLine(node);
    const session = sessionFor(RED, def.session, this.line, node);
    if (session === undefined) return;
    session.register(this.line.user(node.id));
    node.on("input", (msg, send, done) => this.input(session, msg, send, done));
    node.on("close", (removed, done) => {
      for (const t of this.timers) clearTimeout(t);
      this.timers.clear();
      session.deregister(node, done, removed);
    });
  }

  private target(msg: NodeMessage): unknown {
    if (msg.target !== undefined) return msg.target;
    if (typeof msg.payload === "string" && msg.payload !== "") return msg.payload;
    return this.def.target || "session";
  }

  private input(session: SessionApi, msg: NodeMessage, send: NodeSend, done: NodeDone): void {
    const check = validateStopPayload({ target: this.target(msg) });
    if (!check.ok) {
      const key = check.code === "invalid_target" ? "hi6-stop.errors.invalidTarget" : undefined;
      const text = key === undefined ? check.message : this.RED._(key, { target: String(this.target(msg)) });
      return this.fail(msg, new Hi6Error(check.code, text), done);
    }
    const target = check.value.target;
    // The node's own limit holds whatever the session is doing.
    withDeadline(session.stop(this.node, target), STOP_ACK_TIMEOUT_MS, () => new Hi6Error("ack_timeout", this.RED._("hi6-stop.errors.timeout")), this.timers).then(
      (result) => {
        if (result.nothingToStop) {
          this.line.show(view("yellow", "ring", "hi6-stop.status.nothingToStop"));
          this.node.warn(this.RED._("hi6-stop.warnings.nothingToStop", { target }));
          msg.payload = { type: "nothing_to_stop", target };
        } else {
          this.line.show(view("green", "dot", "hi6-stop.status.acked", { target }));
          msg.payload = { type: "stop_ack", target };
        }
        send(msg);
        done();
      },
      (err: unknown) => this.fail(msg, asHi6Error(err), done),
    );
  }

  private fail(msg: NodeMessage, err: Hi6Error, done: NodeDone): void {
    attachError(msg, err);
    const timeout = err.code === "ack_timeout";
    this.line.fail(timeout ? view("red", "ring", "hi6-stop.status.timeout") : view("red", "ring", "hi6-stop.status.error", { code: err.code }));
    done(flowError(err));
  }
}

export function registerStopNode(RED: NodeAPI): void {
  RED.nodes.registerType("hi6-stop", function (this: Node, def: StopNodeDef) {
    RED.nodes.createNode(this, def);
    new StopNode(RED, this, def);
  });
}
