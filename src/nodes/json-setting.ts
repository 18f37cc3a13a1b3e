/**
 * JSON typed into a node's edit dialog (args, body) is parsed once, at
 * deploy, so a typo shows on the node's status instead of on every msg.
 */

export type JsonSetting<T> = { ok: true; value: T } | { ok: false; reason: string };

function parse(text: unknown): { ok: true; value: unknown } | { ok: false; reason: string } {
  if (text === undefined || text === null || (typeof text === "string" && text.trim() === "")) return { ok: true, value: {} };
  if (typeof text !== "string") return { ok: true, value: text };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    return { ok: false, reason: err instanceof Error ? err.message : String(err) };
  }
}

/** A JSON object (args). Empty means `{}`. */
export function jsonObjectSetting(text: unknown): JsonSetting<Record<string, unknown>> {
  const r = parse(text);
  if (!r.ok) return r;
  const v = r.value;
  if (typeof v !== "object" || v === null || Array.isArray(v)) return { ok: false, reason: "not a JSON object" };
  return { ok: true, value: v as Record<string, unknown> };
}

/** A JSON object or array (a CONTROL body). Empty means `{}`. */
export function jsonBodySetting(text: unknown): JsonSetting<Record<string, unknown> | unknown[]> {
  const r = parse(text);
  if (!r.ok) return r;
  const v = r.value;
  if (typeof v !== "object" || v === null) return { ok: false, reason: "not a JSON object or array" };
  return { ok: true, value: v as Record<string, unknown> | unknown[] };
}
