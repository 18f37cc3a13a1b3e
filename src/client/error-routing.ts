/**
 * Where a server error goes, decided from the error catalogue alone. Events
 * carry no request id, so an error is matched to the recipe awaiting its ack
 * only when the catalogue lists the code among that recipe's errors; a code the catalogue does not know never settles a recipe, since
 * nothing says what it answers. The rest go to the latest CONTROL sender
 * when a CONTROL can draw them, and to the session otherwise.
 */

import type { AckKind } from "./ack-queue";
import { ClientAction, describeError, ERROR_CATALOGUE, Hi6Error } from "../protocol/errors";
import type { ControlErrEvent, ErrorEvent } from "../protocol/events";
import { isJsonObject } from "../protocol/validate";

export type ErrorRoute =
  /** Settles the recipe awaiting its ack. */
  | "pending"
  /** Raised on the node that sent the latest CONTROL. */
  | "control"
  /** The session's own error path: logged, shown, never one node's. */
  | "session";

export interface ErrorDecision {
  route: ErrorRoute;
  /** What the client does about the code, from the catalogue; "report" for codes it does not know. */
  action: ClientAction;
}

export function routeServerError(code: string, pending: AckKind | undefined): ErrorDecision {
  const info = ERROR_CATALOGUE.get(code);
  if (info === undefined) return { route: "session", action: "report" };
  // A new HANDSHAKE answers the server's request for one; only a HANDSHAKE in flight takes it as its answer.
  if (info.action === "rehandshake" && pending !== "handshake") return { route: "session", action: info.action };
  if (pending !== undefined && (info.recipes === undefined || info.recipes.includes(pending))) return { route: "pending", action: info.action };
  if (info.session === true || (info.recipes !== undefined && !info.recipes.includes("control"))) return { route: "session", action: info.action };
  return { route: "control", action: info.action };
}

/** A common error as the error the client raises: the server's message, or the catalogue's meaning when it sent none. */
export function serverErrorOf(event: ErrorEvent): Hi6Error {
  return new Hi6Error(event.code, event.message || describeError(event.code).meaning, event.hint === undefined ? {} : { hint: event.hint });
}

/**
 * What a REST error body says, for the message: its code (an alarm such as
 * E159, or an insert_points err_code) and its text (error, message or
 * err_msg, the keys the controller's endpoints use), or "" for neither.
 */
function bodyDetail(body: unknown): string {
  if (!isJsonObject(body)) return "";
  const text = ["error", "message", "err_msg"].map((k) => body[k]).find((v) => typeof v === "string");
  const code = typeof body["alarm"] === "string" ? body["alarm"] : typeof body["err_code"] === "number" ? `err_code ${body["err_code"]}` : undefined;
  const parts = [code, text].filter((p): p is string => typeof p === "string" && p !== "");
  return parts.length === 0 ? "" : `: ${parts.join(" ")}`;
}

/** control_err's own form as the error the client raises; the REST body's code and text are what a user can act on. */
export function controlErrOf(event: ControlErrEvent): Hi6Error {
  const { status, body } = event;
  const detail = bodyDetail(body);
  return new Hi6Error("control_err", status === undefined ? `the CONTROL failed${detail}` : `the CONTROL failed with HTTP ${status}${detail}`, { ...(status !== undefined && { status }), ...(body !== undefined && { body }) });
}
