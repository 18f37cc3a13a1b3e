/** Node-RED entry for hi6-control; the node itself lives in src/nodes/control-node.ts. */

import type { NodeAPI } from "./nodes/node-red";
import { registerControlNode } from "./nodes/control-node";

export = function (RED: NodeAPI): void {
  registerControlNode(RED);
};
