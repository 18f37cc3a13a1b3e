/**
 * One HANDSHAKE to a controller and nothing else: the session dialog's
 * "Test connection". It connects to exactly the address it is given, sends
 * HANDSHAKE, reads the answer, and closes the socket whatever happens, all
 * within one time limit.
 */

import * as net from "node:net";
import { NdjsonFramer } from "../protocol/framer";
import { parseServerLine } from "../protocol/events";
import { encodeRecipe, handshakeRecipe } from "../protocol/recipes";
import { versionProblem } from "../protocol/version";
import { causeOf } from "./failure-cause";
import type { FailureCause } from "./types";

export type ProbeResult =
  | { ok: true; version: string }
  | { ok: false; cause: FailureCause; code?: string; detail?: string };

export interface ProbeTarget {
  host: string;
  port: number;
  major: number;
}

/** A HANDSHAKE answer is one short line; anything longer is not an Open Stream server. */
const MAX_ANSWER_BYTES = 64 * 1024;

export function probeHandshake(target: ProbeTarget, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    let connected = false;
    let settled = false;
    const socket = net.connect({ host: target.host, port: target.port });
    const finish = (result: ProbeResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => {
      finish({ ok: false, cause: connected ? "no_handshake_answer" : "connect_timeout", detail: String(timeoutMs / 1000) });
    }, timeoutMs);
    const framer = new NdjsonFramer(
      {
        line: (text) => {
          const parsed = parseServerLine(text);
          if (!parsed.ok) return finish({ ok: false, cause: "handshake_rejected", code: parsed.reason });
          const event = parsed.event;
          if (event.type === "error") return finish({ ok: false, cause: "handshake_rejected", code: event.code, detail: event.message });
          if (event.type !== "handshake_ack") return; // data or a late ack of someone else's: keep waiting
          if (!event.ok) return finish({ ok: false, cause: "handshake_rejected", code: "handshake_rejected" });
          const problem = versionProblem(event, target.major);
          if (problem !== undefined) return finish({ ok: false, cause: "handshake_rejected", code: "version_mismatch", detail: problem.message });
          finish({ ok: true, version: event.version ?? "?" });
        },
        overflow: () => finish({ ok: false, cause: "handshake_rejected", code: "rx_buf_overflow" }),
      },
      { maxLineBytes: MAX_ANSWER_BYTES },
    );
    socket.on("connect", () => {
      connected = true;
      socket.write(encodeRecipe(handshakeRecipe(target.major)));
    });
    socket.on("data", (chunk: Buffer) => framer.push(chunk));
    socket.on("error", (err: NodeJS.ErrnoException) => finish({ ok: false, cause: causeOf(err.code, false), code: err.code }));
    socket.on("close", () => finish({ ok: false, cause: "closed_by_peer" }));
  });
}
