/**
 * A number from a node's saved configuration. The editor saves its fields
 * as strings and older flows hold numbers, so both are read; a blank field,
 * text that is not a number, or a non-finite value is no setting at all.
 */
export function numberSetting(v: unknown): number | undefined {
  const n = typeof v === "string" && v.trim() !== "" ? Number(v) : v;
  return typeof n === "number" && Number.isFinite(n) ? n : undefined;
}
