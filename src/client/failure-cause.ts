import type { FailureCause } from "./types";

/**
 * A name that does not resolve, a port nobody listens on and a host out of
 * reach each need a different fix, so a socket error's errno is told apart;
 * once a session was ready, any of them is a lost connection.
 */
export function causeOf(code: string | undefined, wasReady: boolean): FailureCause {
  switch (code) {
    case "ENOTFOUND":
    case "EAI_AGAIN":
    case "EAI_NONAME":
    case "EAI_FAIL":
      return "name_not_resolved";
    case "ECONNREFUSED":
      return "refused";
    case "EHOSTUNREACH":
    case "ENETUNREACH":
    case "EHOSTDOWN":
    case "ETIMEDOUT":
      return wasReady ? "connection_lost" : "unreachable";
    default:
      return wasReady ? "connection_lost" : "closed_by_peer";
  }
}
