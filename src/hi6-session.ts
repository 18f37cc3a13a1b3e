/** Node-RED entry for hi6-session; the node itself lives in src/nodes/session-node.ts. */

import type { NodeAPI } from "./nodes/node-red";
import { registerSessionNode } from "./nodes/session-node";
import { AdminAPI, registerTestConnection } from "./nodes/test-connection";

export = function (RED: NodeAPI & AdminAPI): void {
  registerSessionNode(RED);
  registerTestConnection(RED);
};
