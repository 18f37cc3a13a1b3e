/**
 * The part of Node-RED's runtime API these nodes use, typed here because
 * Node-RED ships no types of its own and the package takes no dependency
 * for them.
 */

export type StatusFill = "red" | "green" | "yellow" | "blue" | "grey";
export type StatusShape = "ring" | "dot";

export interface NodeStatus {
  fill?: StatusFill;
  shape?: StatusShape;
  text?: string;
}

export interface NodeMessage {
  _msgid?: string;
  payload?: unknown;
  topic?: string;
  [key: string]: unknown;
}

export type NodeSend = (msg: NodeMessage | Array<NodeMessage | null> | null) => void;
/** `err` is an Error or a line for the log; see FlowError in node-errors.ts. */
export type NodeDone = (err?: Error | string | String) => void;

/** Properties every node definition carries, as deployed from the editor. */
export interface NodeDef {
  id: string;
  type: string;
  name?: string;
  z?: string;
}

export interface Node {
  readonly id: string;
  readonly type: string;
  name?: string;
  status(status: NodeStatus): void;
  send(msg: NodeMessage | Array<NodeMessage | null> | null): void;
  error(err: unknown, msg?: NodeMessage): void;
  warn(message: unknown): void;
  log(message: unknown): void;
  on(event: "input", listener: (msg: NodeMessage, send: NodeSend, done: NodeDone) => void): this;
  on(event: "close", listener: (removed: boolean, done: () => void) => void): this;
  emit(event: string, ...args: unknown[]): boolean;
}

export type Translate = (key: string, params?: Record<string, unknown>) => string;

export interface NodeAPI {
  nodes: {
    createNode(node: object, def: NodeDef): void;
    // Node-RED calls the constructor with `new` and the node's definition.
    registerType(type: string, constructor: (this: Node, def: never) => void, options?: object): void;
    getNode(id: string): unknown;
  };
  _: Translate;
}
