/**
 * hi6-control: one CONTROL per msg. The server answers a successful CONTROL
 * with nothing, so the msg is passed on once the line is handed to the
 * session; a later control_err is raised on this node with the msg of the
 * CONTROL that caused it, where Catch nodes receive it.
 */

import { Hi6Error } from "../protocol/errors";
import type { ControlPayload, JsonObject } from "../protocol/recipes";
import { jsonBodySetting, jsonObjectSetting, JsonSetting } from "./json-setting";
import type { Node, NodeAPI, NodeDef, NodeDone, NodeMessage, NodeSend } from "./node-red";
import { asHi6Error, attachError, flowError } from "./node-errors";
import { SessionApi, sessionFor } from "./session-api";
import { StatusLine, view } from "./status";

export interface ControlNodeDef extends NodeDef {
  session?: string;
  method?: string;
  url?: string;
  args?: string;
  body?: string;
}

export class ControlNode {
  private readonly line: StatusLine;
  private readonly args: JsonSetting<JsonObject>;
  private readonly body: JsonSetting<JsonObject | unknown[]>;
  /** The msg of the latest CONTROL, to which a control_err belongs. */
  private lastMsg: NodeMessage | undefined;

  constructor(
    private readonly RED: NodeAPI,
    private readonly node: Node,
    private readonly def: ControlNodeDef,
  ) {
    this.line = new StatusLine(node);
    this.args = jsonObjectSetting(def.args);
    this.body = jsonBodySetting(def.body);

    const session = sessionFor(RED, def.session, this.line, node);
    if (session === undefined) return;
    session.register(this.line.user(node.id));
    if (!this.body.ok) this.configError("invalid_body", "hi6-control.errors.invalidBody", this.body.reason);
    else if (!this.args.ok) this.configError("invalid_args", "hi6-control.errors.invalidArgs", this.args.reason);

    session.onEvent(node, "controlError", ({ error }) => this.failed(error));
    node.on("input", (msg, send, done) => this.input(session, msg, send, done));
    node.on("close", (removed, done) => {
      this.lastMsg = undefined;
      session.deregister(node, done, removed);
    });
  }

  /** A setting that cannot be used: red until a msg that does not need it goes out. */
  private configError(code: string, key: string, reason: string): void {
    this.line.fail(view("red", "ring", "hi6-control.status.error", { code }));
    this.node.error(flowError(new Hi6Error("invalid_config", this.RED._(key, { reason }))));
  }

  /** The CONTROL payload from config and msg; a config value that failed to parse is an error only when used. */
  private payload(msg: NodeMessage): ControlPayload | Hi6Error {
    const payload: Record<string, unknown> = {
      method: msg.method !== undefined ? msg.method : this.def.method || "POST",
      url: msg.url !== undefined ? msg.url : this.def.url,
    };
    if (msg.args !== undefined) payload.args = msg.args;
    else if (this.args.ok) payload.args = this.args.value;
    else return new Hi6Error("invalid_args", this.RED._("hi6-control.errors.invalidArgs", { reason: this.args.reason }));
    if (typeof msg.payload === "object" && msg.payload !== null) payload.body = msg.payload;
    else if (this.body.ok) payload.body = this.body.value;
    else return new Hi6Error("invalid_body", this.RED._("hi6-control.errors.invalidBody", { reason: this.body.reason }));
    return payload as unknown as ControlPayload;
  }

  private input(session: SessionApi, msg: NodeMessage, send: NodeSend, done: NodeDone): void {
    const payload = this.payload(msg);
    if (payload instanceof Hi6Error) return this.reject(msg, payload, done);
    try {
      session.control(this.node, payload);
    } catch (err) {
      return this.reject(msg, asHi6Error(err), done);
    }
    this.lastMsg = msg;
    this.line.show(view("green", "dot", "hi6-control.status.sent"));
    send(msg);
    done();
  }

  private reject(msg: NodeMessage, err: Hi6Error, done: NodeDone): void {
    attachError(msg, err);
    this.line.fail(view("red", "ring", "hi6-control.status.error", { code: err.code }));
    done(flowError(err));
  }

  private failed(err: Hi6Error): void {
    // The msg went on downstream already; the error travels on a copy.
    const msg: NodeMessage = { ...(this.lastMsg ?? {}) };
    attachError(msg, err);
    this.line.fail(view("red", "ring", "hi6-control.status.error", { code: err.code }));
    this.node.error(flowError(err), msg);
  }

}

export function registerControlNode(RED: NodeAPI): void {
  RED.nodes.registerType("hi6-control", function (this: Node, def: ControlNodeDef) {
    RED.nodes.createNode(this, def);
    new ControlNode(RED, this, def);
  });
}
