/**
 * The session dialog's "Test connection": an admin endpoint that sends one
 * HANDSHAKE to the host, port and major typed in the dialog and answers
 * with the server's version or the cause of the failure. It connects to
 * that address only, once, with a time limit, and never leaves a socket
 * open (src/client/probe.ts).
 */

import { probeHandshake, ProbeResult } from "../client/probe";
import { MAJOR_MIN, PORT_MAX, PORT_MIN } from "./editor-limits";
import { SESSION_DEFAULTS } from "./session-config";
import type { NodeAPI } from "./node-red";

export const TEST_CONNECTION_PATH = "/hi6-open-stream/test-connection";
/** Connect and handshake both, so the dialog answers within a few seconds whatever the network does. */
export const TEST_CONNECTION_TIMEOUT_MS = 3000;
/** Tests at once, across all editors: a dialog needs one, and the endpoint is no port scanner. */
export const TEST_CONNECTION_MAX_IN_FLIGHT = 4;

/** A host name (RFC 1123 letters, digits, hyphens and dots), an IPv4 address or an IPv6 address, bracketed or not. */
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?|\[?[0-9A-Fa-f:.]+\]?)$/;
const HOST_MAX_LENGTH = 253;
const ENV_VAR = /^\$\{[^}]+\}$/;

export type TestInput = { ok: true; host: string; port: number; major: number } | { ok: false; detail: string };

function integerIn(v: unknown, min: number, max: number): number | undefined {
  const n = typeof v === "string" && v.trim() !== "" ? Number(v.trim()) : v;
  return typeof n === "number" && Number.isInteger(n) && n >= min && n <= max ? n : undefined;
}

/** The typed fields, checked as the session checks them at deploy; `${ENV_VAR}`s only get their value at deploy. */
export function checkTestInput(body: unknown): TestInput {
  const b = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
  for (const field of ["host", "port", "major"]) {
    if (typeof b[field] === "string" && ENV_VAR.test((b[field] as string).trim())) {
      return { ok: false, detail: `${field} ${b[field] as string} gets its value at deploy; type the value itself to test it` };
    }
  }
  const host = typeof b.host === "string" ? b.host.trim() : "";
  if (host === "" || host.length > HOST_MAX_LENGTH || !HOST.test(host)) return { ok: false, detail: `host ${JSON.stringify(String(b.host ?? "")).slice(0, 80)} is not a host name or address` };
  const port = integerIn(b.port, PORT_MIN, PORT_MAX);
  if (port === undefined) return { ok: false, detail: `port must be a whole number from ${PORT_MIN} to ${PORT_MAX}` };
  const major = b.major === undefined || b.major === "" ? SESSION_DEFAULTS.major : integerIn(b.major, MAJOR_MIN, Number.MAX_SAFE_INTEGER);
  if (major === undefined) return { ok: false, detail: `major must be a whole number of ${MAJOR_MIN} or more` };
  return { ok: true, host: host.replace(/^\[(.*)\]$/, "$1"), port, major };
}

interface Request {
  body?: unknown;
}
interface Response {
  status(code: number): Response;
  json(body: unknown): void;
}

export interface AdminAPI {
  httpAdmin?: { post(path: string, ...handlers: Array<(req: Request, res: Response, next: () => void) => void>): void };
  auth?: { needsPermission(permission: string): (req: Request, res: Response, next: () => void) => void };
}

export function registerTestConnection(RED: NodeAPI & AdminAPI): void {
  if (RED.httpAdmin === undefined || RED.auth === undefined) return;
  let inFlight = 0;
  RED.httpAdmin.post(TEST_CONNECTION_PATH, RED.auth.needsPermission("hi6-session.write"), (req, res) => {
    const input = checkTestInput(req.body);
    if (!input.ok) return res.status(400).json({ ok: false, cause: "invalid_input", detail: input.detail });
    if (inFlight >= TEST_CONNECTION_MAX_IN_FLIGHT) return res.status(429).json({ ok: false, cause: "busy", detail: "" });
    inFlight++;
    probeHandshake(input, TEST_CONNECTION_TIMEOUT_MS)
      .then((result: ProbeResult) => res.json(result))
      .finally(() => inFlight--);
  });
}
