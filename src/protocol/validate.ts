/**
 * Payload rules of the four recipes, with the server's error codes. The
 * client runs them before anything is written, so that input the server
 * would reject never reaches the wire; the simulator runs the same rules as
 * the server.
 */

import {
  CONTROL_METHODS,
  ControlMethod,
  ControlPayload,
  HandshakePayload,
  JsonObject,
  MonitorPayload,
  Recipe,
  RECIPE_COMMANDS,
  RecipeCommand,
  STOP_TARGETS,
  StopPayload,
  StopTarget,
} from "./recipes";
import { checkJsonData } from "./json-data";

declare const checkedBrand: unique symbol;

/**
 * A payload that passed its recipe's rules. Only the validators here make
 * one, so code that takes a `Checked` payload needs no second check: input
 * is validated once, where it enters, and the type carries the proof.
 */
export type Checked<T> = T & { readonly [checkedBrand]: true };

/** Something the rules corrected rather than refused, e.g. a clamped period. */
export interface ValidationWarning {
  code: string;
  message: string;
  params: Record<string, number | string>;
}

export type Validation<T> =
  | { ok: true; value: Checked<T>; warnings: ValidationWarning[] }
  | { ok: false; code: string; message: string };

export const PERIOD_MIN_MS = 2;
export const PERIOD_MAX_MS = 30000;
export const URL_MAX_LENGTH = 2048;

function fail<T>(code: string, message: string): Validation<T> {
  return { ok: false, code, message };
}

function pass<T>(value: T, warnings: ValidationWarning[] = []): Validation<T> {
  return { ok: true, value: value as Checked<T>, warnings };
}

export function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function has(obj: JsonObject, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key) && obj[key] !== undefined;
}

/**
 * The url rules shared by MONITOR and CONTROL. Any
 * whitespace counts as a space: a tab or newline in a REST path is never
 * what the user meant. The 2048-character limit is MONITOR's alone: the
 * manual gives CONTROL none, and a client must not invent one.
 */
function checkUrl(payload: JsonObject): Validation<string> {
  if (!has(payload, "url")) return fail("missing_url", "url is required");
  const url = payload.url;
  if (typeof url !== "string") return fail("invalid_url", "url must be a string");
  if (!url.startsWith("/")) return fail("invalid_url", `url must start with "/": ${JSON.stringify(url.slice(0, 80))}`);
  if (/\s/.test(url)) return fail("invalid_url", `url must not contain spaces: ${JSON.stringify(url.slice(0, 80))}`);
  return pass(url);
}

function checkMonitorUrl(payload: JsonObject): Validation<string> {
  const url = checkUrl(payload);
  if (url.ok && url.value.length > URL_MAX_LENGTH) return fail("url_too_long", `url is ${url.value.length} characters; MONITOR allows ${URL_MAX_LENGTH}`);
  return url;
}

/** Only plain JSON data is ever encoded: what JSON would convert or drop is refused with `code`, naming where it is. */
function checkPlain<T>(value: T, path: string, code: string): Validation<T> {
  const verdict = checkJsonData(value, path);
  return verdict.ok ? pass(value) : fail(code, `${verdict.path}: ${verdict.reason}`);
}

function checkArgs(payload: JsonObject): Validation<JsonObject | undefined> {
  if (!has(payload, "args")) return pass(undefined);
  if (!isJsonObject(payload.args)) return fail("invalid_args", "args must be a JSON object");
  return checkPlain(payload.args, "args", "invalid_args");
}

export function validateHandshakePayload(payload: unknown): Validation<HandshakePayload> {
  if (!isJsonObject(payload)) return fail("invalid_payload", "payload must be a JSON object");
  if (!has(payload, "major")) return fail("missing_major", "major is required");
  const major = payload.major;
  if (typeof major !== "number" || !Number.isInteger(major)) return fail("invalid_major_type", "major must be an integer");
  if (major < 0) return fail("invalid_version", "major must be 0 or greater");
  return pass({ major });
}

export function validateMonitorPayload(payload: unknown): Validation<MonitorPayload> {
  if (!isJsonObject(payload)) return fail("invalid_payload", "payload must be a JSON object");
  const url = checkMonitorUrl(payload);
  if (!url.ok) return url;
  if (!has(payload, "method")) return fail("missing_method", "method is required");
  if (payload.method !== "GET") return fail("invalid_method", `MONITOR method must be "GET", not ${JSON.stringify(payload.method)}`);
  if (!has(payload, "period_ms")) return fail("missing_period_ms", "period_ms is required");
  const period = payload.period_ms;
  if (typeof period !== "number" || !Number.isInteger(period)) return fail("invalid_period", "period_ms must be an integer");
  const args = checkArgs(payload);
  if (!args.ok) return args;

  const warnings: ValidationWarning[] = [];
  const clamped = clampPeriod(period);
  if (clamped !== period) {
    warnings.push({
      code: "period_clamped",
      message: `period_ms ${period} is outside ${PERIOD_MIN_MS}..${PERIOD_MAX_MS} and was clamped to ${clamped}`,
      params: { period, clamped },
    });
  }
  const value: MonitorPayload = { method: "GET", url: url.value, period_ms: clamped };
  if (args.value !== undefined) value.args = args.value;
  return pass(value, warnings);
}

function clampPeriod(periodMs: number): number {
  return Math.min(PERIOD_MAX_MS, Math.max(PERIOD_MIN_MS, periodMs));
}

export function validateControlPayload(payload: unknown): Validation<ControlPayload> {
  if (!isJsonObject(payload)) return fail("invalid_payload", "payload must be a JSON object");
  const url = checkUrl(payload);
  if (!url.ok) return url;
  if (!has(payload, "method")) return fail("missing_method", "method is required");
  const method = payload.method;
  if (typeof method !== "string" || !(CONTROL_METHODS as readonly string[]).includes(method)) {
    return fail("invalid_method", `CONTROL method must be POST, PUT or DELETE, not ${JSON.stringify(method)}`);
  }
  const args = checkArgs(payload);
  if (!args.ok) return args;
  const value: ControlPayload = { method: method as ControlMethod, url: url.value };
  if (args.value !== undefined) value.args = args.value;
  if (has(payload, "body")) {
    const body = payload.body;
    if (typeof body !== "object" || body === null) return fail("invalid_body", "body must be a JSON object or array");
    const plain = checkPlain(body, "body", "invalid_body");
    if (!plain.ok) return plain;
    value.body = body as JsonObject | unknown[];
  }
  return pass(value);
}

export function validateStopPayload(payload: unknown): Validation<StopPayload> {
  if (!isJsonObject(payload)) return fail("invalid_payload", "payload must be a JSON object");
  if (!has(payload, "target")) return fail("missing_target", "target is required");
  const target = payload.target;
  if (typeof target !== "string" || !(STOP_TARGETS as readonly string[]).includes(target)) {
    return fail("invalid_target", `target must be session, control or monitor, not ${JSON.stringify(target)}`);
  }
  return pass({ target: target as StopTarget });
}

/**
 * The envelope of a parsed line: that it is an object naming a known cmd.
 * A server checks this before the handshake rule, and the payload after it.
 */
export function validateEnvelope(line: unknown): Validation<RecipeCommand> {
  if (!isJsonObject(line)) return fail("invalid_ndjson", "each line must be one JSON object");
  if (!has(line, "cmd")) return fail("missing_field", "cmd is required");
  const cmd = line.cmd;
  if (typeof cmd !== "string") return fail("invalid_type", "cmd must be a string");
  if (!(RECIPE_COMMANDS as readonly string[]).includes(cmd)) return fail("invalid_cmd", `unsupported cmd ${JSON.stringify(cmd.slice(0, 40))}`);
  return pass(cmd as RecipeCommand);
}

/** A whole parsed line, as the server sees it: `{cmd, payload}`. */
export function validateRecipe(line: unknown): Validation<Recipe> {
  const envelope = validateEnvelope(line);
  if (!envelope.ok) return envelope;
  const payload = (line as JsonObject).payload;
  const cmd: RecipeCommand = envelope.value;
  switch (cmd) {
    case "HANDSHAKE": {
      const r = validateHandshakePayload(payload);
      return r.ok ? pass({ cmd: "HANDSHAKE", payload: r.value }, r.warnings) : r;
    }
    case "MONITOR": {
      const r = validateMonitorPayload(payload);
      return r.ok ? pass({ cmd: "MONITOR", payload: r.value }, r.warnings) : r;
    }
    case "CONTROL": {
      const r = validateControlPayload(payload);
      return r.ok ? pass({ cmd: "CONTROL", payload: r.value }, r.warnings) : r;
    }
    case "STOP": {
      const r = validateStopPayload(payload);
      return r.ok ? pass({ cmd: "STOP", payload: r.value }, r.warnings) : r;
    }
  }
}
