/**
 * Recipes: the NDJSON lines a client sends. Builders return plain typed
 * objects; `encodeRecipe` turns one into exactly one line.
 */

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

export function handshakeRecipe(major: number): Recipe {
  return { cmd: "HANDSHAKE", payload: { major } };
}

export function monitorRecipe(payload: MonitorPayload): Recipe {
  return { cmd: "MONITOR", payload };
}

export function controlRecipe(payload: ControlPayload): Recipe {
  return { cmd: "CONTROL", payload };
}

export function stopRecipe(target: StopTarget): Recipe {
  return { cmd: "STOP", payload: { target } };
}

/** One recipe as one compact NDJSON line, newline included. */
export function encodeRecipe(recipe: Recipe): string {
  return JSON.stringify(recipe) + "\n";
}
