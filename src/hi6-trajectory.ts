/** Node-RED entry for hi6-trajectory; the node itself lives in src/nodes/trajectory-node.ts. */

import type { NodeAPI } from "./nodes/node-red";
import { registerTrajectoryNode } from "./nodes/trajectory-node";

export = function (RED: NodeAPI): void {
  registerTrajectoryNode(RED);
};
