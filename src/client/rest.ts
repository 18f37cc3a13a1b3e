/** Plain HTTP reads of the controller's Open API, for state that Open Stream does not carry on request. */

import * as http from "node:http";
import { Hi6Error } from "../protocol/errors";
import { JOINT_STATES_PATH } from "../protocol/openapi";
import { isJsonObject } from "../protocol/validate";

/** The current joint positions in degrees, from GET joint_states. */
export function readJointPositions(host: string, port: number, timeoutMs = 2000): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host, port, path: JOINT_STATES_PATH, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        if (res.statusCode !== 200) return reject(new Hi6Error("rest_failed", `GET ${JOINT_STATES_PATH} on ${host}:${port} answered HTTP ${res.statusCode}`));
        let body: unknown;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
        } catch {
          return reject(new Hi6Error("rest_failed", `GET ${JOINT_STATES_PATH} did not answer JSON`));
        }
        const position = isJsonObject(body) ? body.position : undefined;
        if (!Array.isArray(position) || position.length === 0 || !position.every((v) => typeof v === "number" && Number.isFinite(v))) {
          return reject(new Hi6Error("rest_failed", `GET ${JOINT_STATES_PATH} has no position array`));
        }
        resolve(position as number[]);
      });
    });
    req.on("timeout", () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on("error", (err) => reject(new Hi6Error("rest_failed", `GET http://${host}:${port}${JOINT_STATES_PATH}: ${err.message}`)));
  });
}
