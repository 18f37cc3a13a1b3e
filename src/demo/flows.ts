/**
 * The demo's flows: every example file on a tab of its own, its sessions
 * pointed at the controller the demo runs.
 */

import * as fs from "node:fs";
import * as path from "node:path";

export interface FlowNode {
  id: string;
  type: string;
  z?: string;
  [key: string]: unknown;
}

export interface ControllerAddress {
  host: string;
  port: number;
  restPort: number;
}

/** Config nodes sit outside any tab, and two examples may carry the same one (the dashboard's base and theme). */
const CONFIG_TYPES = new Set(["hi6-session", "ui-base", "ui-page", "ui-group", "ui-theme"]);

function readExample(file: string): FlowNode[] {
  const parsed: unknown = JSON.parse(fs.readFileSync(file, "utf8"));
  const valid = Array.isArray(parsed) && parsed.every((n: unknown) => typeof n === "object" && n !== null && typeof (n as FlowNode).id === "string" && typeof (n as FlowNode).type === "string");
  if (!valid) throw new Error(`${file} is not a Node-RED flow (an array of nodes with id and type)`);
  return parsed as FlowNode[];
}

export function exampleFiles(examplesDir: string): string[] {
  return fs.readdirSync(examplesDir).filter((f) => f.endsWith(".json")).sort().map((f) => path.join(examplesDir, f));
}

/**
 * An example using a node type that is not installed is left out: Node-RED
 * would otherwise hold back every flow until the type appears.
 */
export function demoFlows(examplesDir: string, controller: ControllerAddress, installed: (type: string) => boolean): { flows: FlowNode[]; skipped: string[] } {
  const flows: FlowNode[] = [];
  const skipped: string[] = [];
  const ids = new Set<string>();
  for (const file of exampleFiles(examplesDir)) {
    const name = path.basename(file, ".json");
    const nodes = readExample(file);
    if (!nodes.every((n) => installed(n.type))) {
      skipped.push(name);
      continue;
    }
    const tab = `tab-${name}`;
    const title = nodes.find((n) => n.type === "comment")?.name;
    flows.push({ id: tab, type: "tab", label: typeof title === "string" ? title : name, disabled: false, info: "" });
    for (const node of nodes) {
      const config = CONFIG_TYPES.has(node.type);
      if (ids.has(node.id)) {
        if (config) continue;
        throw new Error(`${name}: node id ${node.id} is used by another example`);
      }
      ids.add(node.id);
      if (node.type === "hi6-session") flows.push({ ...node, host: controller.host, port: controller.port, restPort: controller.restPort });
      else if (config) flows.push(node);
      else flows.push({ ...node, z: tab });
    }
  }
  return { flows, skipped };
}

/** The address of the dashboard's first page as the flows define it (base path, then page path), if they have one. */
export function dashboardPath(flows: FlowNode[]): string | undefined {
  const base = flows.find((n) => n.type === "ui-base");
  if (!base || typeof base.path !== "string") return undefined;
  const page = flows.find((n) => n.type === "ui-page" && n.ui === base.id && typeof n.path === "string");
  return page ? base.path.replace(/\/$/, "") + "/" + String(page.path).replace(/^\//, "") : base.path;
}
