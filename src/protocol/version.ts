/**
 * The server's protocol version in handshake_ack, and whether its MAJOR is
 * the session's. The vendor's manual lists the ack's `version` as optional,
 * a `MAJOR.MINOR.PATCH` string, and says the server validates only MAJOR
 * and acks a HANDSHAKE only when it matches. So:
 * - no version: the ack itself is the server's word that MAJOR matched;
 *   the session goes on (it shows the version as "?").
 * - a version whose MAJOR differs: version_mismatch, whatever the ack says.
 * - a version that is there but cannot be read (not a string, or not
 *   MAJOR.MINOR.PATCH): the server is not following the manual, so nothing
 *   it says about MAJOR can be trusted; the session fails closed with
 *   version_mismatch.
 */

/** MAJOR.MINOR.PATCH, MINOR and PATCH optional, with an optional pre-release or build suffix. */
const VERSION = /^(0|[1-9]\d{0,8})(?:\.(?:0|[1-9]\d*)){0,2}(?:[-+][0-9A-Za-z.+-]*)?$/;

/** MAJOR of the ack's `version` field: undefined when there is none, null when it cannot be read. */
export function versionMajor(version: unknown): number | null | undefined {
  if (version === undefined) return undefined;
  if (typeof version !== "string") return null;
  const m = VERSION.exec(version);
  return m === null ? null : Number(m[1]);
}

/** Why an acked HANDSHAKE still cannot be used, or undefined when it can. */
export function versionProblem(ack: { version?: string; major?: number | null }, clientMajor: number): { message: string; hint: string } | undefined {
  if (ack.major === undefined) return undefined;
  if (ack.major === null) {
    const shown = ack.version === undefined ? "a version that is not a string" : `version ${JSON.stringify(ack.version.slice(0, 40))}`;
    return {
      message: `handshake_ack carries ${shown}, not MAJOR.MINOR.PATCH, so its MAJOR cannot be checked against ${clientMajor}`,
      hint: "check that host and port point at an Open Stream server",
    };
  }
  if (ack.major === clientMajor) return undefined;
  return { message: `handshake_ack reports version ${ack.version ?? "?"}, server major ${ack.major}`, hint: `set the session's major to ${ack.major}` };
}
