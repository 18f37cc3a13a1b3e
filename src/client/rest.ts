/** Plain HTTP reads of the controller's Open API, for state that Open Stream does not carry on request. */

import * as http from "node:http";
import { Hi6Error } from "../protocol/errors";
import { JOINT_STATES_PATH, RGEN_PATH, TRAJ_BUF_AVAIL_PATH } from "../protocol/openapi";
import type { JsonObject } from "../protocol/recipes";
import { isJsonObject } from "../protocol/validate";

/** A GET's status and JSON body; rejects with rest_failed when there is no answer or it is not JSON. */
function getJson(host: string, port: number, path: string, timeoutMs: number, agent?: http.Agent): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    // Without an agent of the caller's, a connection of its own: a kept-alive socket the server has just closed would fail the read.
    const req = http.get({ host, port, path, timeout: timeoutMs, agent: agent ?? false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let body: unknown;
        try {
          body = text === "" ? undefined : JSON.parse(text);
        } catch {
          return reject(new Hi6Error("rest_failed", `GET ${path} did not answer JSON`));
        }
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    req.on("timeout", () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on("error", (err) => reject(new Hi6Error("rest_failed", `GET http://${host}:${port}${path}: ${err.message}`)));
  });
}

function okObject(reply: { status: number; body: unknown }, path: string, host: string, port: number): JsonObject {
  if (reply.status !== 200) throw new Hi6Error("rest_failed", `GET ${path} on ${host}:${port} answered HTTP ${reply.status}`);
  if (!isJsonObject(reply.body)) throw new Hi6Error("rest_failed", `GET ${path} did not answer a JSON object`);
  return reply.body;
}

/** The current joint positions in degrees, from GET joint_states. */
export async function readJointPositions(host: string, port: number, timeoutMs = 2000): Promise<number[]> {
  const body = okObject(await getJson(host, port, JOINT_STATES_PATH, timeoutMs), JOINT_STATES_PATH, host, port);
  const position = body.position;
  if (!Array.isArray(position) || position.length === 0 || !position.every((v) => typeof v === "number" && Number.isFinite(v))) {
    throw new Hi6Error("rest_failed", `GET ${JOINT_STATES_PATH} has no position array`);
  }
  return position as number[];
}

/** Free slots in the controller's trajectory buffer, from GET joint_traject_buf_avail. */
export async function readBufferAvailable(host: string, port: number, timeoutMs = 1000, agent?: http.Agent): Promise<number> {
  const body = okObject(await getJson(host, port, TRAJ_BUF_AVAIL_PATH, timeoutMs, agent), TRAJ_BUF_AVAIL_PATH, host, port);
  const val = body.val;
  if (typeof val !== "number" || !Number.isInteger(val) || val < 0) throw new Hi6Error("rest_failed", `GET ${TRAJ_BUF_AVAIL_PATH} has no whole val`);
  return val;
}

/**
 * Whether a program is playing back (GET /project/rgen `is_playback`), or
 * "absent" when the controller answers 404: it does not offer the endpoint.
 */
export async function readPlayback(host: string, port: number, timeoutMs = 2000): Promise<"playing" | "stopped" | "absent"> {
  const reply = await getJson(host, port, RGEN_PATH, timeoutMs);
  if (reply.status === 404) return "absent";
  const body = okObject(reply, RGEN_PATH, host, port);
  if (typeof body.is_playback !== "boolean") throw new Hi6Error("rest_failed", `GET ${RGEN_PATH} has no is_playback`);
  return body.is_playback ? "playing" : "stopped";
}
