/**
 * With trace on, the demo reports every message that reaches a node, so a
 * test can watch real flows run: which node got it, and the parts of the
 * msg that flows act on.
 */

export interface TraceEvent {
  /** Id and type of the node the message reached. */
  node: string;
  type: string;
  /** JSON of `{topic, payload, error, status}` (what the msg has of them); large payloads are cut. */
  msg: string;
}

/** Beyond this, a payload is replaced by its size, to keep IPC light while a trajectory streams. */
const MAX_PAYLOAD_CHARS = 16_384;

function json(value: unknown): string {
  try {
    return JSON.stringify(value) ?? "null";
  } catch {
    return JSON.stringify(String(value));
  }
}

export function traceEvent(node: { id: string; type: string }, msg: Record<string, unknown>): TraceEvent {
  const parts: string[] = [];
  for (const key of ["topic", "payload", "error", "status"] as const) {
    if (msg[key] === undefined) continue;
    let text = json(msg[key]);
    if (key === "payload" && text.length > MAX_PAYLOAD_CHARS) text = json({ truncated: text.length });
    parts.push(`${JSON.stringify(key)}:${text}`);
  }
  return { node: node.id, type: node.type, msg: `{${parts.join(",")}}` };
}
