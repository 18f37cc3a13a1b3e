/**
 * A buffered-mode run inside the session worker: the plan uploaded in
 * insert_points batches through the session's connection (CONTROL), with
 * the buffer level read over the controller's Open API HTTP port.
 *
 * Why HTTP for the level, and not a MONITOR: a connection carries one
 * MONITOR, and during a run that one is already taken by the run's proof of
 * life (the user's own MONITOR sped up, or the run's own joint_states; see
 * trajectory-host.ts). Pointing it at joint_traject_buf_avail would take the
 * joint states away from the flows that watch them, or the level away from
 * the run whenever a flow re-arms its MONITOR. A read over HTTP is the
 * run's alone, answers exactly when asked, and its failure is plain to see,
 * so the run can fail closed on it. It costs a loopback or LAN round trip
 * every POLL_MS, on a keep-alive connection.
 *
 * A batch the controller refuses (control_err for the run's CONTROL) leaves
 * a gap in the motion, so it ends the run (upload_refused): the host
 * (trajectory-host.ts) listens for it in both modes and passes `refused`.
 */

import * as http from "node:http";
import type { OpenStreamClient } from "../../client/OpenStreamClient";
import { readBufferAvailable } from "../../client/rest";
import { runBuffered } from "../../trajectory/buffered";
import type { TrajectoryPlan } from "../../trajectory/plan";
import type { AbortReason } from "../../trajectory/abort";
import type { TrajectoryRun } from "../../trajectory/runner";
import type { TrajectoryRequest } from "./messages";

/** ms a buffer read may take before the run ends as buffer_unknown. */
export const BUFFER_READ_TIMEOUT_MS = 500;
/**
 * The shortest silence that ends a buffered run (controller_silent). Stream
 * mode's window follows its look-ahead, because that is all the controller
 * holds; here the controller holds seconds of motion and is fed only on
 * the room it reports, so a silent controller is not overfed, and the run
 * can wait this long before it calls the connection dead.
 */
export const BUFFERED_MIN_SILENCE_MS = 1000;

export function startBufferedRun(
  client: OpenStreamClient,
  plan: TrajectoryPlan,
  p: TrajectoryRequest,
  silenceNs: bigint,
  refused: () => AbortReason | undefined,
  onProgress: (progress: { sent: number; total: number; p99_us: number }) => void,
): TrajectoryRun {
  const api = p.openApi;
  const windowNs = silenceNs > BigInt(BUFFERED_MIN_SILENCE_MS) * 1_000_000n ? silenceNs : BigInt(BUFFERED_MIN_SILENCE_MS) * 1_000_000n;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const run = runBuffered(
    plan,
    {
      write: (line) => client.writeLine(line, p.tag),
      readAvailable: async () => {
        if (api === undefined) throw new Error("no Open API address");
        try {
          return await readBufferAvailable(api.host, api.port, BUFFER_READ_TIMEOUT_MS, agent);
        } catch {
          // Once more on a fresh connection: the kept-alive one may have been closed by the controller between reads.
          return readBufferAvailable(api.host, api.port, BUFFER_READ_TIMEOUT_MS);
        }
      },
    },
    {
      sendInit: p.sendInit,
      ...(p.initBody !== undefined && { initBody: p.initBody }),
      gate: (now) => refused() ?? (now - client.lastHeardAt > windowNs ? "controller_silent" : undefined),
      onProgress,
    },
  );
  const cleanUp = (): void => {
    agent.destroy();
  };
  run.done.then(cleanUp, cleanUp);
  return run;
}
