/**
 * Recipes: the NDJSON lines a client sends. Builders return plain typed
 * objects; `encodeRecipe` turns one into exactly one line. Builders and the
 * encoder both refuse what is not plain JSON data, so no value is ever
 * converted on its way to the wire, whoever built the recipe.
 */

import { Hi6Error } from "./errors";
import { checkJsonData } from "./json-data";

export type JsonObject = { [key: string]: unknown };

export const STOP_TARGETS = ["session", "control", "monitor"] as const;
export type StopTarget = (typeof STOP_TARGETS)[number];

export const CONTROL_METHODS = ["POST", "PUT", "DELETE"] as const;
export type ControlMethod = (typeof CONTROL_METHODS)[number];

export interface HandshakePayload {
  major: number;
}

export interface MonitorPayload {
  method: "GET";
  url: string;
  period_ms: number;
  args?: JsonObject;
}

export interface ControlPayload {
  method: ControlMethod;
  url: string;
  args?: JsonObject;
  body?: JsonObject | unknown[];
}

export interface StopPayload {
  target: StopTarget;
}

export type Recipe =
  | { cmd: "HANDSHAKE"; payload: HandshakePayload }
  | { cmd: "MONITOR"; payload: MonitorPayload }
  | { cmd: "CONTROL"; payload: ControlPayload }
  | { cmd: "STOP"; payload: StopPayload };

export type RecipeCommand = Recipe["cmd"];
export const RECIPE_COMMANDS: readonly RecipeCommand[] = ["HANDSHAKE", "MONITOR", "CONTROL", "STOP"];

function within(path: string, root: string): boolean {
  return path === root || path.startsWith(`${root}.`) || path.startsWith(`${root}[`);
}

/** Throws unless the whole payload is plain JSON data; a bad body or args carries the code the server gives it. */
function requirePlainPayload(payload: object): void {
  const verdict = checkJsonData(payload, "payload");
  if (verdict.ok) return;
  const code = within(verdict.path, "payload.body") ? "invalid_body" : within(verdict.path, "payload.args") ? "invalid_args" : "invalid_payload";
  const where = verdict.path === "payload" ? "payload" : verdict.path.slice("payload.".length);
  throw new Hi6Error(code, `${where}: ${verdict.reason}`);
}

export function handshakeRecipe(major: number): Recipe {
  return { cmd: "HANDSHAKE", payload: { major } };
}

export function monitorRecipe(payload: MonitorPayload): Recipe {
  requirePlainPayload(payload);
  return { cmd: "MONITOR", payload };
}

export function controlRecipe(payload: ControlPayload): Recipe {
  requirePlainPayload(payload);
  return { cmd: "CONTROL", payload };
}

export function stopRecipe(target: StopTarget): Recipe {
  return { cmd: "STOP", payload: { target } };
}

/** One recipe as one compact NDJSON line, newline included. */
export function encodeRecipe(recipe: Recipe): string {
  requirePlainPayload(recipe.payload);
  return JSON.stringify(recipe) + "\n";
}
