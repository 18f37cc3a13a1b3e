/**
 * Node status in one place: nodes describe what to show as a view (colour,
 * shape, message key and parameters), and this file writes it as the text
 * Node-RED carries to the editor.
 *
 * The editor, not the runtime, puts a status into words, so that each
 * person sees it in the language of their own editor. Node-RED's editor
 * translates a bare key of the node's own catalogue by itself; every other
 * key (the session's, shown on the other nodes) and every key with
 * parameters is rendered by the package's editor script (in
 * hi6-session.html). Parameters travel in a compact form:
 *
 *   <key>?<name>=<value>&<name>=<value>
 *
 * with each value URI-encoded, e.g. `hi6-session.status.ready?version=1.0.0`.
 * A Status node receives that text as `msg.status.text`.
 */

import type { Node, NodeStatus, StatusFill, StatusShape } from "./node-red";

export type StatusParams = Record<string, string | number>;

export interface StatusView {
  fill: StatusFill;
  shape: StatusShape;
  /** A key in this package's catalogues, or a core `node-red:` key. */
  key: string;
  params?: StatusParams;
}

export function view(fill: StatusFill, shape: StatusShape, key: string, params?: StatusParams): StatusView {
  return params === undefined ? { fill, shape, key } : { fill, shape, key, params };
}

/** The status text for a key and its parameters, in the compact form above. */
export function statusText(key: string, params?: StatusParams): string {
  if (params === undefined) return key;
  const pairs = Object.entries(params).map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`);
  return pairs.length === 0 ? key : `${key}?${pairs.join("&")}`;
}

/** The key and parameters of a status text; the inverse of statusText. */
export function parseStatusText(text: string): { key: string; params: Record<string, string> } {
  const q = text.indexOf("?");
  if (q < 0) return { key: text, params: {} };
  const params: Record<string, string> = {};
  for (const pair of text.slice(q + 1).split("&")) {
    const eq = pair.indexOf("=");
    if (eq > 0) params[decodeURIComponent(pair.slice(0, eq))] = decodeURIComponent(pair.slice(eq + 1));
  }
  return { key: text.slice(0, q), params };
}

/**
 * A duration a person reads at a glance: µs below 1 ms, ms below 1 s
 * (one decimal below 10 ms), s above.
 */
export function duration(us: number): string {
  if (!Number.isFinite(us) || us < 0) return "?";
  if (us < 999.5) return `${Math.round(us)} µs`;
  const ms = us / 1000;
  if (ms < 9.95) return `${ms.toFixed(1)} ms`;
  if (ms < 999.5) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  return s < 9.95 ? `${s.toFixed(1)} s` : `${Math.round(s)} s`;
}

/** A count in at most four characters: 999, 1.2k, 12k, 123k, 1.2M. */
export function count(n: number): string {
  if (n < 1000) return String(n);
  for (const [unit, size] of [["k", 1e3], ["M", 1e6], ["G", 1e9]] as const) {
    const v = n / size;
    if (v < 9.95) return `${v.toFixed(1)}${unit}`;
    if (v < 999.5) return `${Math.round(v)}${unit}`;
  }
  return `${Math.round(n / 1e9)}G`;
}

export function render(v: StatusView): NodeStatus {
  return { fill: v.fill, shape: v.shape, text: statusText(v.key, v.params) };
}

/**
 * One node's own status line. It writes only when the text changes, so a
 * node that reports per msg costs no status traffic at stream rates.
 *
 * The session writes its state on every node that uses it, through
 * `user()` below. A node whose configuration is broken, or whose last
 * input was refused, shows a red fault (`fail`) that stays in view while
 * the session is ready, until the node shows anything else (a later input
 * or state that succeeded); a session that is not ready shows over it,
 * since nothing works until it is, and the fault comes back when it is.
 */
export class StatusLine {
  private shown = "";
  private fault: NodeStatus | undefined;

  constructor(private readonly node: Pick<Node, "status">) {}

  show(v: StatusView): void {
    this.fault = undefined;
    this.write(render(v));
  }

  /** Shows a fault that stays until the node shows something else. */
  fail(v: StatusView): void {
    this.fault = render(v);
    this.write(this.fault);
  }

  /** The session's state, as the session writes it on its users. */
  session(status: NodeStatus): void {
    this.write(this.fault !== undefined && status.fill === "green" ? this.fault : status);
  }

  /** What the session registers as this node, so that its state reaches the node through this line. */
  user(id: string): { id: string; status: (status: NodeStatus) => void } {
    return { id, status: (status) => this.session(status) };
  }

  private write(status: NodeStatus): void {
    const key = `${status.fill}|${status.shape}|${status.text}`;
    if (key === this.shown) return;
    this.shown = key;
    this.node.status(status);
  }
}
