/**
 * Node status and its translation in one place: nodes describe what to show
 * as a view (colour, shape, message key and parameters), and Status turns it
 * into the text Node-RED displays.
 */

import type { Node, NodeStatus, StatusFill, StatusShape, Translate } from "./node-red";

export interface StatusView {
  fill: StatusFill;
  shape: StatusShape;
  /** A key in this package's catalogues, or a core `node-red:` key. */
  key: string;
  params?: Record<string, string | number>;
}

export function view(fill: StatusFill, shape: StatusShape, key: string, params?: Record<string, string | number>): StatusView {
  return params === undefined ? { fill, shape, key } : { fill, shape, key, params };
}

export class Status {
  constructor(private readonly translate: Translate) {}

  render(v: StatusView): NodeStatus {
    // Core keys are translated by the editor in the user's language, as the
    // core nodes do; our own keys carry parameters, so they are filled here.
    const text = v.key.startsWith("node-red:") ? v.key : this.translate(v.key, v.params);
    return { fill: v.fill, shape: v.shape, text };
  }

  show(node: Pick<Node, "status">, v: StatusView): void {
    node.status(this.render(v));
  }

  clear(node: Pick<Node, "status">): void {
    node.status({});
  }
}

/**
 * One node's own status line. It writes only when the text changes, so a
 * node that reports per msg costs no status traffic at stream rates.
 * `forget()` is called when someone else (the session) wrote over it.
 */
export class StatusLine {
  private shown = "";

  constructor(
    private readonly node: Pick<Node, "status">,
    private readonly status: Status,
  ) {}

  show(v: StatusView): void {
    const rendered = this.status.render(v);
    const key = `${rendered.fill}|${rendered.shape}|${rendered.text}`;
    if (key === this.shown) return;
    this.shown = key;
    this.node.status(rendered);
  }

  forget(): void {
    this.shown = "";
  }
}
