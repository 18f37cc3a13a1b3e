/** Node-RED entry for hi6-stop; the node itself lives in src/nodes/stop-node.ts. */

import type { NodeAPI } from "./nodes/node-red";
import { registerStopNode } from "./nodes/stop-node";

export = function (RED: NodeAPI): void {
  registerStopNode(RED);
};
