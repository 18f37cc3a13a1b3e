/** Node-RED entry for hi6-monitor; the node itself lives in src/nodes/monitor-node.ts. */

import type { NodeAPI } from "./nodes/node-red";
import { registerMonitorNode } from "./nodes/monitor-node";

export = function (RED: NodeAPI): void {
  registerMonitorNode(RED);
};
