/**
 * Where a server error goes, decided from the error catalogue alone. Events
 * carry no request id (manual §2), so an error is matched to the recipe
 * awaiting its ack only when that recipe's table in the manual lists the
 * code; a code the catalogue does not know never settles a recipe, since
 * nothing says what it answers. The rest go to the latest CONTROL sender
 * when a CONTROL can draw them, and to the session otherwise.
 */

import type { AckKind } from "./ack-queue";
import { ClientAction, ERROR_CATALOGUE } from "../protocol/errors";

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
