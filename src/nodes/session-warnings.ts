/**
 * The sentence behind a session's short failure status. It goes to the log
 * and the debug sidebar once per distinct cause, not at every retry: a
 * session that keeps failing the same way says so once, and says again only
 * when the cause changes or after it was ready in between.
 */

import { DEFAULT_BACKOFF } from "../client/backoff";
import type { FailureCause, StateChange } from "../client/types";
import type { Translate } from "./node-red";
import { serverVersion } from "./session-status";

const CAUSE_SENTENCE: { readonly [C in FailureCause]: string } = {
  name_not_resolved: "hi6-session.warnings.noHost",
  refused: "hi6-session.warnings.refused",
  unreachable: "hi6-session.warnings.unreachable",
  connect_timeout: "hi6-session.warnings.connectTimeout",
  no_handshake_answer: "hi6-session.warnings.noAnswer",
  handshake_rejected: "hi6-session.warnings.rejected",
  closed_by_peer: "hi6-session.warnings.hungUp",
  connection_lost: "hi6-session.warnings.lost",
  stalled: "hi6-session.warnings.stalled",
};

/** The sentence for a state change that carries a failure, or undefined when it carries none. */
export function failureSentence(change: StateChange, major: number, translate: Translate): string | undefined {
  const f = change.failure;
  if (f === undefined) return undefined;
  const code = change.error?.code ?? f.code;
  const params = { address: f.address, code, message: change.error?.message ?? f.message, client: major, server: serverVersion(change) ?? "?" };
  let key = CAUSE_SENTENCE[f.cause];
  if (code === "version_mismatch") key = "hi6-session.warnings.versionMismatch";
  else if (code === "busy_session_active") key = "hi6-session.warnings.busy";
  else if (code === "stall_detected") key = CAUSE_SENTENCE.stalled;
  const what = translate(key, params);
  switch (change.state) {
    case "backoff":
      return `${what} ${translate("hi6-session.warnings.retrying", { min: DEFAULT_BACKOFF.initialMs / 1000, max: DEFAULT_BACKOFF.maxMs / 1000 })}`;
    case "failed":
      return `${what} ${translate("hi6-session.warnings.retryingSlowly", { seconds: Math.round((change.retryInMs ?? 60_000) / 1000) })}`;
    case "disconnected":
      return `${what} ${translate("hi6-session.warnings.notRetrying")}`;
    default:
      return what;
  }
}

export class FailureReport {
  /** The cause last reported, until the session is ready again. */
  private last: string | undefined;

  constructor(
    private readonly report: (sentence: string) => void,
    private readonly translate: Translate,
  ) {}

  state(change: StateChange, major: number): void {
    if (change.state === "ready") {
      this.last = undefined;
      return;
    }
    if (change.failure === undefined) return;
    const cause = `${change.failure.cause}|${change.error?.code ?? change.failure.code}`;
    if (cause === this.last) return;
    const sentence = failureSentence(change, major, this.translate);
    if (sentence === undefined) return;
    this.last = cause;
    this.report(sentence);
  }
}
