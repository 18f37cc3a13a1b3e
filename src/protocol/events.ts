/**
 * Server events: each line from the server is parsed once, here, into a
 * typed event. Nothing downstream looks at raw JSON.
 */

import { JsonObject } from "./recipes";
import { isJsonObject } from "./validate";
import { versionMajor } from "./version";

export interface HandshakeAckEvent {
  type: "handshake_ack";
  ok: boolean;
  /** The server's protocol version, when it sent one as a string. */
  version?: string;
  /** MAJOR of the version: absent when the ack has no version, null when it has one that cannot be read. */
  major?: number | null;
}
export interface MonitorAckEvent { type: "monitor_ack" }
export interface StopAckEvent { type: "stop_ack"; target?: string }
export interface DataEvent {
  type: "data";
  ts?: number;
  svc_dur_ms?: number;
  /** The REST body, when there was one. */
  result?: unknown;
  /** The HTTP status, sent when the REST body was empty. */
  status?: number;
}
/** A CONTROL whose REST call failed. */
export interface ControlErrEvent { type: "control_err"; status?: number; body?: unknown }
/** The common error shape `{error, message, hint}`. */
export interface ErrorEvent { type: "error"; code: string; message: string; hint?: string }
/** Any other event: kept, so that a newer server never breaks the client. */
export interface UnknownEvent { type: "unknown"; name?: string; raw: JsonObject }

export type ServerEvent =
  | HandshakeAckEvent
  | MonitorAckEvent
  | StopAckEvent
  | DataEvent
  | ControlErrEvent
  | ErrorEvent
  | UnknownEvent;

export type ParsedLine =
  | { ok: true; event: ServerEvent }
  | { ok: false; reason: "invalid_json" | "not_object" };

function optNumber(v: unknown): number | undefined {
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

function optString(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

/** Copies only the fields that are present, so events stay small and exact. */
function withOptional<T extends object>(base: T, extra: Record<string, unknown>): T {
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) (base as Record<string, unknown>)[k] = v;
  return base;
}

export function toServerEvent(obj: JsonObject): ServerEvent {
  // The common error shape has no type; some servers add type "error" to it.
  if (typeof obj.error === "string" && (obj.type === undefined || obj.type === "error")) {
    return withOptional<ErrorEvent>(
      { type: "error", code: obj.error, message: optString(obj.message) ?? "" },
      { hint: optString(obj.hint) },
    );
  }
  switch (obj.type) {
    case "handshake_ack":
      return withOptional<HandshakeAckEvent>({ type: "handshake_ack", ok: obj.ok !== false }, { version: optString(obj.version), major: versionMajor(obj.version) });
    case "monitor_ack":
      return { type: "monitor_ack" };
    case "stop_ack":
      return withOptional<StopAckEvent>({ type: "stop_ack" }, { target: optString(obj.target) });
    case "data":
      return withOptional<DataEvent>(
        { type: "data" },
        { ts: optNumber(obj.ts), svc_dur_ms: optNumber(obj.svc_dur_ms), result: obj.result, status: optNumber(obj.status) },
      );
    case "control_err":
      return withOptional<ControlErrEvent>({ type: "control_err" }, { status: optNumber(obj.status), body: obj.body });
    default:
      return withOptional<UnknownEvent>({ type: "unknown", raw: obj }, { name: optString(obj.type) });
  }
}

/**
 * How a data event's line begins as the controller and the virtual
 * controller write it. Only a hint for where to parse a line: a data line
 * written another way is parsed where every line is.
 */
export const DATA_LINE_PREFIX = '{"type":"data",';

export function parseServerLine(line: string): ParsedLine {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { ok: false, reason: "invalid_json" };
  }
  if (!isJsonObject(value)) return { ok: false, reason: "not_object" };
  return { ok: true, event: toServerEvent(value) };
}
