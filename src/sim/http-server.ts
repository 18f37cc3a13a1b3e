/** The Open API over plain HTTP, as a real controller serves it on port 8888. */

import * as http from "node:http";
import { OpenApi } from "./open-api";

const MAX_BODY_BYTES = 4 * 1024 * 1024;

function queryArgs(url: URL): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const [k, v] of url.searchParams) args[k] = v;
  return args;
}

export function createRestServer(api: OpenApi): http.Server {
  return http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://sim");
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) req.destroy();
      else chunks.push(c);
    });
    req.on("end", () => {
      let body: unknown;
      if (size > 0) {
        try {
          body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
        } catch {
          res.writeHead(400, { "content-type": "application/json" }).end('{"error":"body is not JSON"}');
          return;
        }
      }
      const reply = api.handle(req.method ?? "GET", url.pathname, queryArgs(url), body);
      if (reply.body === undefined) res.writeHead(reply.status).end();
      else res.writeHead(reply.status, { "content-type": "application/json" }).end(JSON.stringify(reply.body));
    });
  });
}
