/**
 * The hi6-session node's configuration, checked once at deploy. The editor
 * stores numbers typed into text fields as strings, so numeric strings are
 * accepted; anything else that would make a connection attempt pointless is
 * refused with a message key that says which field is wrong.
 */

import { numberSetting } from "./number-setting";
import { MAJOR_MIN, PORT_MAX, PORT_MIN } from "./editor-limits";

export interface SessionDef {
  host?: unknown;
  port?: unknown;
  major?: unknown;
  restPort?: unknown;
  reconnect?: unknown;
}

export interface SessionConfig {
  host: string;
  port: number;
  major: number;
  restPort: number;
  reconnect: boolean;
}

export const SESSION_DEFAULTS: SessionConfig = { host: "127.0.0.1", port: 49000, major: 1, restPort: 8888, reconnect: true };

export type SessionConfigCheck =
  | { ok: true; config: SessionConfig }
  | { ok: false; field: keyof SessionConfig; key: string; value: string };

function toInteger(v: unknown): number | undefined {
  const n = numberSetting(v);
  return n !== undefined && Number.isInteger(n) ? n : undefined;
}

function isPort(n: number | undefined): n is number {
  return n !== undefined && n >= PORT_MIN && n <= PORT_MAX;
}

function shown(v: unknown): string {
  return typeof v === "string" ? JSON.stringify(v) : String(v);
}

export function checkSessionConfig(def: SessionDef): SessionConfigCheck {
  const host = typeof def.host === "string" ? def.host.trim() : "";
  if (host === "") return { ok: false, field: "host", key: "hi6-session.errors.invalidHost", value: shown(def.host) };

  const port = toInteger(def.port);
  if (!isPort(port)) return { ok: false, field: "port", key: "hi6-session.errors.invalidPort", value: shown(def.port) };

  // An absent major means a flow saved before the field existed: use the default.
  const major = def.major === undefined || def.major === "" ? SESSION_DEFAULTS.major : toInteger(def.major);
  if (major === undefined || major < MAJOR_MIN) return { ok: false, field: "major", key: "hi6-session.errors.invalidMajor", value: shown(def.major) };

  const restPort = def.restPort === undefined || def.restPort === "" ? SESSION_DEFAULTS.restPort : toInteger(def.restPort);
  if (!isPort(restPort)) return { ok: false, field: "restPort", key: "hi6-session.errors.invalidRestPort", value: shown(def.restPort) };

  const reconnect = def.reconnect === undefined ? SESSION_DEFAULTS.reconnect : def.reconnect === true || def.reconnect === "true";
  return { ok: true, config: { host, port, major, restPort, reconnect } };
}
